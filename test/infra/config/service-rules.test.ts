import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { parse, stringify } from 'yaml';
import { ConfigError } from '../../../infra/config/errors';
import { loadPlatformConfig } from '../../../infra/config/load';
import { readSettings } from '../../../infra/settings/load';
import { repoRoot } from '../../support/render';

type Catalog = Record<string, Record<string, unknown>>;
const sample = parse(readFileSync(join(repoRoot, 'services.yaml'), 'utf8')) as Catalog;
// The sample's slipway.yaml: the dev environment's domain is the host of every ingress naming none.
const settings = readSettings(repoRoot);
const certificateArn = 'arn:aws:acm:eu-west-1:123456789012:certificate/0f3c9a52-7d1e-4b8a-9c55-2e6d1b7a4f10';

interface Variant {
  tier?: string;
  catalog?: (catalog: Catalog) => void;
  services?: Record<string, unknown>;
  ingress?: unknown;
  quota?: Record<string, unknown>;
  /** No slipway.yaml: the stack file alone must name the certificate, the catalog its hosts. */
  withoutSettings?: boolean;
}

/** Loads the sample catalog with one change made to it, as the stack `dev` (or a stack of the tier). */
function load({
  tier = 'dev',
  catalog,
  services,
  ingress = { certificateArn },
  quota,
  withoutSettings,
}: Variant) {
  const copy = structuredClone(sample);
  catalog?.(copy);
  const values: Record<string, string> = {
    'aws:region': 'eu-west-1',
    'slipway:tier': tier,
    'slipway:services': JSON.stringify({ ...services }),
  };
  if (ingress) values['slipway:ingress'] = JSON.stringify(ingress);
  if (quota) values['slipway:quota'] = JSON.stringify(quota);
  if (withoutSettings) {
    for (const spec of Object.values(copy)) {
      if (spec.ingress) spec.ingress = { host: 'app.internal.test', ...spec.ingress };
    }
  }
  return loadPlatformConfig({
    stack: tier,
    values,
    catalogText: stringify(copy),
    settings: withoutSettings ? undefined : settings,
  });
}

function problemsOf(variant: Variant): string[] {
  try {
    load(variant);
  } catch (error) {
    if (error instanceof ConfigError) return error.problems;
    throw error;
  }
  throw new Error('the config loaded, but problems were expected');
}

const service = (catalog: Catalog, name: string) => catalog[name] as Record<string, unknown>;

