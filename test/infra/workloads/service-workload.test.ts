import * as k8s from '@pulumi/kubernetes';
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { tierDefaults } from '../../../infra/config/defaults';
import type { QuotaConfig } from '../../../infra/config/schema';
import type { ServiceSpec } from '../../../infra/config/services';
import { Workloads } from '../../../infra/workloads';
import { runOffline } from '../../../offline/engine';
import { scratchDir } from '../../support/scratch';
import { decide } from '../../support/iam';
import { stringify } from 'yaml';
import { loadPlatformConfig } from '../../../infra/config/load';
import type { OfflineRun } from '../../../offline/engine';
import { configOf, kubeObjects, type KubeObject } from './objects';

const projectDir = scratchDir('slipway-workloads');
writeFileSync(join(projectDir, 'Pulumi.yaml'), 'name: standin\nruntime: nodejs\n');
writeFileSync(join(projectDir, 'Pulumi.t.yaml'), 'config:\n  aws:region: eu-west-1\n');

const ownSecret = (service: string) =>
  `arn:aws:secretsmanager:eu-west-1:123456789012:secret:standin-t/${service}-AbCdEf`;

/** The Workloads component alone, on stand-in inputs, for a catalog of our choosing. */
function render(services: ServiceSpec[]) {
  return runOffline({
    projectDir,
    stack: 't',
    program: async () => {
      new Workloads('workloads', {
        provider: new k8s.Provider('k8s', { kubeconfig: '{}' }),
        environment: 't',
        tier: 'dev',
        region: 'eu-west-1',
        namespace: 'standin-t',
        kubernetesVersion: '1.33',
        rolePrefix: 'standin-t',
        permissionsBoundaryArn: 'arn:aws:iam::123456789012:policy/standin-services-boundary-t',
        services,
        quota: tierDefaults.dev.quota as QuotaConfig,
        oidcProviderArn: 'arn:aws:iam::123456789012:oidc-provider/oidc.eks.eu-west-1.amazonaws.com/id/ABC',
        oidcProviderUrl: 'https://oidc.eks.eu-west-1.amazonaws.com/id/ABC',
        images: Object.fromEntries(
          services.map((s) => [
            s.name,
            `123456789012.dkr.ecr.eu-west-1.amazonaws.com/standin-t/${s.name}@sha256:${'ab'.repeat(32)}`,
          ]),
        ),
        secretArns: Object.fromEntries(
          services.filter((s) => s.secrets.length > 0).map((s) => [s.name, ownSecret(s.name)]),
        ),
        secretsKeyArn: 'arn:aws:kms:eu-west-1:123456789012:key/standin',
        account: { partition: 'aws', accountId: '123456789012' },
        edge: {},
        data: {
          endpoints: { 'app-db': { engine: 'postgres', port: 5432, cidrs: ['10.0.8.0/24'] } },
          queues: {},
          credentials: {
            api: {
              'app-db': {
                secretArn: 'arn:aws:secretsmanager:eu-west-1:123456789012:secret:standin-t/data/app-db/api-1',
                versionId: 'standin-version',
              },
            },
          },
        },
        network: {
          loadBalancerCidrs: ['10.0.0.0/24'],
          apiServerCidrs: ['10.0.2.0/28'],
          dataServices: { 'app-db': { cidrs: ['10.0.8.0/24'], port: 5432 } },
          aws: { endpointCidrs: [], endpointServices: [], s3Cidrs: ['52.218.0.0/17'] },
        },
        tags: {},
      });
      return {};
    },
  });
}

