import { configHash } from '../../../infra/workloads/config-map';
import { offlineImageDigest } from '../../../offline/cloud';
import type { OfflineRun } from '../../../offline/engine';
import { renderEnvironment, stacks } from '../../support/render';
import { configOf, kubeObject, objectsOfKind, workloadNamespace } from './objects';

interface Container {
  name: string;
  image: string;
  ports: { name: string; containerPort: number }[];
  envFrom: { configMapRef?: { name: string }; secretRef?: { name: string } }[];
  resources: unknown;
  securityContext: Record<string, unknown>;
  startupProbe: { httpGet: { path: string; port: string } };
  livenessProbe: { httpGet: { path: string; port: string } };
  readinessProbe: { httpGet: { path: string; port: string } };
  lifecycle: { preStop: { sleep: { seconds: number } } };
  volumeMounts: { name: string; mountPath: string }[];
}
interface DeploymentSpec {
  replicas?: number;
  strategy: { type: string; rollingUpdate: { maxUnavailable: number; maxSurge: number } };
  template: {
    metadata: { annotations: Record<string, string> };
    spec: {
      serviceAccountName: string;
      automountServiceAccountToken: boolean;
      securityContext: Record<string, unknown>;
      terminationGracePeriodSeconds: number;
      topologySpreadConstraints: unknown[];
      containers: Container[];
      volumes: { name: string; emptyDir?: unknown }[];
    };
  };
}

