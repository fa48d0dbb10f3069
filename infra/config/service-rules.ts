import { catalogFile } from './files';
import type { ServiceSpec } from './services';
import type { Tier } from './tiers';

/** Rules across services (the call graph, ingress paths) and against the tier. */
export function checkServiceRules(services: ServiceSpec[], tier: Tier): string[] {
  const problems: string[] = [];
  const names = new Set(services.map((s) => s.name));
  for (const service of services) {
    const at = (key: string) => `${catalogFile}: ${service.name}.${key}`;
    if (service.port < 1024 || service.port > 65535) {
      problems.push(
        `${at('port')}: ${service.port} is out of range (1024-65535: the container runs as non-root)`,
      );
    }
    service.calls.forEach((callee, index) => {
      if (!names.has(callee)) problems.push(`${at(`calls[${index}]`)}: calls undeclared service "${callee}"`);
    });
    if (service.autoscaling && service.autoscaling.minReplicas > service.autoscaling.maxReplicas) {
      problems.push(
        `${at('autoscaling.minReplicas')}: ${service.autoscaling.minReplicas} exceeds maxReplicas ${service.autoscaling.maxReplicas}`,
      );
    }
    const floor = service.autoscaling?.minReplicas ?? service.replicas;
    if (service.minAvailable !== undefined && service.minAvailable >= floor) {
      problems.push(
        `${at('minAvailable')}: ${service.minAvailable} would block every eviction (the service runs ${floor} replica(s) at least)`,
      );
    }
    if (tier === 'prod' && floor < 2) {
      problems.push(
        `${at(service.autoscaling ? 'autoscaling.minReplicas' : 'replicas')}: prod runs at least 2 replicas`,
      );
    }
  }
  const routes = new Map<string, string>();
  for (const service of services) {
    if (!service.ingress) continue;
    const route = `${service.ingress.host}${service.ingress.path}`;
    const owner = routes.get(route);
    if (owner)
      problems.push(`${catalogFile}: ${service.name}.ingress.path: duplicates ${owner}'s route ${route}`);
    else routes.set(route, service.name);
  }
  return problems;
}