describe('Workloads on stand-in inputs', () => {
  const catalog = configOf('dev').services;

  it('renders the catalog against inputs other than the platform program', async () => {
    const run = await render(catalog);
    const deployments = run.resources.filter((r) => r.type === 'kubernetes:apps/v1:Deployment');
    expect(deployments.map((d) => (d.inputs.metadata as { namespace: string }).namespace)).toEqual(
      catalog.map(() => 'standin-t'),
    );
  });

  it("gives each service's store a reader that cannot read another service's secret", async () => {
    const api = catalog.find((s) => s.name === 'api');
    if (!api) throw new Error('no api in the catalog');
    const billing: ServiceSpec = {
      ...api,
      name: 'billing',
      secrets: ['LEDGER_KEY'],
      uses: {},
      ingress: undefined,
    };
    const run = await render([...catalog, billing]);
    const policyOf = (service: string) => {
      const policy = run.resources.find((r) => r.name === `workloads-${service}-secret-reader-policy`);
      if (!policy) throw new Error(`no secret reader policy for ${service}`);
      return JSON.parse(String(policy.inputs.policy)) as unknown;
    };
    const read = (reader: string, secret: string) =>
      decide(policyOf(reader), 'secretsmanager:GetSecretValue', ownSecret(secret));
    expect(await read('api', 'api')).toBe('Allowed');
    expect(await read('billing', 'billing')).toBe('Allowed');
    expect(await read('api', 'billing')).toBe('ImplicitlyDenied');
    expect(await read('billing', 'api')).toBe('ImplicitlyDenied');
    // Each ExternalSecret names its own service's store.
    const refs = run.resources
      .filter((r) => (r.inputs as { kind?: string }).kind === 'ExternalSecret')
      .map((r) => {
        const { metadata, spec } = r.inputs as {
          metadata: { labels: Record<string, string> };
          spec: { secretStoreRef: { kind: string; name: string } };
        };
        return [metadata.labels['app.kubernetes.io/name'], spec.secretStoreRef];
      });
    expect(refs).toEqual(
      expect.arrayContaining([
        ['api', { kind: 'SecretStore', name: 'api' }],
        ['billing', { kind: 'SecretStore', name: 'billing' }],
      ]),
    );
    for (const [service, ref] of refs) expect(ref).toEqual({ kind: 'SecretStore', name: service });
  });
});

/** Services in the shapes the seed applications need, loaded through the catalog as a stack would. */
function shapes(): ServiceSpec[] {
  const catalogText = stringify({
    front: {
      build: { context: 'front' },
      ports: { http: 80, admin: { port: 9000, servicePort: 9443 } },
      probes: {
        liveness: { tcp: { port: 'http' }, initialDelaySeconds: 15 },
        readiness: { http: { path: '/ready', port: 'admin' }, timeoutSeconds: 4 },
        startup: { grpc: { port: 'admin' }, failureThreshold: 60 },
      },
      resources: { requests: { cpu: '50m', memory: '64Mi' }, limits: { cpu: '100m', memory: '128Mi' } },
      replicas: 2,
      rollout: { strategy: 'Recreate' },
      labels: { team: 'shop' },
      annotations: { 'prometheus.io/scrape': 'true' },
      secrets: [
        { key: 'tls.key', file: '/etc/tls/tls.key' },
        { key: 'token', env: 'TOKEN', from: 'shared/token' },
      ],
      files: { '/etc/front/config.yaml': 'greeting: hello\n' },
      jobs: { migrate: { command: ['migrate', 'up'] } },
      cronJobs: { report: { schedule: '*/30 * * * *', args: ['--report'] } },
    },
    back: {
      build: { context: 'back' },
      probes: {
        liveness: { exec: { command: ['/bin/check'] } },
        readiness: { exec: { command: ['/bin/check'] } },
      },
      resources: { requests: { cpu: '50m', memory: '64Mi' }, limits: { cpu: '100m', memory: '128Mi' } },
      replicas: 1,
      autoscaling: { minReplicas: 1, maxReplicas: 3, targetMemoryPercent: 75 },
      calls: ['front'],
      jobs: { seed: { command: ['seed'] } },
    },
  });
  return loadPlatformConfig({
    stack: 't',
    values: {
      'aws:region': 'eu-west-1',
      'slipway:tier': 'dev',
    },
    catalogText,
  }).services;
}

