import { externalSecretsSchemaFailures } from './support/external-secrets-schema';
import { exampleFolders, examples, renderExample as render } from './support/examples';
import { stacks } from './support/render';
import { ofType } from './support/resources';
import { kubeObject, objectsOfKind, type KubeObject } from './infra/workloads/objects';
import {
  candidatesOf,
  checkResource,
  checkStack,
  resourcePolicies,
  stackPolicies,
} from './policy/run-policies';
import type { OfflineRun } from '../offline/engine';

/**
 * Every example under examples/ (the seed applications as catalogs and the stack files of both projects)
 * rendered for every stack through the offline engine, platform then apps, as
 * `npm run plan -- --example <name> --stack <stack> [--project apps]` renders them.
 */

/** The services each example runs per stack: the seeds' environment progressions. */
const serviceSets: Record<(typeof examples)[number], Record<string, string[]>> = {
  ecommerce: Object.fromEntries(
    stacks.map((s) => [s, ['api-gateway', 'user-service', 'product-service', 'order-service']]),
  ),
  roboshop: Object.fromEntries(
    stacks.map((s) => [s, ['web', 'catalogue', 'cart', 'user', 'shipping', 'payment']]),
  ),
  'flask-umbrella': {
    dev: ['api-service', 'worker'],
    staging: ['api-service', 'admin', 'worker'],
    prod: ['api-service', 'admin', 'worker', 'monitoring'],
  },
};

const names = (objects: KubeObject[]) => objects.map((o) => o.metadata.name).sort();
interface ServicePort {
  name: string;
  port: number;
  targetPort: string;
}
const servicePorts = (run: OfflineRun, name: string) =>
  ((kubeObject(run, 'Service', name).spec as { ports: ServicePort[] }).ports ?? []).map((p) => [
    p.name,
    p.port,
  ]);
interface PodTemplate {
  spec: {
    containers: {
      ports?: { name: string; containerPort: number }[];
      securityContext: { capabilities: unknown };
    }[];
  };
}
const containerOf = (run: OfflineRun, name: string): PodTemplate['spec']['containers'][number] =>
  (kubeObject(run, 'Deployment', name).spec as { template: PodTemplate }).template.spec
    .containers[0] as PodTemplate['spec']['containers'][number];

it('covers every folder under examples/', () => {
  expect(exampleFolders()).toEqual([...examples].sort());
});

describe.each(examples.flatMap((example) => stacks.map((stack) => [example, stack] as const)))(
  'examples/%s, stack %s',
  (example, stack) => {
    let run: OfflineRun;
    beforeAll(async () => {
      run = await render(example, stack);
    });

    it('runs the services the seed runs in that environment, and creates nothing for the others', () => {
      const expected = [...(serviceSets[example][stack] as string[])].sort();
      expect(names(objectsOfKind(run, 'Deployment'))).toEqual(expected);
      // The repository, role and service account exist exactly for the services that run.
      const repositories = ofType(run, 'aws:ecr/repository:Repository').map(
        (r) => String(r.inputs.name).split('/')[1],
      );
      expect(repositories.sort()).toEqual(expected);
      expect(names(objectsOfKind(run, 'ServiceAccount'))).toEqual(expect.arrayContaining(expected));
      const prefix = `${String(run.outputs.workloadsRolePrefix)}-`;
      const workloadRoles = ofType(run, 'aws:iam/role:Role')
        .map((r) => String(r.inputs.name))
        .filter((n) => n.startsWith(prefix))
        .map((n) => n.slice(prefix.length));
      for (const absent of Object.values(serviceSets[example])
        .flat()
        .filter((s) => !expected.includes(s))) {
        expect(workloadRoles).not.toContain(absent);
        expect(repositories).not.toContain(absent);
      }
    });

    it('passes the policy pack', async () => {
      const candidates = candidatesOf(run);
      const violations = [];
      for (const policy of resourcePolicies) {
        for (const candidate of candidates)
          violations.push(...(await checkResource(policy, candidate)).violations);
      }
      for (const policy of stackPolicies) violations.push(...((await checkStack(policy, candidates)) ?? []));
      expect(violations).toEqual([]);
    });

    it('renders ExternalSecrets the v1 schema accepts, each reading only what its service may read', () => {
      const externalSecrets = objectsOfKind(run, 'ExternalSecret');
      expect(externalSecretsSchemaFailures(externalSecrets)).toEqual([]);
      // What a pod may receive: its service's own secret, its own data credentials, a secret it names.
      const credentials = Object.values(
        (run.outputs.dataCredentials ?? {}) as Record<string, Record<string, { secretArn: string }>>,
      ).flatMap((byStore) => Object.values(byStore).map((credential) => credential.secretArn));
      const keys = externalSecrets.flatMap((es) =>
        ((es.spec as { data?: { remoteRef: { key: string } }[] }).data ?? []).map((d) => d.remoteRef.key),
      );
      const own = new RegExp(`:secret:slipway-${stack}/[a-z0-9-]+-\\w{6}$`);
      expect(
        keys.filter((key) => key.startsWith('arn:') && !own.test(key) && !credentials.includes(key)),
      ).toEqual([]);
    });
  },
);

