import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { loadPlatformConfig } from '../infra/config/load';
import type { ServiceSpec } from '../infra/config/services';
import { asJobWorkload } from '../infra/workloads/jobs';
import { stableHex } from '../offline/cloud';
import type { OfflineRun } from '../offline/engine';
import { readStackFiles } from '../offline/stack-files';
import { externalSecretsSchemaFailures } from './support/external-secrets-schema';
import {
  exampleDir,
  exampleFolders,
  examples,
  renderExample as render,
  type ExampleName,
} from './support/examples';
import { allowedEdges, compareMatrix, declaredEdges, matrixWorld } from './support/reachability-matrix';
import { stacks } from './support/render';
import { named, ofType } from './support/resources';
import { kubeObject, kubeObjects, objectsOfKind, type KubeObject } from './infra/workloads/objects';
import {
  candidatesOf,
  checkResource,
  checkStack,
  resourcePolicies,
  stackPolicies,
} from './policy/run-policies';

/**
 * Every example under examples/ (the seed applications as catalogs and the stack files of both projects)
 * rendered once per stack, platform then apps, as `npm run plan -- --example <name> --stack <stack>
 * [--project apps]` renders them; every case below reads those shared renders.
 */

type Stack = (typeof stacks)[number];
/** A fixed pod count, or the autoscaler's [min, max]. */
type Replicas = number | [number, number];

/** What each seed states, read here by hand rather than from the catalogs under test. */
interface Expected {
  /** store → engine, as the seed's data layer becomes the platform's data services. */
  stores: Record<string, string>;
  /** service → the stores it uses: each gets its own login there. */
  uses: Record<string, string[]>;
  /** stack → service → replicas: the services each environment runs, and how many of each. */
  replicas: Record<Stack, Record<string, Replicas>>;
}

const expected: Record<ExampleName, Expected> = {
  ecommerce: {
    stores: { postgresql: 'postgres', redis: 'redis' },
    uses: {
      'user-service': ['postgresql', 'redis'],
      'product-service': ['postgresql'],
      'order-service': ['postgresql'],
    },
    replicas: {
      dev: { 'api-gateway': 1, 'user-service': [1, 3], 'product-service': [1, 4], 'order-service': 1 },
      staging: { 'api-gateway': 2, 'user-service': [3, 6], 'product-service': [2, 8], 'order-service': 2 },
      prod: { 'api-gateway': 3, 'user-service': [3, 10], 'product-service': [5, 20], 'order-service': 4 },
    },
  },
  roboshop: {
    stores: { mongodb: 'documentdb', mysql: 'mysql', redis: 'redis', rabbitmq: 'rabbitmq' },
    uses: {
      catalogue: ['mongodb'],
      cart: ['redis'],
      user: ['mongodb', 'redis'],
      shipping: ['mysql'],
      payment: ['rabbitmq'],
    },
    replicas: {
      dev: { web: 1, catalogue: [1, 10], cart: 1, user: 1, shipping: 1, payment: 1 },
      staging: { web: 2, catalogue: [2, 10], cart: 2, user: 2, shipping: 2, payment: 2 },
      prod: { web: 3, catalogue: [3, 10], cart: 3, user: 3, shipping: 3, payment: 3 },
    },
  },
  'flask-umbrella': {
    stores: { 'app-db': 'postgres' },
    uses: { 'api-service': ['app-db'], admin: ['app-db'] },
    // 2, 3 and 4 applications: the seed's dev, staging and prod tfvars.
    replicas: {
      dev: { 'api-service': [2, 10], worker: 1 },
      staging: { 'api-service': [2, 10], admin: 2, worker: 1 },
      prod: { 'api-service': [3, 20], admin: 2, worker: 2, monitoring: 2 },
    },
  },
};

/** Each engine's port as the platform runs it, and the resource that is the store. */
const engines: Record<string, { port: number; type: string; logical: string }> = {
  postgres: { port: 5432, type: 'aws:rds/instance:Instance', logical: 'instance' },
  mysql: { port: 3306, type: 'aws:rds/instance:Instance', logical: 'instance' },
  redis: { port: 6379, type: 'aws:elasticache/replicationGroup:ReplicationGroup', logical: 'group' },
  rabbitmq: { port: 5671, type: 'aws:mq/broker:Broker', logical: 'broker' },
  documentdb: { port: 27017, type: 'aws:docdb/cluster:Cluster', logical: 'cluster' },
};