describe('Workloads in the shapes the catalog allows', () => {
  let run: OfflineRun;
  beforeAll(async () => {
    run = await render(shapes());
  });
  const object = (kind: string, name: string) => {
    const found = kubeObjects(run).filter((o) => o.kind === kind && o.metadata.name === name);
    if (found.length !== 1) throw new Error(`${found.length} ${kind} ${name}`);
    return found[0] as KubeObject;
  };
  interface Container {
    ports?: unknown[];
    livenessProbe: unknown;
    readinessProbe: unknown;
    startupProbe: unknown;
    securityContext: { capabilities: unknown };
    volumeMounts: unknown[];
    env?: unknown;
  }
  interface Pod {
    metadata: { labels: Record<string, string>; annotations: Record<string, string> };
    spec: { containers: Container[]; volumes: unknown[]; restartPolicy?: string };
  }
  const template = (kind: string, name: string) => {
    const spec = object(kind, name).spec as { template?: Pod; jobTemplate?: { spec: { template: Pod } } };
    return (spec.template ?? spec.jobTemplate?.spec.template) as Pod;
  };

  it('publishes each named port, on its Service port or its own, and probes any of them', () => {
    expect((object('Service', 'front').spec as { ports: unknown }).ports).toEqual([
      { name: 'http', port: 80, targetPort: 'http', protocol: 'TCP' },
      { name: 'admin', port: 9443, targetPort: 'admin', protocol: 'TCP' },
    ]);
    const [container] = template('Deployment', 'front').spec.containers as [Container];
    expect(container.livenessProbe).toEqual({
      tcpSocket: { port: 'http' },
      initialDelaySeconds: 15,
      periodSeconds: 10,
      timeoutSeconds: 2,
      failureThreshold: 3,
    });
    expect(container.readinessProbe).toEqual({
      httpGet: { path: '/ready', port: 'admin' },
      periodSeconds: 5,
      timeoutSeconds: 4,
      failureThreshold: 3,
    });
    // gRPC probes take the port's number, not its name.
    expect(container.startupProbe).toEqual({
      grpc: { port: 9000 },
      periodSeconds: 5,
      timeoutSeconds: 2,
      failureThreshold: 60,
    });
    expect(container.securityContext.capabilities).toEqual({ drop: ['ALL'], add: ['NET_BIND_SERVICE'] });
  });

  it('runs a worker with exec probes, no port, no Service, and lets it call', () => {
    const [container] = template('Deployment', 'back').spec.containers as [Container];
    expect(container.ports).toBeUndefined();
    expect(container.livenessProbe).toMatchObject({ exec: { command: ['/bin/check'] } });
    expect(
      kubeObjects(run)
        .filter((o) => o.kind === 'Service')
        .map((o) => o.metadata.name),
    ).toEqual(['front']);
    expect(kubeObjects(run).some((o) => o.metadata.name === 'back-ingress')).toBe(false);
    const egress = object('NetworkPolicy', 'back-egress').spec as { egress: { ports: unknown[] }[] };
    expect(egress.egress[0]?.ports).toEqual([
      { protocol: 'TCP', port: 80 },
      { protocol: 'TCP', port: 9000 },
    ]);
    const hpa = object('HorizontalPodAutoscaler', 'back').spec as { metrics: unknown[] };
    expect(hpa.metrics).toEqual([
      {
        type: 'Resource',
        resource: { name: 'memory', target: { type: 'Utilization', averageUtilization: 75 } },
      },
    ]);
  });

  it('recreates when asked, and puts the catalog labels and annotations on pods and the Service', () => {
    expect((object('Deployment', 'front').spec as { strategy: unknown }).strategy).toEqual({
      type: 'Recreate',
    });
    const pod = template('Deployment', 'front');
    expect(pod.metadata.labels).toMatchObject({ team: 'shop', 'app.kubernetes.io/name': 'front' });
    expect(pod.metadata.annotations).toMatchObject({ 'prometheus.io/scrape': 'true' });
    expect(object('Service', 'front').metadata).toMatchObject({
      labels: { team: 'shop' },
      annotations: { 'prometheus.io/scrape': 'true' },
    });
  });

  it('mounts catalog files and secret files read-only, one file each', () => {
    const pod = template('Deployment', 'front');
    expect(object('ConfigMap', 'front-files').data).toEqual({ 'etc_front_config.yaml': 'greeting: hello\n' });
    expect(pod.spec.containers[0]?.volumeMounts).toEqual([
      { name: 'tmp', mountPath: '/tmp' },
      {
        name: 'files',
        mountPath: '/etc/front/config.yaml',
        subPath: 'etc_front_config.yaml',
        readOnly: true,
      },
      { name: 'secret-files', mountPath: '/etc/tls/tls.key', subPath: 'etc_tls_tls.key', readOnly: true },
    ]);
    expect(pod.spec.volumes).toEqual([
      { name: 'tmp', emptyDir: { sizeLimit: '64Mi' } },
      { name: 'files', configMap: { name: 'front-files' } },
      { name: 'secret-files', secret: { secretName: 'front-secret-files' } },
    ]);
    const ownSecret = 'arn:aws:secretsmanager:eu-west-1:123456789012:secret:standin-t/front-AbCdEf';
    expect((object('ExternalSecret', 'front-secret-files').spec as { data: unknown }).data).toEqual([
      { secretKey: 'etc_tls_tls.key', remoteRef: { key: ownSecret, property: 'tls.key' } },
    ]);
    expect((object('ExternalSecret', 'front-secrets').spec as { data: unknown }).data).toEqual([
      { secretKey: 'TOKEN', remoteRef: { key: 'shared/token', property: 'token' } },
    ]);
  });

  it('runs jobs in the hardened pod under a name the Service does not select, with the service egress', () => {
    const job = template('Job', 'front-migrate');
    const cron = object('CronJob', 'front-report').spec as Record<string, unknown>;
    expect(cron).toMatchObject({ schedule: '*/30 * * * *', concurrencyPolicy: 'Forbid' });
    for (const pod of [job, template('CronJob', 'front-report')]) {
      expect(pod.spec.restartPolicy).toBe('Never');
      expect(pod.metadata.labels['app.kubernetes.io/name']).not.toBe('front');
      expect(pod.metadata.labels['slipway.dev/service']).toBe('front');
      expect(pod.spec.containers[0]?.securityContext).toEqual(
        template('Deployment', 'front').spec.containers[0]?.securityContext,
      );
    }
    expect(job.spec.containers[0]).toMatchObject({ name: 'migrate', command: ['migrate', 'up'] });
    // The job's pods have no ports to receive on; the default deny keeps them closed.
    expect(kubeObjects(run).some((o) => o.metadata.name === 'front-migrate-ingress')).toBe(false);
    // A job of a service that calls others reaches what the service reaches.
    const jobEgress = object('NetworkPolicy', 'back-seed-egress').spec as Record<string, unknown>;
    const serviceEgress = object('NetworkPolicy', 'back-egress').spec as Record<string, unknown>;
    expect(jobEgress.podSelector).toEqual({ matchLabels: { 'app.kubernetes.io/name': 'back-seed' } });
    expect(jobEgress.egress).toEqual(serviceEgress.egress);
    // And the callee lets it in: its ingress admits the caller's pods and its job's pods, nothing else.
    const frontIngress = object('NetworkPolicy', 'front-ingress').spec as {
      ingress: { from: { podSelector?: { matchLabels: Record<string, string> } }[] }[];
    };
    expect(frontIngress.ingress[0]?.from).toEqual([
      { podSelector: { matchLabels: { 'app.kubernetes.io/name': 'back' } } },
      { podSelector: { matchLabels: { 'app.kubernetes.io/name': 'back-seed' } } },
    ]);
  });
});
