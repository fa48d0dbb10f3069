import { mebibytes, millicores } from './quantity';
import type { ServiceSpec } from './services';

/** Extra pods a rolling update starts before it stops an old one (the Deployments' maxSurge). */
export const rollingSurge = 1;

/** The most pods a service can run at once: its ceiling plus the one a rolling update adds. */
export const peakPods = (service: ServiceSpec) =>
  (service.autoscaling?.maxReplicas ?? service.replicas) + rollingSurge;

/** What the whole catalog asks of its namespace with every service at its peak. */
export function catalogPeak(services: ServiceSpec[]) {
  const sum = (each: (s: ServiceSpec) => number) =>
    services.reduce((total, service) => total + each(service) * peakPods(service), 0);
  return {
    pods: sum(() => 1),
    requestsCpu: sum((s) => millicores(s.resources.requests.cpu)),
    requestsMemory: sum((s) => mebibytes(s.resources.requests.memory)),
    limitsCpu: sum((s) => millicores(s.resources.limits.cpu)),
    limitsMemory: sum((s) => mebibytes(s.resources.limits.memory)),
  };
}
