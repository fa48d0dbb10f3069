import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { loadPlatformConfig } from '../../infra/config/load';
import type { ServiceSpec } from '../../infra/config/services';
import { asJobWorkload } from '../../infra/workloads/jobs';
import { stableHex } from '../../offline/cloud';
import type { OfflineRun } from '../../offline/engine';
import { readStackFiles } from '../../offline/stack-files';
import { externalSecretsSchemaFailures } from '../support/external-secrets-schema';
import { exampleDir, renderExample as render, type ExampleName } from '../support/examples';
import { allowedEdges, compareMatrix, declaredEdges, matrixWorld } from '../support/reachability-matrix';
import { stacks } from '../support/render';
import { ec2TagOnCreate, tagOnCreate } from '../../infra/bootstrap/permissions';
import { named, ofType } from '../support/resources';
import { kubeObject, kubeObjects, objectsOfKind, type KubeObject } from '../infra/workloads/objects';
import {
  candidatesOf,
  checkResource,
  checkStack,
  resourcePolicies,
  stackPolicies,
} from '../policy/run-policies';

/**
 * The checks every example under examples/ (a seed application as a catalog and the stack files of both
 * projects) passes in every stack, against what its seed states (`Expected`, written by hand in each
 * example's test file). Each stack is rendered once per run, platform then apps, as
 * `npm run plan -- --example <name> --stack <stack> [--project apps]` renders it; every case reads that
 * shared render. One test file per example, so jest runs them side by side.
 */

export type Stack = (typeof stacks)[number];
/** A fixed pod count, or the autoscaler's [min, max]. */
type Replicas = number | [number, number];

