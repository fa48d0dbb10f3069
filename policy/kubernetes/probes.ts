import type { ResourceValidationPolicy } from '@pulumi/policy';
import { forTypes } from '../applies-to';
import { longRunningTypes, podSpecOf } from './workload';

const requiredProbes = ['livenessProbe', 'readinessProbe', 'startupProbe'] as const;

/**
 * Without readiness a rollout sends traffic to pods that cannot serve it; without liveness a hung
 * process keeps its slot; without a startup probe a slow start is killed by liveness. Init containers
 * and Jobs run to completion, so they are not probed.
 */
export const containerProbes: ResourceValidationPolicy = {
  name: 'k8s-container-probes',
  description: 'Every container of a long-running workload has liveness, readiness and startup probes.',
  enforcementLevel: 'mandatory',
  validateResource: forTypes(longRunningTypes, (props, args, report) => {
    for (const container of podSpecOf(args.type, props)?.containers ?? []) {
      for (const probe of requiredProbes) {
        if (!container[probe]) report(`container "${container.name}" has no ${probe}`);
      }
    }
  }),
};