describe.each(stacks)('the %s Deployments', (stack) => {
  let run: OfflineRun;
  const config = configOf(stack);
  beforeAll(async () => {
    run = await renderEnvironment(stack);
  });
  const deployment = (name: string) => kubeObject(run, 'Deployment', name).spec as unknown as DeploymentSpec;
  const container = (name: string) => deployment(name).template.spec.containers[0] as Container;

  describe.each(config.services.map((s) => [s.name, s] as const))('%s', (name, service) => {
    it('runs the digest the stack runs now (no new image passed), pinned in its own repository', () => {
      const repository = `slipway-${stack}/${name}`;
      expect(container(name).image).toBe(
        `123456789012.dkr.ecr.eu-west-1.amazonaws.com/${repository}@${offlineImageDigest(repository, 'running')}`,
      );
    });

    it('runs as a fixed non-root user with the restricted pod security context', () => {
      expect(deployment(name).template.spec.securityContext).toEqual({
        runAsNonRoot: true,
        runAsUser: 10001,
        runAsGroup: 10001,
        fsGroup: 10001,
        seccompProfile: { type: 'RuntimeDefault' },
      });
      expect(container(name).securityContext).toEqual({
        runAsNonRoot: true,
        runAsUser: 10001,
        runAsGroup: 10001,
        allowPrivilegeEscalation: false,
        readOnlyRootFilesystem: true,
        privileged: false,
        capabilities: { drop: ['ALL'] },
        seccompProfile: { type: 'RuntimeDefault' },
      });
    });

    it('writes only to an emptyDir at /tmp', () => {
      expect(container(name).volumeMounts).toEqual([{ name: 'tmp', mountPath: '/tmp' }]);
      expect(deployment(name).template.spec.volumes).toEqual([
        { name: 'tmp', emptyDir: { sizeLimit: '64Mi' } },
      ]);
    });

    it('states the catalog requests and limits', () => {
      expect(container(name).resources).toEqual(service.resources);
    });

    it('probes startup, liveness and readiness on the catalog health paths', () => {
      const { startupProbe, livenessProbe, readinessProbe, ports } = container(name);
      expect(ports).toEqual([{ name: 'http', containerPort: 8080, protocol: 'TCP' }]);
      const { liveness, readiness, startup } = service.probes;
      expect(startupProbe).toEqual({
        httpGet: { path: (startup ?? liveness).http?.path, port: 'http' },
        periodSeconds: 5,
        failureThreshold: 24,
        timeoutSeconds: 2,
      });
      expect(livenessProbe).toEqual({
        httpGet: { path: liveness.http?.path, port: 'http' },
        periodSeconds: 10,
        failureThreshold: 3,
        timeoutSeconds: 2,
      });
      expect(readinessProbe).toEqual({
        httpGet: { path: readiness.http?.path, port: 'http' },
        periodSeconds: 5,
        failureThreshold: 3,
        timeoutSeconds: 2,
      });
    });

    it('rolls out one new pod at a time and never below the desired count', () => {
      expect(deployment(name).strategy).toEqual({
        type: 'RollingUpdate',
        rollingUpdate: { maxUnavailable: 0, maxSurge: 1 },
      });
    });

    it('spreads its own pods across zones and nodes', () => {
      const labelSelector = { matchLabels: { 'app.kubernetes.io/name': name } };
      expect(deployment(name).template.spec.topologySpreadConstraints).toEqual([
        {
          maxSkew: 1,
          topologyKey: 'topology.kubernetes.io/zone',
          whenUnsatisfiable: stack === 'dev' ? 'ScheduleAnyway' : 'DoNotSchedule',
          labelSelector,
        },
        {
          maxSkew: 1,
          topologyKey: 'kubernetes.io/hostname',
          whenUnsatisfiable: 'ScheduleAnyway',
          labelSelector,
        },
      ]);
    });

    it('terminates gracefully: a preStop pause inside the grace period', () => {
      const grace = deployment(name).template.spec.terminationGracePeriodSeconds;
      const pause = container(name).lifecycle.preStop.sleep.seconds;
      expect(pause).toBeGreaterThan(0);
      expect(grace).toBeGreaterThan(pause);
    });

    it('reads its ConfigMap and its secrets through envFrom, and rolls when the config changes', () => {
      const refs = container(name).envFrom.map((ref) => ref.configMapRef?.name ?? ref.secretRef?.name);
      expect(refs).toEqual([
        `${name}-config`,
        ...(service.secrets.length > 0 ? [`${name}-secrets`] : []),
        ...Object.keys(service.uses).map((store) =>
          expect.stringMatching(new RegExp(`^${name}-data-${store}-[0-9a-f]{8}$`)),
        ),
      ]);
      const configMap = kubeObject(run, 'ConfigMap', `${name}-config`);
      expect(configMap.data).toMatchObject({
        ...service.env,
        SERVICE_NAME: name,
        PORT: '8080',
      });
      expect(deployment(name).template.metadata.annotations['slipway.dev/config-hash']).toBe(
        configHash(configMap.data as Record<string, string>),
      );
    });

    it('leaves the replica count to the HPA when it autoscales', () => {
      expect(deployment(name).replicas).toBe(service.autoscaling ? undefined : service.replicas);
    });

    it('is reachable through a ClusterIP Service on its named port', () => {
      const svc = kubeObject(run, 'Service', name);
      expect(svc.metadata.namespace).toBe(workloadNamespace(stack));
      expect(svc.spec).toEqual({
        type: 'ClusterIP',
        selector: { 'app.kubernetes.io/name': name },
        ports: [{ name: 'http', port: 80, targetPort: 'http', protocol: 'TCP' }],
      });
    });
  });

  it('gives the database user its own login to app-db, composed by the operator into the variables it declared', () => {
    const secretName = container('api').envFrom.at(-1)?.secretRef?.name ?? '';
    const external = kubeObject(run, 'ExternalSecret', secretName);
    const credentialArn = (
      run.outputs.dataCredentials as Record<string, Record<string, { secretArn: string }>>
    ).api?.['app-db']?.secretArn;
    expect(external.spec).toMatchObject({
      target: {
        name: secretName,
        creationPolicy: 'Owner',
        template: {
          engineVersion: 'v2',
          data: {
            DB_HOST: '{{ .host }}',
            DB_PORT: '{{ .port }}',
            DB_NAME: '{{ .dbname }}',
            DB_USER: '{{ .username }}',
            DB_PASSWORD: '{{ .password }}',
          },
        },
      },
      dataFrom: [
        { extract: { key: credentialArn, version: expect.stringMatching(/^uuid\/[0-9a-f-]{36}$/) } },
      ],
    });
    // No endpoint or password in plain config, and nothing of a data store for a service that uses none.
    expect(kubeObject(run, 'ConfigMap', 'api-config').data).not.toHaveProperty('DB_HOST');
    expect(container('web').envFrom.map((ref) => ref.secretRef?.name ?? ref.configMapRef?.name)).toEqual([
      'web-config',
    ]);
  });

  it('autoscales web and api on CPU and memory, scaling up at once and down by at most half the pods a minute', () => {
    expect(
      objectsOfKind(run, 'HorizontalPodAutoscaler')
        .map((h) => h.metadata.name)
        .sort(),
    ).toEqual(['api', 'web']);
    for (const service of config.services.filter((s) => s.autoscaling)) {
      const spec = kubeObject(run, 'HorizontalPodAutoscaler', service.name).spec as Record<string, unknown>;
      expect(spec).toMatchObject({
        scaleTargetRef: { apiVersion: 'apps/v1', kind: 'Deployment', name: service.name },
        minReplicas: service.autoscaling?.minReplicas,
        maxReplicas: service.autoscaling?.maxReplicas,
        metrics: [
          {
            type: 'Resource',
            resource: { name: 'cpu', target: { type: 'Utilization', averageUtilization: 70 } },
          },
          {
            type: 'Resource',
            resource: { name: 'memory', target: { type: 'Utilization', averageUtilization: 80 } },
          },
        ],
        behavior: {
          scaleUp: { stabilizationWindowSeconds: 0 },
          scaleDown: {
            stabilizationWindowSeconds: 300,
            policies: [{ type: 'Percent', value: 50, periodSeconds: 60 }],
          },
        },
      });
    }
  });

  it(`protects ${stack === 'prod' ? 'every service' : 'the services that ask'} with a PodDisruptionBudget`, () => {
    const budgets = objectsOfKind(run, 'PodDisruptionBudget');
    expect(budgets.map((b) => b.metadata.name).sort()).toEqual(
      stack === 'prod' ? ['api', 'web', 'worker'] : ['api', 'web'],
    );
    for (const budget of budgets) {
      expect(budget.spec).toEqual({
        minAvailable: 1,
        selector: { matchLabels: { 'app.kubernetes.io/name': budget.metadata.name } },
        unhealthyPodEvictionPolicy: 'AlwaysAllow',
      });
    }
  });
});

describe('configHash', () => {
  it('changes with any value, so a config edit rolls the pods, and ignores key order', () => {
    const hash = configHash({ LOG_LEVEL: 'info', PORT: '8080' });
    expect(hash).toMatch(/^[0-9a-f]{16}$/);
    expect(configHash({ PORT: '8080', LOG_LEVEL: 'info' })).toBe(hash);
    expect(configHash({ LOG_LEVEL: 'debug', PORT: '8080' })).not.toBe(hash);
    expect(configHash({ LOG_LEVEL: 'info', PORT: '8080', QUEUE: 'jobs' })).not.toBe(hash);
  });
});
