import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { parse, stringify } from 'yaml';
import { ConfigError } from '../../../infra/config/errors';
import { loadPlatformConfig } from '../../../infra/config/load';
import { readSettings } from '../../../infra/settings/load';
import { repoRoot } from '../../support/render';

// The sample's slipway.yaml: the dev environment's domain is the host of every ingress naming none.
const settings = readSettings(repoRoot);

type Catalog = Record<string, Record<string, unknown>>;
const sample = parse(readFileSync(join(repoRoot, 'services.yaml'), 'utf8')) as Catalog;
const certificateArn = 'arn:aws:acm:eu-west-1:123456789012:certificate/0f3c9a52-7d1e-4b8a-9c55-2e6d1b7a4f10';

/** The sample catalog with `edit` applied, loaded as stack `dev` with `services` as its overrides. */
function load(edit: (catalog: Catalog) => void = () => undefined, services: Record<string, unknown> = {}) {
  const catalog = structuredClone(sample);
  edit(catalog);
  return loadPlatformConfig({
    stack: 'dev',
    values: {
      'aws:region': 'eu-west-1',
      'slipway:tier': 'dev',
      'slipway:ingress': JSON.stringify({ certificateArn }),
      'slipway:services': JSON.stringify(services),
    },
    catalogText: stringify(catalog),
    settings,
  });
}

function problemsOf(edit?: (catalog: Catalog) => void, services?: Record<string, unknown>): string[] {
  try {
    load(edit, services);
  } catch (error) {
    if (error instanceof ConfigError) return error.problems;
    throw error;
  }
  throw new Error('the config loaded, but problems were expected');
}

const worker = (catalog: Catalog) => catalog.worker as Record<string, unknown>;
const api = (catalog: Catalog) => catalog.api as Record<string, unknown>;

describe('ports', () => {
  it('take a number or an object, and publish the container port unless a Service port is declared', () => {
    const config = load(
      (c) =>
        (worker(c).ports = { http: 8080, management: { port: 8081 }, web: { port: 80, servicePort: 8000 } }),
    );
    expect(config.services.find((s) => s.name === 'worker')?.ports).toEqual({
      http: 8080,
      management: { port: 8081 },
      web: { port: 80, servicePort: 8000 },
    });
  });

  it('reject a port name that is not an IANA service name, and two ports on one number', () => {
    expect(problemsOf((c) => (worker(c).ports = { HTTP_Port: 8080 }))).toEqual([
      'services.yaml: worker.ports.HTTP_Port: must be a port name: 1 to 15 lowercase letters, digits and dashes',
    ]);
    expect(
      problemsOf((c) => (worker(c).ports = { http: 8080, admin: { port: 8080, servicePort: 81 } })),
    ).toEqual(["services.yaml: worker.ports.admin.port: 8080 is also http's"]);
  });
});

describe('probes', () => {
  it('reject a probe on a port the service does not declare, naming the ones it does', () => {
    expect(
      problemsOf(
        (c) =>
          (api(c).probes = {
            ...(api(c).probes as object),
            readiness: { http: { path: '/ready', port: 'management' } },
          }),
      ),
    ).toEqual([
      'services.yaml: api.probes.readiness.http.port: names no declared port "management" (declared: http)',
    ]);
  });

  it('reject a probe with two checks or none', () => {
    const liveness = { tcp: { port: 'http' }, exec: { command: ['true'] } };
    expect(problemsOf((c) => (api(c).probes = { ...(api(c).probes as object), liveness }))).toEqual([
      'services.yaml: api.probes.liveness: must state exactly one of http, tcp, grpc or exec',
    ]);
  });

  it('require an http readiness probe of a service with an ingress (the ALB checks its path)', () => {
    const readiness = { tcp: { port: 'http' } };
    expect(problemsOf((c) => (api(c).probes = { ...(api(c).probes as object), readiness }))).toEqual([
      'services.yaml: api.probes.readiness: must be an http probe: the load balancer health-checks its path',
    ]);
  });
});

describe('workers', () => {
  const asWorker = (c: Catalog) => {
    worker(c).ports = {};
    worker(c).probes = {
      liveness: { exec: { command: ['/bin/healthcheck'] } },
      readiness: { exec: { command: ['/bin/healthcheck'] } },
    };
  };

  it('run without ports', () => {
    expect(load(asWorker).services.find((s) => s.name === 'worker')?.ports).toEqual({});
  });

  it('cannot be called, nor have an ingress', () => {
    expect(
      problemsOf((c) => {
        asWorker(c);
        api(c).calls = ['worker'];
        worker(c).ingress = { host: 'app.example.com', path: '/jobs' };
      }),
    ).toEqual([
      'services.yaml: api.calls[0]: calls "worker", a worker with no ports to call',
      'services.yaml: worker.ingress: a worker (no ports) cannot have an ingress',
      'services.yaml: worker.probes.readiness: must be an http probe: the load balancer health-checks its path',
    ]);
  });
});