describe('the examples’ shapes', () => {
  it('ecommerce: user-service publishes its API on 80 and its management port on 8081, probed there', async () => {
    const run = await render('ecommerce', 'prod');
    expect(servicePorts(run, 'user-service')).toEqual([
      ['http', 80],
      ['management', 8081],
    ]);
    const container = containerOf(run, 'user-service') as unknown as Record<string, { httpGet?: unknown }>;
    expect(container.livenessProbe?.httpGet).toEqual({ path: '/health', port: 'management' });
    expect(servicePorts(run, 'api-gateway')).toEqual([['http', 80]]);
    const hpa = kubeObject(run, 'HorizontalPodAutoscaler', 'product-service').spec as {
      metrics: { resource: { name: string } }[];
    };
    expect(hpa.metrics.map((m) => m.resource.name)).toEqual(['cpu']);
    expect(kubeObject(run, 'Deployment', 'product-service').spec?.strategy).toEqual({
      type: 'RollingUpdate',
      rollingUpdate: { maxUnavailable: 1, maxSurge: 2 },
    });
    expect(kubeObject(run, 'PodDisruptionBudget', 'user-service').spec?.minAvailable).toBe(2);
  });

  it('roboshop: callers reach each service on 8080; web binds 80 with NET_BIND_SERVICE alone and mounts its nginx.conf', async () => {
    const run = await render('roboshop', 'prod');
    for (const name of ['catalogue', 'cart', 'user', 'shipping', 'payment']) {
      expect(servicePorts(run, name)).toEqual([['http', 8080]]);
    }
    expect(servicePorts(run, 'web')).toEqual([['http', 80]]);
    expect(containerOf(run, 'web').securityContext.capabilities).toEqual({
      drop: ['ALL'],
      add: ['NET_BIND_SERVICE'],
    });
    expect(containerOf(run, 'cart').securityContext.capabilities).toEqual({ drop: ['ALL'] });
    const files = kubeObject(run, 'ConfigMap', 'web-files').data as Record<string, string>;
    expect(Object.keys(files)).toEqual(['etc_nginx_nginx.conf']);
    expect(files['etc_nginx_nginx.conf']).toContain('proxy_pass http://catalogue:8080/;');
    // The seed's init scripts run as Jobs before the rollout, with the service's egress and no ingress.
    expect(names(objectsOfKind(run, 'Job'))).toEqual([
      'catalogue-load-products',
      'shipping-load-cities',
      'user-load-users',
    ]);
    const cartIngress = kubeObject(run, 'NetworkPolicy', 'cart-ingress').spec as {
      ingress: { from: unknown[]; ports: unknown[] }[];
    };
    expect(cartIngress.ingress.map((rule) => rule.ports)).toEqual([
      [{ protocol: 'TCP', port: 8080 }],
      [{ protocol: 'TCP', port: 8080 }],
      [{ protocol: 'TCP', port: 8080 }],
    ]);
  });

  it('flask-umbrella: the worker has no Service, the API key comes from the existing secret, which the operator (not a pod) may read', async () => {
    const run = await render('flask-umbrella', 'prod');
    expect(names(objectsOfKind(run, 'Service'))).toEqual(['admin', 'api-service', 'monitoring']);
    expect(servicePorts(run, 'api-service')).toEqual([['http', 80]]);
    expect(names(objectsOfKind(run, 'CronJob'))).toEqual(['worker-cleanup']);
    const externalSecret = kubeObject(run, 'ExternalSecret', 'api-service-secrets').spec as {
      data: unknown[];
    };
    expect(externalSecret.data).toEqual([
      { secretKey: 'API_KEY', remoteRef: { key: 'my-app/api', property: 'key' } },
    ]);
    const grants = ofType(run, 'aws:iam/rolePolicy:RolePolicy')
      .filter((p) => String(p.inputs.policy).includes('secret:my-app/api-??????'))
      .map((p) => p.name);
    // The operator reads it to write the API's Kubernetes Secret; no pod's role reads a secret.
    expect(grants).toEqual(['addons-external-secrets-policy']);
    const hpa = kubeObject(run, 'HorizontalPodAutoscaler', 'api-service').spec as {
      minReplicas: number;
      maxReplicas: number;
      behavior: unknown;
    };
    expect([hpa.minReplicas, hpa.maxReplicas]).toEqual([3, 20]);
    expect(hpa.behavior).toEqual({
      scaleUp: {
        stabilizationWindowSeconds: 60,
        policies: [{ type: 'Percent', value: 50, periodSeconds: 60 }],
      },
      scaleDown: {
        stabilizationWindowSeconds: 300,
        policies: [{ type: 'Percent', value: 10, periodSeconds: 60 }],
      },
    });
  });
});