/** What each seed states, read here by hand rather than from the catalogs under test. */
export interface Expected {
  /** store → engine, as the seed's data layer becomes the platform's data services. */
  stores: Record<string, string>;
  /** service → the stores it uses: each gets its own login there. */
  uses: Record<string, string[]>;
  /** stack → service → replicas: the services each environment runs, and how many of each. */
  replicas: Record<Stack, Record<string, Replicas>>;
}

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
function podsAndSecrets(
  run: OfflineRun,
): { service: string; namespace: string; workload: string; secrets: string[] }[] {
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
      return {
        service: serviceOf(template.metadata.labels),
        namespace: o.metadata.namespace ?? 'default',
        workload: o.metadata.name,
        secrets,
      };
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

/** The engines whose users the platform's Job creates inside the store, from the master or admin login. */
const provisionedEngines = ['postgres', 'mysql', 'documentdb', 'rabbitmq'];
/** The platform's namespace for that, beside the apps' (infra/data/user-provisioning.ts). */
const provisioning = (appsNamespace: string) => `${appsNamespace}-data`;

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

export const names = (objects: KubeObject[]) => objects.map((o) => o.metadata.name).sort();
interface ServicePort {
  name: string;
  port: number;
  targetPort: string;
}
export const servicePorts = (run: OfflineRun, name: string) =>
  ((kubeObject(run, 'Service', name).spec as { ports: ServicePort[] }).ports ?? []).map((p) => [
    p.name,
    p.port,
  ]);
interface Container {
  ports?: { name: string; containerPort: number }[];
  securityContext: { capabilities: unknown };
}
export const containerOf = (run: OfflineRun, name: string): Container =>
  (kubeObject(run, 'Deployment', name).spec as { template: { spec: { containers: Container[] } } }).template
    .spec.containers[0] as Container;

export function describeExample(example: ExampleName, want: Expected): void {
  describe.each(stacks)(`examples/${example}, stack %s`, (stack) => {
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

    it("tags every data store, key, secret, queue, registry, log group, web ACL, bucket, network resource and EKS resource with its stack, as the roles' tag-on-create denial requires", () => {
      const types = [...Object.values(tagOnCreate), ...Object.values(ec2TagOnCreate).map(({ type }) => type)];
      const untagged = types.flatMap((type) =>
        ofType(run, type)
          .filter((r) => (r.inputs.tags as Record<string, string> | undefined)?.stack !== stack)
          .map((r) => `${type} ${r.name}`),
      );
      expect(untagged).toEqual([]);
      // What @pulumi/eks creates (the cluster, its access entries) it tags with what the program passes it.
      const eks = named(run, 'eks:index:Cluster', 'cluster-eks').inputs as {
        tags: Record<string, string>;
        accessEntries: Record<string, { tags?: Record<string, string> }>;
      };
      expect(eks.tags.stack).toBe(stack);
      expect(Object.entries(eks.accessEntries).map(([entry, { tags }]) => [entry, tags?.stack])).toEqual(
        Object.keys(eks.accessEntries).map((entry) => [entry, stack]),
      );
      // Not vacuous: the keys and repositories of every stack, its data stores, its network and its cluster's.
      const present = types.filter((type) => ofType(run, type).length > 0);
      const storeTypes = Object.values(want.stores).flatMap((engine) => engines[engine]?.type ?? []);
      expect(present).toEqual(
        expect.arrayContaining([
          ...storeTypes,
          'aws:kms/key:Key',
          'aws:ecr/repository:Repository',
          'aws:ec2/vpc:Vpc',
          'aws:ec2/subnet:Subnet',
          'aws:ec2/securityGroup:SecurityGroup',
          'aws:ec2/routeTable:RouteTable',
          'aws:ec2/internetGateway:InternetGateway',
          'aws:ec2/natGateway:NatGateway',
          'aws:ec2/eip:Eip',
          'aws:ec2/flowLog:FlowLog',
          'aws:ec2/launchTemplate:LaunchTemplate',
          'aws:eks/nodeGroup:NodeGroup',
          'aws:eks/addon:Addon',
        ]),
      );
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
        // Reachable from the cluster's nodes on its own port only (and a broker on its management API, HTTPS,
        // where the platform's provisioning Job makes its users).
        expect(
          (
            named(run, 'aws:ec2/securityGroup:SecurityGroup', `data-${store}-sg`).inputs.ingress as unknown[]
          ).map((rule) => [(rule as { fromPort: number }).fromPort, (rule as { toPort: number }).toPort]),
        ).toEqual(
          engine === 'rabbitmq'
            ? [
                [port, port],
                [443, 443],
              ]
            : [[port, port]],
        );
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

    it('gives no pod of the apps a master credential: each reads its own secret, its own logins and what it names', () => {
      const services = servicesOf(example, stack);
      const namespace = String(run.outputs.workloadsNamespaceName);
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
          `${es.metadata.namespace}/${(es.spec as { target: { name: string } }).target.name}`,
          { service: serviceOf(es.metadata.labels), keys: remoteKeys(es) },
        ]),
      );
      const pods = podsAndSecrets(run).filter((pod) => pod.namespace === namespace);
      expect(pods.length).toBeGreaterThan(0);
      const problems: string[] = [];
      for (const pod of pods) {
        for (const secret of pod.secrets) {
          const source = byTarget.get(`${pod.namespace}/${secret}`);
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
        ...kubeObjects(run).filter((o) => o.metadata.namespace !== provisioning(namespace)),
        ...ofType(run, 'aws:iam/rolePolicy:RolePolicy')
          .filter((p) => !/^data-users-[\w-]+-master-reader-policy$/.test(p.name))
          .map((p) => p.inputs),
      ]);
      for (const master of masters) expect(apps).not.toContain(master);
    });

    it("reads each master login only in the platform's provisioning namespace, into that store's Job alone", () => {
      const namespace = provisioning(String(run.outputs.workloadsNamespaceName));
      // The stores whose users live in the engine and that a running service uses (stated from the seed).
      const provisioned = Object.entries(want.stores)
        .filter(([, engine]) => provisionedEngines.includes(engine))
        .map(([store]) => store)
        .filter((store) => running.some((service) => want.uses[service]?.includes(store)))
        .sort();
      const masters = masterSecrets(run, want.stores);
      const logins = run.outputs.dataCredentials as Record<string, Record<string, { secretArn: string }>>;
      const keysOf = new Map(
        objectsOfKind(run, 'ExternalSecret', namespace).map((es) => [
          (es.spec as { target: { name: string } }).target.name,
          remoteKeys(es),
        ]),
      );
      const jobs = podsAndSecrets(run).filter((pod) => pod.namespace === namespace);
      expect(jobs.map((job) => job.service).sort()).toEqual(provisioned.map((store) => `${store}-users`));
      for (const store of provisioned) {
        const job = jobs.find((j) => j.service === `${store}-users`);
        const received = [...new Set((job?.secrets ?? []).flatMap((secret) => keysOf.get(secret) ?? []))];
        const users = running.filter((service) => want.uses[service]?.includes(store));
        const master = received.filter((key) => masters.some((m) => key.includes(m)));
        // Its own store's master, and exactly its users' own credentials: nothing of another store.
        expect(master).toHaveLength(1);
        expect(received.filter((key) => !master.includes(key)).sort()).toEqual(
          users.map((service) => logins[service]?.[store]?.secretArn).sort(),
        );
      }
      // Every master naming in a Kubernetes object is one of these ExternalSecrets, one per provisioned store.
      const naming = kubeObjects(run).filter((o) => masters.some((m) => JSON.stringify(o).includes(m)));
      expect(naming.map((o) => [o.kind, o.metadata.namespace, o.metadata.name]).sort()).toEqual(
        provisioned.map((store) => ['ExternalSecret', namespace, `${store}-master`]),
      );
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
  });
}

export { render };
