import type { ResourceValidationPolicy } from '@pulumi/policy';
import { forTypes } from '../applies-to';
import { allContainers, podSpecOf, workloadTypes } from './workload';

const resourceNames = ['cpu', 'memory'] as const;
const bounds = ['requests', 'limits'] as const;

/**
 * Requests let the scheduler place pods and the HPA compute utilisation; limits keep one pod from
 * starving its neighbours (and count against the namespace quota).
 */
export const containerResources: ResourceValidationPolicy = {
  name: 'k8s-container-resources',
  description: 'Every container requests and limits CPU and memory.',
  enforcementLevel: 'mandatory',
  validateResource: forTypes(workloadTypes, (props, args, report) => {
    for (const { label, container } of allContainers(podSpecOf(args.type, props))) {
      for (const bound of bounds) {
        const set = container.resources?.[bound] ?? {};
        const missing = resourceNames.filter((name) => set[name] === undefined);
        if (missing.length > 0) report(`${label} sets no ${bound} for ${missing.join(', ')}`);
      }
    }
  }),
};
