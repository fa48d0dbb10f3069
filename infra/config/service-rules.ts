import { configMapBytes } from './aws-limits';
import { catalogPeak } from './capacity';
import { catalogFile } from './files';
import { millicores, mebibytes } from './quantity';
import type { PlatformSettings } from './schema';
import { ingressPortOf, isWorker, portsOf, probePortName } from './ports';
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
  /** Services the catalog declares but this stack leaves out; calls to them are reported on loading. */
  declared: string[] = [],
): string[] {
  const problems: string[] = [];
  const names = new Set(services.map((s) => s.name));
  const byName = new Map(services.map((s) => [s.name, s]));
  const absentFromStack = (name: string) => declared.includes(name);
  for (const service of services) {
    const at = (key: string) => `${catalogFile}: ${service.name}.${key}`;
    problems.push(...checkShape(service, at));
    service.calls.forEach((callee, index) => {
      const target = byName.get(callee);
      if (callee === service.name) problems.push(`${at(`calls[${index}]`)}: a service cannot call itself`);
      else if (!names.has(callee) && !absentFromStack(callee))
        problems.push(`${at(`calls[${index}]`)}: calls undeclared service "${callee}"`);
      else if (target && isWorker(target))
        problems.push(`${at(`calls[${index}]`)}: calls "${callee}", a worker with no ports to call`);
    });
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
    const sized: [string, ServiceSpec['resources']][] = [
      ['resources', service.resources],
      ...Object.entries(service.jobs).map(
        ([job, spec]) => [`jobs.${job}.resources`, spec.resources] as const,
      ),
      ...Object.entries(service.cronJobs).map(
        ([job, spec]) => [`cronJobs.${job}.resources`, spec.resources] as const,
      ),
    ].filter((entry): entry is [string, ServiceSpec['resources']] => entry[1] !== undefined);
    for (const [key, { requests, limits }] of sized) {
      if (millicores(requests.cpu) > millicores(limits.cpu)) {
        problems.push(`${at(`${key}.requests.cpu`)}: ${requests.cpu} exceeds the limit ${limits.cpu}`);
      }
      if (millicores(limits.cpu) > millicores(settings.quota.containerMaxCpu)) {
        problems.push(
          `${at(`${key}.limits.cpu`)}: ${limits.cpu} exceeds the largest container the namespace admits (${stackFile}: slipway:quota.containerMaxCpu ${settings.quota.containerMaxCpu})`,
        );
      }
      if (mebibytes(limits.memory) > mebibytes(settings.quota.containerMaxMemory)) {
        problems.push(
          `${at(`${key}.limits.memory`)}: ${limits.memory} exceeds the largest container the namespace admits (${stackFile}: slipway:quota.containerMaxMemory ${settings.quota.containerMaxMemory})`,
        );
      }
      if (mebibytes(requests.memory) > mebibytes(limits.memory)) {
        problems.push(
          `${at(`${key}.requests.memory`)}: ${requests.memory} exceeds the limit ${limits.memory}`,
        );
      }
    }
    problems.push(...checkGrants(service));
    // The variables and the mounted files go in one ConfigMap each, and Kubernetes stores no object over 1 MiB.
    for (const [key, entries, what] of [
      ['env', service.env, 'variables'],
      ['files', service.files, 'mounted files'],
    ] as const) {
      const bytes = Object.entries(entries).reduce(
        (total, [name, value]) => total + Buffer.byteLength(name) + Buffer.byteLength(value),
        0,
      );
      if (bytes > configMapBytes - configMapOverhead) {
        problems.push(
          `${at(key)}: ${bytes.toLocaleString('en-US')} bytes of ${what}; their ConfigMap must stay under 1 MiB, Kubernetes' limit for one object`,
        );
      }
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

/** Rules within one service's shape: its ports, probes, ingress, autoscaling, rollout and mounts. */
function checkShape(service: ServiceSpec, at: (key: string) => string): string[] {
  const problems: string[] = [];
  const ports = portsOf(service);
  const declaredNames = ports.map((p) => p.name);
  const listed = declaredNames.length > 0 ? declaredNames.join(', ') : 'none: a worker';
  const seen = { port: new Map<number, string>(), servicePort: new Map<number, string>() };
  for (const port of ports) {
    for (const field of ['port', 'servicePort'] as const) {
      const other = seen[field].get(port[field]);
      if (other) problems.push(`${at(`ports.${port.name}.${field}`)}: ${port[field]} is also ${other}'s`);
      else seen[field].set(port[field], port.name);
    }
  }
  for (const kind of ['liveness', 'readiness', 'startup'] as const) {
    const probe = service.probes[kind];
    if (!probe) continue;
    const name = probePortName(probe);
    const method = probe.http ? 'http' : probe.tcp ? 'tcp' : 'grpc';
    if (name !== undefined && !declaredNames.includes(name)) {
      problems.push(
        `${at(`probes.${kind}.${method}.port`)}: names no declared port "${name}" (declared: ${listed})`,
      );
    }
  }
  if (service.ingress) {
    if (ports.length === 0) {
      problems.push(`${at('ingress')}: a worker (no ports) cannot have an ingress`);
    } else if (service.ingress.port === undefined && ports.length > 1) {
      problems.push(`${at('ingress.port')}: is required with several ports (declared: ${listed})`);
    } else if (!ingressPortOf(service)) {
      problems.push(
        `${at('ingress.port')}: names no declared port "${service.ingress.port}" (declared: ${listed})`,
      );
    }
    if (!service.probes.readiness.http) {
      problems.push(
        `${at('probes.readiness')}: must be an http probe: the load balancer health-checks its path`,
      );
    }
  }
  const scaling = service.autoscaling;
  if (scaling) {
    if (scaling.minReplicas > scaling.maxReplicas) {
      problems.push(
        `${at('autoscaling.minReplicas')}: ${scaling.minReplicas} exceeds maxReplicas ${scaling.maxReplicas}`,
      );
    }
    if (scaling.targetCpuPercent === undefined && scaling.targetMemoryPercent === undefined) {
      problems.push(`${at('autoscaling')}: needs targetCpuPercent, targetMemoryPercent or both`);
    }
  }
  const rollout = service.rollout;
  if (rollout?.strategy === 'Recreate') {
    for (const key of ['maxSurge', 'maxUnavailable'] as const) {
      if (rollout[key] !== undefined)
        problems.push(`${at(`rollout.${key}`)}: applies to RollingUpdate only, not Recreate`);
    }
  } else if (rollout && isZero(rollout.maxSurge ?? 1) && isZero(rollout.maxUnavailable ?? 0)) {
    problems.push(
      `${at('rollout.maxSurge')}: maxSurge and maxUnavailable cannot both be 0: the rollout could not start`,
    );
  }
  const mounted = new Map(Object.keys(service.files).map((path) => [path, 'files']));
  const variables = new Set(Object.keys(service.env));
  service.secrets.forEach((secret, index) => {
    const key = `secrets[${index}]`;
    if (typeof secret === 'string' || secret.env !== undefined) {
      const name = typeof secret === 'string' ? secret : (secret.env as string);
      if (variables.has(name))
        problems.push(`${at(key)}: sets ${name}, which env or another secret sets too`);
      variables.add(name);
    } else if (secret.file !== undefined) {
      if (mounted.has(secret.file))
        problems.push(`${at(`${key}.file`)}: ${secret.file} is mounted by ${mounted.get(secret.file)} too`);
      mounted.set(secret.file, key);
    }
  });
  return problems;
}

const isZero = (value: number | string) => value === 0 || value === '0%';