describe('the service catalog rules', () => {
  it('accept the sample catalog', () => {
    expect(load({}).services.map((s) => s.name)).toEqual(['web', 'api', 'worker']);
  });

  it('reject a catalog whose peak exceeds the namespace budget, naming the stack key', () => {
    // web 6+1 pods, api 10+1, worker 1+1: 20 pods and 3,650m of requests at the peak.
    expect(problemsOf({ quota: { pods: 19, requestsCpu: '3' } })).toEqual([
      'Pulumi.dev.yaml: slipway:quota.pods: the services need 20 at their autoscaling ceiling during a rollout, more than 19 (raise the quota or shrink the services)',
      'Pulumi.dev.yaml: slipway:quota.requestsCpu: the services need 3650m at their autoscaling ceiling during a rollout, more than 3 (raise the quota or shrink the services)',
    ]);
    expect(load({ quota: { pods: 20, requestsCpu: '3650m' } }).quota).toMatchObject({
      pods: 20,
      requestsCpu: '3650m',
    });
  });

  it('reject a container larger than the namespace admits', () => {
    const limits = { cpu: '3', memory: '6Gi' };
    expect(
      problemsOf({
        catalog: (c) => (service(c, 'api').resources = { requests: { cpu: '1', memory: '1Gi' }, limits }),
        quota: { requestsCpu: '16', limitsCpu: '64', limitsMemory: '128Gi' },
      }),
    ).toEqual([
      'services.yaml: api.resources.limits.cpu: 3 exceeds the largest container the namespace admits (Pulumi.dev.yaml: slipway:quota.containerMaxCpu 2)',
      'services.yaml: api.resources.limits.memory: 6Gi exceeds the largest container the namespace admits (Pulumi.dev.yaml: slipway:quota.containerMaxMemory 4Gi)',
    ]);
  });

  it('reject a call to an undeclared service', () => {
    expect(problemsOf({ catalog: (c) => (service(c, 'web').calls = ['api', 'billing']) })).toEqual([
      'services.yaml: web.calls[1]: calls undeclared service "billing"',
    ]);
  });

  it('reject a service calling itself', () => {
    expect(problemsOf({ catalog: (c) => (service(c, 'api').calls = ['api']) })).toEqual([
      'services.yaml: api.calls[0]: a service cannot call itself',
    ]);
  });

  it('reject a disruption budget that would block every eviction', () => {
    expect(problemsOf({ catalog: (c) => (service(c, 'web').minAvailable = 2) })).toEqual([
      'services.yaml: web.minAvailable: 2 would block every eviction (the service runs 2 replica(s) at least)',
    ]);
  });

  it('reject an autoscaler whose minimum exceeds its maximum', () => {
    const problems = problemsOf({
      catalog: (c) =>
        (service(c, 'api').autoscaling = {
          minReplicas: 8,
          maxReplicas: 4,
          targetCpuPercent: 70,
          targetMemoryPercent: 80,
        }),
    });
    expect(problems).toEqual(['services.yaml: api.autoscaling.minReplicas: 8 exceeds maxReplicas 4']);
  });

  it('reject two services on the same ingress route', () => {
    expect(
      problemsOf({
        catalog: (c) => (service(c, 'api').ingress = { host: 'dev.app.example.com', path: '/' }),
      }),
    ).toEqual(["services.yaml: api.ingress.path: duplicates web's route dev.app.example.com/"]);
  });

  it.each([0, 70000])('reject container port %d', (port) => {
    expect(problemsOf({ catalog: (c) => (service(c, 'worker').ports = { http: port }) })).toEqual([
      `services.yaml: worker.ports.http: must be ${port === 0 ? 'at least 1' : 'at most 65535'}`,
    ]);
  });

  it('reject requests above limits', () => {
    const problems = problemsOf({
      catalog: (c) =>
        (service(c, 'worker').resources = {
          requests: { cpu: '2', memory: '1Gi' },
          limits: { cpu: '500m', memory: '256Mi' },
        }),
    });
    expect(problems).toEqual([
      'services.yaml: worker.resources.requests.cpu: 2 exceeds the limit 500m',
      'services.yaml: worker.resources.requests.memory: 1Gi exceeds the limit 256Mi',
    ]);
  });

  it('reject a memory quantity in millibytes', () => {
    const problems = problemsOf({
      catalog: (c) =>
        (service(c, 'worker').resources = {
          requests: { cpu: '100m', memory: '128m' },
          limits: { cpu: '1', memory: '1Gi' },
        }),
    });
    expect(problems).toEqual([
      'services.yaml: worker.resources.requests.memory: must be a memory quantity such as 256Mi or 1Gi',
    ]);
  });

  it('refuse an image tag in a stack file: images come from the pipeline, by digest', () => {
    expect(problemsOf({ services: { worker: { imageTag: 'abc1234' } } })).toEqual([
      'Pulumi.dev.yaml: slipway:services.worker.imageTag: not a key a stack sets: images come from the pipeline, by digest (slipway:images, never committed)',
    ]);
  });

  it('require the certificate when a service has an ingress', () => {
    expect(problemsOf({ ingress: null, withoutSettings: true })).toEqual([
      'Pulumi.dev.yaml: slipway:ingress.certificateArn: is required (web has an ingress, served over HTTPS)',
      'Pulumi.dev.yaml: slipway:ingress.certificateArn: is required (api has an ingress, served over HTTPS)',
    ]);
  });

  it('reject a certificate that is not an ACM ARN', () => {
    expect(
      problemsOf({ ingress: { certificateArn: 'arn:aws:iam::123456789012:server-certificate/x' } }),
    ).toEqual(['Pulumi.dev.yaml: slipway:ingress.certificateArn: must be an ACM certificate ARN']);
  });

  it('hold prod to two replicas per service', () => {
    expect(problemsOf({ tier: 'prod' })).toEqual([
      'services.yaml: worker.replicas: prod runs at least 2 replicas',
    ]);
  });
});
