import { configMapBytes } from './aws-limits';
import { catalogPeak } from './capacity';
import { catalogFile } from './files';
import { millicores, mebibytes } from './quantity';
import type { PlatformSettings } from './schema';
import type { ServiceSpec } from './services';

/**
 * Rules across services (the call graph, ingress routes), against the tier, and against what the
 * stack file must say about them (the certificate for the ingress). Each problem is
 * one line naming the file and the key.
 */
export function checkServiceRules(
  services: ServiceSpec[],
  settings: Pick<PlatformSettings, 'tier' | 'ingress' | 'quota'>,
  stackFile: string,
): string[] {
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
      if (callee === service.name) problems.push(`${at(`calls[${index}]`)}: a service cannot call itself`);
      else if (!names.has(callee))
        problems.push(`${at(`calls[${index}]`)}: calls undeclared service "${callee}"`);
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
    if (settings.tier === 'prod' && floor < 2) {
      problems.push(
        `${at(service.autoscaling ? 'autoscaling.minReplicas' : 'replicas')}: prod runs at least 2 replicas`,
      );
    }
    const { requests, limits } = service.resources;
    if (millicores(requests.cpu) > millicores(limits.cpu)) {
      problems.push(`${at('resources.requests.cpu')}: ${requests.cpu} exceeds the limit ${limits.cpu}`);
    }
    if (millicores(limits.cpu) > millicores(settings.quota.containerMaxCpu)) {
      problems.push(
        `${at('resources.limits.cpu')}: ${limits.cpu} exceeds the largest container the namespace admits (${stackFile}: slipway:quota.containerMaxCpu ${settings.quota.containerMaxCpu})`,
      );
    }
    if (mebibytes(limits.memory) > mebibytes(settings.quota.containerMaxMemory)) {
      problems.push(
        `${at('resources.limits.memory')}: ${limits.memory} exceeds the largest container the namespace admits (${stackFile}: slipway:quota.containerMaxMemory ${settings.quota.containerMaxMemory})`,
      );
    }
    if (mebibytes(requests.memory) > mebibytes(limits.memory)) {
      problems.push(
        `${at('resources.requests.memory')}: ${requests.memory} exceeds the limit ${limits.memory}`,
      );
    }
    problems.push(...checkGrants(service));
    const envBytes = Object.entries(service.env).reduce(
      (total, [name, value]) => total + Buffer.byteLength(name) + Buffer.byteLength(value),
      0,
    );
    if (envBytes > configMapBytes - configMapOverhead) {
      problems.push(
        `${at('env')}: ${envBytes.toLocaleString('en-US')} bytes of variables; the service's ConfigMap must stay under 1 MiB, Kubernetes' limit for one object`,
      );
    }
    if (service.ingress && !settings.ingress) {
      problems.push(
        `${stackFile}: slipway:ingress.certificateArn: is required (${service.name} has an ingress, served over HTTPS)`,
      );
    }
  }
  problems.push(...checkQuota(services, settings.quota, stackFile));
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

/** The catalog at its peak (every service at its ceiling, mid-rollout) must fit the namespace budget. */
function checkQuota(services: ServiceSpec[], quota: PlatformSettings['quota'], stackFile: string): string[] {
  const peak = catalogPeak(services);
  const budget = {
    pods: { need: peak.pods, have: quota.pods, shown: String(peak.pods) },
    requestsCpu: {
      need: peak.requestsCpu,
      have: millicores(quota.requestsCpu),
      shown: `${peak.requestsCpu}m`,
    },
    requestsMemory: {
      need: peak.requestsMemory,
      have: mebibytes(quota.requestsMemory),
      shown: `${peak.requestsMemory}Mi`,
    },
    limitsCpu: { need: peak.limitsCpu, have: millicores(quota.limitsCpu), shown: `${peak.limitsCpu}m` },
    limitsMemory: {
      need: peak.limitsMemory,
      have: mebibytes(quota.limitsMemory),
      shown: `${peak.limitsMemory}Mi`,
    },
  };
  return Object.entries(budget)
    .filter(([, { need, have }]) => need > have)
    .map(
      ([key, { shown }]) =>
        `${stackFile}: slipway:quota.${key}: the services need ${shown} at their autoscaling ceiling during a rollout, more than ${String(quota[key as keyof typeof budget])} (raise the quota or shrink the services)`,
    );
}

// Room in the ConfigMap's 1 MiB for its metadata and the variables the platform adds (SERVICE_NAME, PORT…).
const configMapOverhead = 8 * 1024;

/** IAM actions a service may hold: reading IAM is harmless, changing it is a way to grant itself anything. */
const iamReadVerbs = /^iam:(Get|List|Simulate)[A-Za-z]*$/;

/**
 * A service's own AWS grants (`aws:`) stay narrow: no IAM changes (privilege escalation: `iam:*`,
 * `iam:PassRole`, `iam:Put*`), and no service-wide wildcard (`s3:*`, `*`) on every resource.
 */
function checkGrants(service: ServiceSpec): string[] {
  const problems: string[] = [];
  service.aws.forEach((grant, index) => {
    const everything = grant.resources.includes('*');
    grant.actions.forEach((action, actionIndex) => {
      const at = `${catalogFile}: ${service.name}.aws[${index}].actions[${actionIndex}]`;
      if (/^iam:/i.test(action) && !iamReadVerbs.test(action)) {
        problems.push(
          `${at}: ${action} lets the service change IAM, and so grant itself anything; a service may only read IAM (iam:Get*, iam:List*)`,
        );
      } else if (everything && /:\*$/.test(action)) {
        problems.push(
          `${at}: ${action} on every resource ("*") grants the whole service; name the actions or the resources`,
        );
      }
    });
  });
  return problems;
}