/** The example's apps config for a stack, as the apps program loads it. */
function servicesOf(example: string, stack: string): ServiceSpec[] {
  const dir = exampleDir(example);
  return loadPlatformConfig({
    stack,
    values: readStackFiles(join(dir, 'infra', 'apps'), stack).config,
    catalogText: readFileSync(join(dir, 'services.yaml'), 'utf8'),
    project: 'apps',
  }).services;
}

/** The service a pod (or the object that runs it) belongs to: a job's pods name it in a label. */
const serviceOf = (labels: Record<string, string> = {}) =>
  labels['slipway.dev/service'] ?? labels['app.kubernetes.io/name'] ?? '';

interface PodSpec {
  containers: {
    envFrom?: { secretRef?: { name: string } }[];
    env?: { valueFrom?: { secretKeyRef?: { name: string } } }[];
  }[];
  volumes?: { secret?: { secretName: string } }[];
}
interface PodTemplate {
  metadata: { labels: Record<string, string> };
  spec: PodSpec;
}

/** Every pod template the apps run (Deployments, Jobs, CronJobs), with the Secrets it mounts or reads. */
function podsAndSecrets(run: OfflineRun): { service: string; workload: string; secrets: string[] }[] {
  return kubeObjects(run)
    .filter((o) => ['Deployment', 'Job', 'CronJob'].includes(o.kind))
    .map((o) => {
      const spec = o.spec as { template?: PodTemplate; jobTemplate?: { spec: { template: PodTemplate } } };
      const template = (spec.template ?? spec.jobTemplate?.spec.template) as PodTemplate;
      const secrets = [
        ...template.spec.containers.flatMap((c) => [
          ...(c.envFrom ?? []).flatMap((e) => (e.secretRef ? [e.secretRef.name] : [])),
          ...(c.env ?? []).flatMap((e) => (e.valueFrom?.secretKeyRef ? [e.valueFrom.secretKeyRef.name] : [])),
        ]),
        ...(template.spec.volumes ?? []).flatMap((v) => (v.secret ? [v.secret.secretName] : [])),
      ];
      return { service: serviceOf(template.metadata.labels), workload: o.metadata.name, secrets };
    });
}

/** What an ExternalSecret reads from Secrets Manager: each key, by data entry and by extract. */
const remoteKeys = (externalSecret: KubeObject) => {
  const spec = externalSecret.spec as {
    data?: { remoteRef: { key: string } }[];
    dataFrom?: { extract?: { key: string } }[];
  };
  return [
    ...(spec.data ?? []).map((d) => d.remoteRef.key),
    ...(spec.dataFrom ?? []).flatMap((d) => (d.extract ? [d.extract.key] : [])),
  ];
};

/** The master (RDS, DocumentDB) and admin (Amazon MQ) secrets of the stack's data stores. */
function masterSecrets(run: OfflineRun, stores: Record<string, string>): string[] {
  return [
    ...ofType(run, 'aws:rds/instance:Instance').map((i) => `secret:rds!db-${stableHex(8, i.id ?? '')}`),
    ...ofType(run, 'aws:docdb/cluster:Cluster').map((c) => `secret:rds!cluster-${stableHex(8, c.id ?? '')}`),
    ...Object.entries(stores)
      .filter(([, engine]) => engine === 'rabbitmq')
      // The platform names it `<project>-<stack>-<store>/admin`; the namespace is named `<project>-<stack>`.
      .map(([store]) => `secret:${String(run.outputs.workloadsNamespaceName)}-${store}/admin-`),
  ];
}

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
interface Container {
  ports?: { name: string; containerPort: number }[];
  securityContext: { capabilities: unknown };
}
const containerOf = (run: OfflineRun, name: string): Container =>
  (kubeObject(run, 'Deployment', name).spec as { template: { spec: { containers: Container[] } } }).template
    .spec.containers[0] as Container;

it('covers every folder under examples/', () => {
  expect(exampleFolders()).toEqual([...examples].sort());
});