describe('autoscaling', () => {
  it('takes CPU, memory or both, and behaviour', () => {
    const config = load(
      (c) =>
        (api(c).autoscaling = {
          minReplicas: 2,
          maxReplicas: 4,
          targetMemoryPercent: 75,
          behavior: { scaleDown: { stabilizationWindowSeconds: 60 } },
        }),
    );
    expect(config.services.find((s) => s.name === 'api')?.autoscaling).toEqual({
      minReplicas: 2,
      maxReplicas: 4,
      targetMemoryPercent: 75,
      behavior: { scaleDown: { stabilizationWindowSeconds: 60 } },
    });
  });

  it('needs at least one target', () => {
    expect(problemsOf((c) => (api(c).autoscaling = { minReplicas: 2, maxReplicas: 4 }))).toEqual([
      'services.yaml: api.autoscaling: needs targetCpuPercent, targetMemoryPercent or both',
    ]);
  });
});

describe('rollout', () => {
  it('rejects surge settings on Recreate and a rolling update that cannot move', () => {
    expect(problemsOf((c) => (api(c).rollout = { strategy: 'Recreate', maxSurge: 1 }))).toEqual([
      'services.yaml: api.rollout.maxSurge: applies to RollingUpdate only, not Recreate',
    ]);
    expect(problemsOf((c) => (api(c).rollout = { maxSurge: 0, maxUnavailable: '0%' }))).toEqual([
      'services.yaml: api.rollout.maxSurge: maxSurge and maxUnavailable cannot both be 0: the rollout could not start',
    ]);
  });
});

describe('jobs and cron jobs', () => {
  it.each([
    ['0 3 * * *', undefined],
    ['*/15 9-17 * * MON-FRI', undefined],
    ['@daily', undefined],
    ['0 3 * *', '"0 3 * *" has 4 fields; a schedule has 5 (minute hour day-of-month month day-of-week)'],
    ['61 3 * * *', '"61" is not a valid minute (0-59)'],
    ['0 3 * * funday', '"funday" is not a valid day of week (0-7)'],
    [
      '@fortnightly',
      '"@fortnightly" is not one of @yearly, @annually, @monthly, @weekly, @daily, @midnight, @hourly',
    ],
  ])('check the schedule %s', (schedule, problem) => {
    const resources = { requests: { cpu: '50m', memory: '64Mi' }, limits: { cpu: '100m', memory: '128Mi' } };
    // One api pod fewer at the ceiling leaves room in dev's quota for the job's pod.
    const edit = (c: Catalog) => {
      api(c).cronJobs = { cleanup: { schedule, command: ['node', 'cleanup.js'], resources } };
      api(c).autoscaling = { ...(api(c).autoscaling as object), maxReplicas: 9 };
    };
    if (problem === undefined)
      expect(load(edit).services.find((s) => s.name === 'api')?.cronJobs.cleanup?.schedule).toBe(schedule);
    else expect(problemsOf(edit)).toEqual([`services.yaml: api.cronJobs.cleanup.schedule: ${problem}`]);
  });

  it('size a job against the namespace like a container of the service, and count it in the quota', () => {
    const resources = { requests: { cpu: '100m', memory: '128Mi' }, limits: { cpu: '3', memory: '256Mi' } };
    expect(problemsOf((c) => (api(c).jobs = { migrate: { command: ['migrate'], resources } }))).toEqual([
      'services.yaml: api.jobs.migrate.resources.limits.cpu: 3 exceeds the largest container the namespace admits (Pulumi.dev.yaml: slipway:quota.containerMaxCpu 2)',
      'Pulumi.dev.yaml: slipway:quota.limitsCpu: the services need 18500m at their autoscaling ceiling during a rollout, more than 16 (raise the quota or shrink the services)',
    ]);
  });
});

