import { mebibytes, millicores } from './quantity';
import type { ServiceSpec } from './services';

/** Extra pods a rolling update starts before it stops an old one, unless the catalog says otherwise. */
export const rollingSurge = 1;

/** The most replicas the service runs: its autoscaling ceiling or its fixed count. */
const ceilingOf = (service: ServiceSpec) => service.autoscaling?.maxReplicas ?? service.replicas;

/**
 * Pods a rollout adds on top of the ceiling: none for Recreate (old pods stop first), else maxSurge,
 * a percentage of the ceiling rounded up as the Deployment controller rounds it.
 */
export function surgeOf(service: ServiceSpec): number {
  const rollout = service.rollout;
  if (rollout?.strategy === 'Recreate') return 0;
  const surge = rollout?.maxSurge ?? rollingSurge;
  return typeof surge === 'number' ? surge : Math.ceil((ceilingOf(service) * parseInt(surge, 10)) / 100);
}

/** The most pods a service can run at once: its ceiling plus the ones a rolling update adds. */
export const peakPods = (service: ServiceSpec) => ceilingOf(service) + surgeOf(service);

/**
 * What the whole catalog asks of its namespace with every service at its peak, and every Job and
 * CronJob of it running one pod at the same time.
 */
export function catalogPeak(services: ServiceSpec[]) {
  const runs = services.flatMap((service) => [
    { pods: peakPods(service), resources: service.resources },
    ...[...Object.values(service.jobs), ...Object.values(service.cronJobs)].map((job) => ({
      pods: 1,
      resources: job.resources ?? service.resources,
    })),
  ]);
  const sum = (each: (r: ServiceSpec['resources']) => number) =>
    runs.reduce((total, run) => total + each(run.resources) * run.pods, 0);
  return {
    pods: sum(() => 1),
    requestsCpu: sum((r) => millicores(r.requests.cpu)),
    requestsMemory: sum((r) => mebibytes(r.requests.memory)),
    limitsCpu: sum((r) => millicores(r.limits.cpu)),
    limitsMemory: sum((r) => mebibytes(r.limits.memory)),
  };
}
