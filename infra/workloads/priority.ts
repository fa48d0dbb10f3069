import type * as k8s from '@pulumi/kubernetes';
import { priorityClassNames } from './names';

/**
 * Two priorities: a critical service (one users reach) may preempt normal pods when nodes are full;
 * a normal one waits for room and never preempts anything.
 */
export function priorityClassManifests(): (k8s.types.input.scheduling.v1.PriorityClass & {
  metadata: { name: string };
})[] {
  return [
    {
      apiVersion: 'scheduling.k8s.io/v1',
      kind: 'PriorityClass',
      metadata: { name: priorityClassNames.critical },
      value: 100000,
      globalDefault: false,
      preemptionPolicy: 'PreemptLowerPriority',
      description: 'Slipway services on the request path; may preempt normal workloads.',
    },
    {
      apiVersion: 'scheduling.k8s.io/v1',
      kind: 'PriorityClass',
      metadata: { name: priorityClassNames.normal },
      value: 10000,
      globalDefault: false,
      preemptionPolicy: 'Never',
      description: 'Slipway background services; wait for capacity rather than preempt.',
    },
  ];
}