describe('secrets, files, labels', () => {
  it('map any key to a variable or a file, from the own secret or an existing one', () => {
    const secrets = [
      'PAYMENT_API_KEY',
      { key: 'stripe.api-key', env: 'STRIPE_KEY' },
      { key: 'tls.crt', file: '/etc/tls/tls.crt', from: 'shared/tls' },
    ];
    expect(load((c) => (api(c).secrets = secrets)).services.find((s) => s.name === 'api')?.secrets).toEqual(
      secrets,
    );
  });

  it('reject a secret with both a variable and a file, and one that sets a variable env sets', () => {
    expect(problemsOf((c) => (api(c).secrets = [{ key: 'a', env: 'A', file: '/a' }]))).toEqual([
      'services.yaml: api.secrets[0]: must state exactly one of env or file',
    ]);
    expect(problemsOf((c) => (api(c).secrets = [{ key: 'level', env: 'LOG_LEVEL' }]))).toEqual([
      'services.yaml: api.secrets[0]: sets LOG_LEVEL, which env or another secret sets too',
    ]);
  });

  it('reject a reference that is neither a secret name nor an ARN, and a relative file path', () => {
    expect(
      problemsOf(
        (c) =>
          (api(c).secrets = [
            { key: 'k', env: 'K', from: 'arn:aws:s3:::bucket' },
            { key: 'k', file: 'etc/k' },
          ]),
      ),
    ).toEqual([
      'services.yaml: api.secrets[0].from: must be a Secrets Manager secret name or ARN',
      'services.yaml: api.secrets[1].file: must be an absolute file path of letters, digits, dots, dashes and underscores',
    ]);
  });

  it('reject a label key the platform owns', () => {
    expect(problemsOf((c) => (api(c).labels = { 'app.kubernetes.io/name': 'other' }))).toEqual([
      'services.yaml: api.labels.app.kubernetes.io/name: is reserved: the platform sets the app.kubernetes.io/, slipway.dev/ and kubernetes.io/ keys',
    ]);
  });
});

describe('stack overrides', () => {
  it('merge one field of autoscaling or resources into the catalog before validation', () => {
    const config = load(undefined, {
      api: { autoscaling: { maxReplicas: 3 }, resources: { limits: { memory: '1Gi' } } },
    });
    const served = config.services.find((s) => s.name === 'api');
    expect(served?.autoscaling).toEqual({
      minReplicas: 2,
      maxReplicas: 3,
      targetCpuPercent: 70,
      targetMemoryPercent: 80,
    });
    expect(served?.resources.limits).toEqual({ cpu: '1', memory: '1Gi' });
  });

  it('name the stack file for a bad value it holds, the catalog for one the catalog holds', () => {
    expect(
      problemsOf((c) => (api(c).replicas = 0), { web: { autoscaling: { minReplicas: 'two' } } }),
    ).toEqual([
      'Pulumi.dev.yaml: slipway:services.web.autoscaling.minReplicas: must be a number, got "two"',
      'services.yaml: api.replicas: must be more than 0',
    ]);
  });

  it('refuse a key a stack does not set, in the stack file', () => {
    expect(problemsOf(undefined, { api: { calls: ['web'] }, web: { ingress: { path: '/x' } } })).toEqual([
      'Pulumi.dev.yaml: slipway:services.api.calls: not a key a stack sets (a stack sets replicas, autoscaling, resources, rollout, minAvailable, env, labels, annotations, ingress)',
      "Pulumi.dev.yaml: slipway:services.web.ingress.path: not a key a stack sets (the route is the catalog's; a stack sets the host)",
    ]);
  });
});

describe('per-stack service sets', () => {
  it('leave out a service the catalog disables or does not list for the stack', () => {
    expect(load((c) => (worker(c).enabled = false)).services.map((s) => s.name)).toEqual(['web', 'api']);
    expect(load((c) => (worker(c).stacks = ['staging', 'prod'])).services.map((s) => s.name)).toEqual([
      'web',
      'api',
    ]);
    expect(load((c) => (worker(c).stacks = ['dev'])).services.map((s) => s.name)).toEqual([
      'web',
      'api',
      'worker',
    ]);
  });

  it('name both the caller and the absent service it calls', () => {
    expect(problemsOf((c) => (api(c).enabled = false))).toEqual([
      'services.yaml: web.calls[0]: calls "api", which the dev stack leaves out (services.yaml: api.enabled is false)',
      'services.yaml: worker.calls[0]: calls "api", which the dev stack leaves out (services.yaml: api.enabled is false)',
    ]);
    expect(problemsOf((c) => (api(c).stacks = ['prod']))).toEqual([
      'services.yaml: web.calls[0]: calls "api", which the dev stack leaves out (services.yaml: api.stacks does not list dev)',
      'services.yaml: worker.calls[0]: calls "api", which the dev stack leaves out (services.yaml: api.stacks does not list dev)',
    ]);
  });

  it('are the catalog’s alone: a stack file cannot switch a service off behind the platform’s back', () => {
    expect(problemsOf(undefined, { worker: { enabled: false } })).toEqual([
      "Pulumi.dev.yaml: slipway:services.worker.enabled: not a key a stack sets: the stacks a service runs in are the catalog's (services.yaml: worker.stacks), which both projects read",
    ]);
  });
});