describe.each(examples.flatMap((example) => stacks.map((stack) => [example, stack] as const)))(
  'examples/%s, stack %s',
  (example, stack) => {
    const want = expected[example];
    const running = Object.keys(want.replicas[stack]).sort();
    const allServices = [...new Set(Object.values(want.replicas).flatMap((set) => Object.keys(set)))];
    let run: OfflineRun;
    beforeAll(async () => {
      run = await render(example, stack);
    });

    it('runs the services the seed runs in that environment, and creates nothing for the others', () => {
      expect(names(objectsOfKind(run, 'Deployment'))).toEqual(running);
      // The repository, role and service account exist exactly for the services that run.
      const repositories = ofType(run, 'aws:ecr/repository:Repository').map(
        (r) => String(r.inputs.name).split('/')[1],
      );
      expect(repositories.sort()).toEqual(running);
      expect(names(objectsOfKind(run, 'ServiceAccount'))).toEqual(expect.arrayContaining(running));
      const prefix = `${String(run.outputs.workloadsRolePrefix)}-`;
      const workloadRoles = ofType(run, 'aws:iam/role:Role')
        .map((r) => String(r.inputs.name))
        .filter((n) => n.startsWith(prefix))
        .map((n) => n.slice(prefix.length));
      for (const absent of allServices.filter((s) => !running.includes(s))) {
        expect(workloadRoles).not.toContain(absent);
        expect(JSON.stringify(kubeObjects(run))).not.toContain(`"app.kubernetes.io/name":"${absent}"`);
      }
    });

    it('runs each service with the replicas the seed gives that environment', () => {
      const replicas = Object.fromEntries(
        objectsOfKind(run, 'Deployment').map((d) => {
          const hpa = objectsOfKind(run, 'HorizontalPodAutoscaler').find(
            (h) => h.metadata.name === d.metadata.name,
          )?.spec as { minReplicas: number; maxReplicas: number } | undefined;
          return [d.metadata.name, hpa ? [hpa.minReplicas, hpa.maxReplicas] : d.spec?.replicas];
        }),
      );
      expect(replicas).toEqual(want.replicas[stack]);
    });

    it('runs the data stores the seed names, as the platform’s data services on their engines’ ports', () => {
      const endpoints = run.outputs.dataStoreEndpoints as Record<string, { engine: string; port: number }>;
      expect(Object.fromEntries(Object.entries(endpoints).map(([store, e]) => [store, e.engine]))).toEqual(
        want.stores,
      );
      for (const [store, engine] of Object.entries(want.stores)) {
        const { port, type, logical } = engines[engine] as (typeof engines)[string];
        expect(endpoints[store]?.port).toBe(port);
        named(run, type, `data-${store}-${logical}`);
        // Reachable from the cluster's nodes on its own port only.
        expect(
          (
            named(run, 'aws:ec2/securityGroup:SecurityGroup', `data-${store}-sg`).inputs.ingress as unknown[]
          ).map((rule) => [(rule as { fromPort: number }).fromPort, (rule as { toPort: number }).toPort]),
        ).toEqual([[port, port]]);
      }
      // A login per running service and store it uses, and none for a service the stack leaves out.
      const credentials = run.outputs.dataCredentials as Record<string, Record<string, unknown>>;
      expect(
        Object.fromEntries(
          Object.entries(credentials).map(([service, byStore]) => [service, Object.keys(byStore)]),
        ),
      ).toEqual(
        Object.fromEntries(Object.entries(want.uses).filter(([service]) => running.includes(service))),
      );
    });

    it('lets every caller reach its callees, and every pod its own data stores, on their ports and nothing else', () => {
      const services = servicesOf(example, stack);
      // A job's pods reach what their service reaches; nothing reaches them.
      const workloads = services.flatMap((service) => [
        service,
        ...[...Object.keys(service.jobs), ...Object.keys(service.cronJobs)].map((job) =>
          asJobWorkload(service, job),
        ),
      ]);
      const world = matrixWorld(run, services);
      const allowed = allowedEdges(world);
      expect(compareMatrix(allowed, declaredEdges(world, workloads))).toEqual({
        blocked: [],
        undeclared: [],
      });
      // Stated from the seed, not from the catalog: each service's way into the data subnets.
      const portOf = (store: string) => (engines[want.stores[store] as string] as { port: number }).port;
      for (const service of running) {
        const toData = allowed.filter((e) => e.startsWith(`${service} → database:`)).sort();
        expect(toData).toEqual(
          [
            ...new Set(
              (want.uses[service] ?? []).map((store) => `${service} → database:${portOf(store)}/TCP`),
            ),
          ].sort(),
        );
      }
      for (const service of services) {
        for (const callee of service.calls) {
          expect(allowed.some((e) => e.startsWith(`${service.name} → ${callee}:`))).toBe(true);
        }
      }
    });

    it('gives no pod a master credential: each reads its own secret, its own logins and what it names', () => {
      const services = servicesOf(example, stack);
      const externalSecrets = objectsOfKind(run, 'ExternalSecret');
      expect(externalSecretsSchemaFailures(externalSecrets)).toEqual([]);
      const ownSecret = run.outputs.secretsServiceArns as Record<string, string>;
      const logins = run.outputs.dataCredentials as Record<string, Record<string, { secretArn: string }>>;
      const readable = (service: string) => [
        ...(ownSecret[service] ? [ownSecret[service]] : []),
        ...Object.values(logins[service] ?? {}).map((login) => login.secretArn),
        ...(services.find((s) => s.name === service)?.secrets ?? []).flatMap((secret) =>
          typeof secret !== 'string' && secret.from ? [secret.from] : [],
        ),
      ];
      const byTarget = new Map(
        externalSecrets.map((es) => [
          (es.spec as { target: { name: string } }).target.name,
          { service: serviceOf(es.metadata.labels), keys: remoteKeys(es) },
        ]),
      );
      const pods = podsAndSecrets(run);
      expect(pods.length).toBeGreaterThan(0);
      const problems: string[] = [];
      for (const pod of pods) {
        for (const secret of pod.secrets) {
          const source = byTarget.get(secret);
          // A Secret no ExternalSecret writes would be one the platform does not manage.
          if (!source)
            problems.push(`${pod.workload} reads Secret ${secret}, which no ExternalSecret writes`);
          else if (source.service !== pod.service)
            problems.push(`${pod.workload} reads Secret ${secret}, which is ${source.service}'s`);
          for (const key of source?.keys ?? []) {
            if (!readable(pod.service).includes(key)) problems.push(`${pod.workload} receives ${key}`);
          }
        }
      }
      expect(problems).toEqual([]);
      // The masters exist where the stores do, and nothing in the apps names one: not a pod, not a role,
      // not the reader role of any service's SecretStore.
      const masters = masterSecrets(run, want.stores);
      // Every store but Redis has one (Redis's default user is switched off).
      expect(masters).toHaveLength(Object.values(want.stores).filter((engine) => engine !== 'redis').length);
      const secretNames = ofType(run, 'aws:secretsmanager/secret:Secret').map(
        (s) => `secret:${String(s.inputs.name)}-`,
      );
      for (const admin of masters.filter((m) => m.endsWith('/admin-'))) expect(secretNames).toContain(admin);
      const apps = JSON.stringify([
        ...kubeObjects(run),
        ...ofType(run, 'aws:iam/rolePolicy:RolePolicy').map((p) => p.inputs),
      ]);
      for (const master of masters) expect(apps).not.toContain(master);
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
  },
);

describe('the examples’ shapes', () => {
  it('flask-umbrella: dev runs 2 applications, staging 3, prod 4, as the seed’s tfvars do', async () => {
    const counts = [];
    for (const stack of stacks)
      counts.push(objectsOfKind(await render('flask-umbrella', stack), 'Deployment').length);
    expect(counts).toEqual([2, 3, 4]);
  });

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
    // The seed's DATABASE_URL and REDIS_URL, composed from user-service's own logins.
    const composed = Object.fromEntries(
      objectsOfKind(run, 'ExternalSecret')
        .filter((es) => es.metadata.name.startsWith('user-service-data-'))
        .map((es) => {
          const template = (es.spec as { target: { template: { data: Record<string, string> } } }).target
            .template;
          return [es.metadata.name.replace(/-[0-9a-f]{8}$/, ''), template.data];
        }),
    );
    expect(composed['user-service-data-postgresql']?.DATABASE_URL).toBe(
      'postgresql://{{ .username }}:{{ .password }}@{{ .host }}:{{ .port }}/{{ .dbname }}?sslmode=require',
    );
    expect(composed['user-service-data-redis']?.REDIS_URL).toBe(
      'rediss://{{ .username }}:{{ .password }}@{{ .host }}:{{ .port }}',
    );
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

  it("flask-umbrella: the worker has no Service, the API key comes from the existing secret, which the API's store (not a pod) may read", async () => {
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
    // The API's SecretStore reads it (as its reader role) to write the API's Kubernetes Secret; no pod's
    // role and no other service's store reads it.
    expect(grants).toEqual(['workloads-api-service-secret-reader-policy']);
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
