import type * as k8s from '@pulumi/kubernetes';
import { mebibytes, millicores } from '../config/quantity';
import type { ServiceSpec } from '../config/services';

/** The most pods a service can run at once: its ceiling plus the one a rolling update adds. */
export const peakPods = (service: ServiceSpec) =>
  (service.autoscaling?.maxReplicas ?? service.replicas) + rollingSurge;

/** Extra pods a rolling update starts before it stops an old one (maxSurge). */
export const rollingSurge = 1;

const sum = (services: ServiceSpec[], each: (s: ServiceSpec) => number) =>
  services.reduce((total, service) => total + each(service) * peakPods(service), 0);

/**
 * A quota sized from the catalog: every service at its autoscaling ceiling in the middle of a rollout
 * fits, anything beyond (a runaway HPA, a stray Deployment) does not. LoadBalancer and NodePort
 * Services are forbidden: traffic enters through the ALB Ingress only.
 */
export function resourceQuotaManifest(
  namespace: string,
  services: ServiceSpec[],
): k8s.types.input.core.v1.ResourceQuota {
  return {
    apiVersion: 'v1',
    kind: 'ResourceQuota',
    metadata: { name: 'workloads', namespace },
    spec: {
      hard: {
        pods: String(sum(services, () => 1)),
        'requests.cpu': `${sum(services, (s) => millicores(s.resources.requests.cpu))}m`,
        'requests.memory': `${sum(services, (s) => mebibytes(s.resources.requests.memory))}Mi`,
        'limits.cpu': `${sum(services, (s) => millicores(s.resources.limits.cpu))}m`,
        'limits.memory': `${sum(services, (s) => mebibytes(s.resources.limits.memory))}Mi`,
        'services.loadbalancers': '0',
        'services.nodeports': '0',
      },
    },
  };
}

/**
 * Defaults for a container that states no resources (so the quota can still admit it) and a ceiling
 * no container may exceed: the largest limit the catalog declares.
 */
export function limitRangeManifest(
  namespace: string,
  services: ServiceSpec[],
): k8s.types.input.core.v1.LimitRange {
  const maxCpu = Math.max(0, ...services.map((s) => millicores(s.resources.limits.cpu)));
  const maxMemory = Math.max(0, ...services.map((s) => mebibytes(s.resources.limits.memory)));
  return {
    apiVersion: 'v1',
    kind: 'LimitRange',
    metadata: { name: 'container-defaults', namespace },
    spec: {
      limits: [
        {
          type: 'Container',
          defaultRequest: { cpu: '100m', memory: '128Mi' },
          default: { cpu: '500m', memory: '256Mi' },
          ...(services.length > 0 ? { max: { cpu: `${maxCpu}m`, memory: `${maxMemory}Mi` } } : {}),
        },
      ],
    },
  };
}
