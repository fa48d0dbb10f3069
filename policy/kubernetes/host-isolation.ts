import type { ResourceValidationPolicy } from '@pulumi/policy';
import { forTypes } from '../applies-to';
import { podSpecOf, workloadTypes } from './workload';

const hostNamespaces = ['hostNetwork', 'hostPID', 'hostIPC'] as const;

/**
 * A pod sharing the node's network, process or IPC namespace, or mounting a node path, can reach
 * other pods' traffic and processes whatever its own security context says (baseline standard).
 */
export const podHostIsolation: ResourceValidationPolicy = {
  name: 'k8s-pod-host-isolation',
  description: "No pod shares the node's network, PID or IPC namespace or mounts a hostPath volume.",
  enforcementLevel: 'mandatory',
  validateResource: forTypes(workloadTypes, (props, args, report) => {
    const spec = podSpecOf(args.type, props);
    for (const field of hostNamespaces) {
      if (spec?.[field] === true) report(`the pod sets ${field}: true`);
    }
    for (const volume of spec?.volumes ?? []) {
      if (volume.hostPath) report(`volume "${volume.name}" mounts the node path ${volume.hostPath.path}`);
    }
  }),
};
