import { offlineAccountId, stableHex } from '../../../offline/cloud';
import type { OfflineRun, RecordedResource } from '../../../offline/engine';
import { kmsKeyArn, named, ofType } from '../../support/resources';
import { asList, kubeObjects, objectsOfKind, roleOf, statements, subnetCidrs } from '../workloads/objects';
import { join } from 'node:path';
import { loadPlatformConfig } from '../../../infra/config/load';
import { readSettings } from '../../../infra/settings/load';
import { readStackFiles } from '../../../offline/stack-files';
import { allowedEdges, compareMatrix, declaredEdges, matrixWorld } from '../../support/reachability-matrix';
import { repoRoot } from '../../support/render';
import { shopCatalogText, shopProject } from './shop';

const render = shopProject();
const stacks = ['dev', 'staging', 'prod'] as const;

/** What each tier asks of each engine (infra/config/defaults.ts), stated here rather than read back. */
const tiers = {
  dev: {
    postgres: {
      multiAz: false,
      deletionProtection: false,
      backupRetentionPeriod: 1,
      skipFinalSnapshot: true,
    },
    redis: {
      numCacheClusters: 1,
      automaticFailoverEnabled: false,
      multiAzEnabled: false,
      snapshotRetentionLimit: 0,
    },
    rabbitmq: { deploymentMode: 'SINGLE_INSTANCE', hostInstanceType: 'mq.t3.micro' },
    documentdb: {
      instances: 1,
      deletionProtection: false,
      backupRetentionPeriod: 1,
      skipFinalSnapshot: true,
    },
  },
  staging: {
    postgres: {
      multiAz: false,
      deletionProtection: true,
      backupRetentionPeriod: 7,
      skipFinalSnapshot: false,
    },
    redis: {
      numCacheClusters: 2,
      automaticFailoverEnabled: true,
      multiAzEnabled: true,
      snapshotRetentionLimit: 3,
    },
    rabbitmq: { deploymentMode: 'SINGLE_INSTANCE', hostInstanceType: 'mq.m5.large' },
    documentdb: {
      instances: 1,
      deletionProtection: true,
      backupRetentionPeriod: 7,
      skipFinalSnapshot: false,
    },
  },
  prod: {
    postgres: {
      multiAz: true,
      deletionProtection: true,
      backupRetentionPeriod: 14,
      skipFinalSnapshot: false,
    },
    redis: {
      numCacheClusters: 3,
      automaticFailoverEnabled: true,
      multiAzEnabled: true,
      snapshotRetentionLimit: 14,
    },
    rabbitmq: { deploymentMode: 'CLUSTER_MULTI_AZ', hostInstanceType: 'mq.m5.large' },
    documentdb: {
      instances: 3,
      deletionProtection: true,
      backupRetentionPeriod: 14,
      skipFinalSnapshot: false,
    },
  },
} as const;

/** store → engine port, as the applications reach it. */
const ports = {
  'orders-db': 5432,
  cities: 3306,
  sessions: 6379,
  events: 5671,
  'catalogue-db': 27017,
} as const;
/** service → the networked stores it uses. */
const uses: Record<string, (keyof typeof ports)[]> = {
  web: [],
  catalogue: ['catalogue-db'],
  cart: ['sessions'],
  shipping: ['cities'],
  payment: ['events'],
  orders: ['orders-db'],
  worker: [],
};

const secretArnOf = (run: OfflineRun, secret: RecordedResource) =>
  `arn:aws:secretsmanager:eu-west-1:${offlineAccountId}:secret:${String(secret.inputs.name)}-${stableHex(6, secret.id ?? '')}`;

describe.each(stacks)('the %s data services', (stack) => {
  let run: OfflineRun;
  let dataKey: string;
  let dataSubnets: string[];
  let nodeSecurityGroup: unknown;
  beforeAll(async () => {
    run = await render(stack);
    dataKey = kmsKeyArn(run, 'keys-data');
    dataSubnets = ofType(run, 'aws:ec2/subnet:Subnet')
      .filter((subnet) => subnet.name.startsWith('network-database-'))
      .map((subnet) => subnet.id ?? '');
    const template = named(run, 'aws:ec2/launchTemplate:LaunchTemplate', 'cluster-general-lt');
    nodeSecurityGroup = (template.inputs.networkInterfaces as { securityGroups: string[] }[])[0]
      ?.securityGroups[0];
  }, 120_000);

  it('runs PostgreSQL and MySQL on RDS with the tier safety, encrypted with the data key, TLS required', () => {
    for (const [store, engine, family, tls] of [
      ['orders-db', 'postgres', 'postgres17', 'rds.force_ssl'],
      ['cities', 'mysql', 'mysql8.4', 'require_secure_transport'],
    ] as const) {
      const instance = named(run, 'aws:rds/instance:Instance', `data-${store}-instance`);
      expect(instance.inputs).toMatchObject({
        identifier: `slipway-${stack}-${store}`,
        engine,
        port: ports[store],
        storageEncrypted: true,
        kmsKeyId: dataKey,
        manageMasterUserPassword: true,
        masterUserSecretKmsKeyId: dataKey,
        publiclyAccessible: false,
        ...tiers[stack].postgres,
      });
      const parameters = named(run, 'aws:rds/parameterGroup:ParameterGroup', `data-${store}-params`);
      expect(parameters.inputs.family).toBe(family);
      expect(JSON.stringify(parameters.inputs.parameters)).toContain(tls);
      expect(named(run, 'aws:rds/subnetGroup:SubnetGroup', `data-${store}-subnets`).inputs.subnetIds).toEqual(
        dataSubnets,
      );
    }
  });

  it('runs Redis on ElastiCache with TLS required, the data key at rest, and the tier replicas and snapshots', () => {
    const group = named(run, 'aws:elasticache/replicationGroup:ReplicationGroup', 'data-sessions-group');
    expect(group.inputs).toMatchObject({
      replicationGroupId: `slipway-${stack}-sessions`,
      engine: 'redis',
      port: 6379,
      atRestEncryptionEnabled: true,
      kmsKeyId: dataKey,
      transitEncryptionEnabled: true,
      transitEncryptionMode: 'required',
      ...tiers[stack].redis,
    });
    if (stack === 'dev') expect(group.inputs).not.toHaveProperty('finalSnapshotIdentifier');
    else expect(group.inputs.finalSnapshotIdentifier).toBe(`slipway-${stack}-sessions-final`);
    expect(group.inputs).not.toHaveProperty('authToken');
    expect(
      named(run, 'aws:elasticache/subnetGroup:SubnetGroup', 'data-sessions-subnets').inputs.subnetIds,
    ).toEqual(dataSubnets);
  });

  it('gives Redis one user per service, confined to its key prefix, and switches the default user off', () => {
    const users = ofType(run, 'aws:elasticache/user:User');
    const byName = Object.fromEntries(users.map((user) => [user.name, user.inputs]));
    expect(Object.keys(byName).sort()).toEqual(['data-sessions-cart-user', 'data-sessions-default-user']);
    expect(byName['data-sessions-default-user']).toMatchObject({
      userName: 'default',
      accessString: 'off -@all',
    });
    expect(byName['data-sessions-cart-user']).toMatchObject({
      userName: 'cart',
      accessString: 'on ~cart:* &* +@all -@dangerous',
      authenticationMode: { type: 'password' },
    });
    const group = named(run, 'aws:elasticache/userGroup:UserGroup', 'data-sessions-users');
    expect(group.inputs.userIds).toEqual([
      `slipway-${stack}-sessions-default`,
      `slipway-${stack}-sessions-cart`,
    ]);
    expect(
      named(run, 'aws:elasticache/replicationGroup:ReplicationGroup', 'data-sessions-group').inputs
        .userGroupIds,
    ).toEqual([`slipway-${stack}-sessions-users`]);
  });

  it('runs RabbitMQ on Amazon MQ in the data subnets, never public, with the tier deployment', () => {
    const broker = named(run, 'aws:mq/broker:Broker', 'data-events-broker');
    expect(broker.inputs).toMatchObject({
      brokerName: `slipway-${stack}-events`,
      engineType: 'RabbitMQ',
      publiclyAccessible: false,
      // Amazon MQ offers RabbitMQ brokers an AWS-owned key only; stated, not left to a default.
      encryptionOptions: { useAwsOwnedKey: true },
      ...tiers[stack].rabbitmq,
    });
    const subnets = broker.inputs.subnetIds as string[];
    expect(subnets).toEqual(stack === 'prod' ? dataSubnets : dataSubnets.slice(0, 1));
    const admin = ofType(run, 'aws:secretsmanager/secret:Secret').find((s) => s.name === 'data-events-admin');
    expect(admin?.inputs).toMatchObject({ name: `slipway-${stack}-events/admin`, kmsKeyId: dataKey });
  });

  it('runs DocumentDB with the tier instances and safety, storage under the data key, TLS on', () => {
    const cluster = named(run, 'aws:docdb/cluster:Cluster', 'data-catalogue-db-cluster');
    const { instances, ...safety } = tiers[stack].documentdb;
    expect(cluster.inputs).toMatchObject({
      clusterIdentifier: `slipway-${stack}-catalogue-db`,
      engine: 'docdb',
      port: 27017,
      storageEncrypted: true,
      kmsKeyId: dataKey,
      manageMasterUserPassword: true,
      ...safety,
    });
    expect(ofType(run, 'aws:docdb/clusterInstance:ClusterInstance')).toHaveLength(instances);
    const parameters = named(
      run,
      'aws:docdb/clusterParameterGroup:ClusterParameterGroup',
      'data-catalogue-db-params',
    );
    expect(parameters.inputs.parameters).toContainEqual(
      expect.objectContaining({ name: 'tls', value: 'enabled' }),
    );
    expect(
      named(run, 'aws:docdb/subnetGroup:SubnetGroup', 'data-catalogue-db-subnets').inputs.subnetIds,
    ).toEqual(dataSubnets);
  });

  it('admits each store on its own port (and the broker on its management API) from the cluster nodes only, with nothing out', () => {
    for (const [store, port] of Object.entries(ports)) {
      const group = named(run, 'aws:ec2/securityGroup:SecurityGroup', `data-${store}-sg`);
      // The platform's provisioning Job makes the broker's users over HTTPS; the apps' pods are held to
      // AMQPS by their network policies.
      expect(group.inputs.ingress).toEqual(
        (store === 'events' ? [port, 443] : [port]).map((admitted) =>
          expect.objectContaining({
            protocol: 'tcp',
            fromPort: admitted,
            toPort: admitted,
            securityGroups: [nodeSecurityGroup],
          }),
        ),
      );
      expect(JSON.stringify(group.inputs.ingress)).not.toContain('cidrBlocks');
      expect(group.inputs.egress).toEqual([]);
    }
  });

  it('encrypts the SQS queue and its dead letters with the data key and closes them to other accounts and plain HTTP', () => {
    const queue = named(run, 'aws:sqs/queue:Queue', 'data-jobs-queue');
    const dlq = named(run, 'aws:sqs/queue:Queue', 'data-jobs-dlq');
    expect(queue.inputs).toMatchObject({
      name: `slipway-${stack}-jobs`,
      kmsMasterKeyId: dataKey,
      visibilityTimeoutSeconds: 60,
    });
    expect(dlq.inputs).toMatchObject({ name: `slipway-${stack}-jobs-dlq`, kmsMasterKeyId: dataKey });
    expect(JSON.parse(String(queue.inputs.redrivePolicy))).toEqual({
      deadLetterTargetArn: `arn:aws:sqs:eu-west-1:${offlineAccountId}:slipway-${stack}-jobs-dlq`,
      maxReceiveCount: 5,
    });
    for (const policy of ofType(run, 'aws:sqs/queuePolicy:QueuePolicy')) {
      const denies = JSON.parse(String(policy.inputs.policy)).Statement as { Condition: unknown }[];
      expect(denies.map((statement) => statement.Condition)).toEqual([
        { StringNotEquals: { 'aws:PrincipalAccount': offlineAccountId } },
        { Bool: { 'aws:SecureTransport': 'false' } },
      ]);
    }
  });

  it('keeps one credential per service and store, under the data key, its value a Pulumi secret', () => {
    const credentials = ofType(run, 'aws:secretsmanager/secret:Secret').filter((s) =>
      String(s.inputs.name).includes('/data/'),
    );
    expect(credentials.map((secret) => secret.inputs.name).sort()).toEqual(
      Object.entries(uses)
        .flatMap(([service, stores]) => stores.map((store) => `slipway-${stack}/data/${store}/${service}`))
        .sort(),
    );
    for (const secret of credentials) expect(secret.inputs.kmsKeyId).toBe(dataKey);
    for (const version of ofType(run, 'aws:secretsmanager/secretVersion:SecretVersion')) {
      // Pulumi's secret envelope: the plan and the state never show the value.
      expect(version.inputs.secretString).toHaveProperty(['4dabf18193072939515e22adb298388d']);
    }
  });

  it('lets nothing in the apps read a master or admin secret, and each service read only its own', () => {
    const adminArns = [
      ...ofType(run, 'aws:rds/instance:Instance').map((i) => `rds!db-${stableHex(8, i.id ?? '')}`),
      `rds!cluster-${stableHex(8, named(run, 'aws:docdb/cluster:Cluster', 'data-catalogue-db-cluster').id ?? '')}`,
      `slipway-${stack}-events/admin`,
    ];
    // The operator has no role; each service's SecretStore reads as that service's reader role.
    expect(ofType(run, 'aws:iam/role:Role').map((r) => r.name)).not.toContain('addons-external-secrets-role');
    const secrets = ofType(run, 'aws:secretsmanager/secret:Secret');
    const readers = ofType(run, 'aws:iam/rolePolicy:RolePolicy').filter((p) =>
      p.name.endsWith('-secret-reader-policy'),
    );
    expect(readers.length).toBeGreaterThan(1);
    for (const reader of readers) {
      const service = reader.name.replace(/^workloads-/, '').replace(/-secret-reader-policy$/, '');
      const readable = asList(statements(reader, 'policy')[0]?.Resource ?? []);
      // `<prefix>/<service>` and `<prefix>/data/<store>/<service>`: its own secret and its own logins.
      const own = secrets
        .filter((secret) => String(secret.inputs.name).endsWith(`/${service}`))
        .map((secret) => secretArnOf(run, secret));
      expect([service, readable.sort()]).toEqual([service, own.sort()]);
    }
    const apps = [
      ...kubeObjects(run).filter((o) => o.metadata.namespace === `slipway-${stack}`),
      ...ofType(run, 'aws:iam/rolePolicy:RolePolicy').filter((p) => p.name.startsWith('workloads-')),
    ];
    for (const thing of apps) for (const arn of adminArns) expect(JSON.stringify(thing)).not.toContain(arn);
  });

  it('lets each pod reach its own stores on their ports and its queues through SQS, and nothing else', () => {
    // The apps stack file without the sample's service overrides, as the shop project has it.
    const values = Object.fromEntries(
      Object.entries(readStackFiles(join(repoRoot, 'infra', 'apps'), stack).config).filter(
        ([key]) => key !== 'slipway:services',
      ),
    );
    const services = loadPlatformConfig({
      stack,
      values,
      catalogText: shopCatalogText,
      project: 'apps',
      settings: readSettings(repoRoot),
    }).services;
    const world = matrixWorld(run, services);
    const allowed = allowedEdges(world);
    expect(compareMatrix(allowed, declaredEdges(world, services))).toEqual({ blocked: [], undeclared: [] });
    // The queue users hold a role, so they reach STS and SQS: by endpoint where the stack has them.
    const sqs = stack === 'dev' ? 'internet' : 'aws-endpoints';
    const queueUsers = services.filter((s) => Object.values(s.uses).some((use) => use.access));
    expect(queueUsers.length).toBeGreaterThan(0);
    for (const service of queueUsers) expect(allowed).toContain(`${service.name} → ${sqs}:443/TCP`);
  });

  it("composes each service's declared variables from its own credential, pinned to the version written", () => {
    const templates = Object.fromEntries(
      objectsOfKind(run, 'ExternalSecret')
        .filter((e) => e.metadata.name.includes('-data-'))
        .map((e) => {
          const spec = e.spec as {
            target: { template: { data: Record<string, string> } };
            dataFrom: unknown;
          };
          return [e.metadata.name.replace(/-[0-9a-f]{8}$/, ''), spec.target.template.data];
        }),
    );
    expect(templates).toEqual({
      'catalogue-data-catalogue-db': {
        MONGO_URL:
          'mongodb://{{ .username }}:{{ .password }}@{{ .host }}:{{ .port }}/{{ .dbname }}?tls=true&replicaSet=rs0&retryWrites=false',
      },
      'cart-data-sessions': { REDIS_URL: 'rediss://{{ .username }}:{{ .password }}@{{ .host }}:{{ .port }}' },
      'shipping-data-cities': {
        DB_HOST: '{{ .host }}',
        DB_USER: '{{ .username }}',
        DB_PASSWORD: '{{ .password }}',
        DB_NAME: '{{ .dbname }}',
      },
      'payment-data-events': {
        AMQP_URL: 'amqps://{{ .username }}:{{ .password }}@{{ .host }}:{{ .port }}/{{ .vhost }}',
      },
      'orders-data-orders-db': {
        DATABASE_URL: 'postgresql://{{ .username }}:{{ .password }}@{{ .host }}:{{ .port }}/{{ .dbname }}',
      },
    });
  });

  it('writes what each credential holds: the store endpoint, the service own user and its own database or vhost', () => {
    const documents = Object.fromEntries(
      ofType(run, 'aws:secretsmanager/secretVersion:SecretVersion')
        .filter((v) => String(v.inputs.secretId).includes('/data/'))
        .map((v) => {
          const value = JSON.parse(
            String((v.inputs.secretString as Record<string, unknown>).value),
          ) as Record<string, unknown>;
          return [
            String(v.inputs.secretId).split('/data/')[1],
            { ...value, password: typeof value.password },
          ];
        }),
    );
    expect(documents).toMatchObject({
      'orders-db/orders': {
        engine: 'postgres',
        port: 5432,
        username: 'orders',
        dbname: 'orders',
        password: 'string',
      },
      'cities/shipping': { engine: 'mysql', port: 3306, username: 'shipping', dbname: 'cities' },
      'catalogue-db/catalogue': {
        engine: 'documentdb',
        port: 27017,
        username: 'catalogue',
        dbname: 'catalogue',
      },
      'events/payment': { engine: 'rabbitmq', port: 5671, username: 'payment', vhost: 'payment' },
      'sessions/cart': { engine: 'redis', port: 6379, username: 'cart' },
    });
    expect(documents['events/payment']?.host).toMatch(/^b-[0-9a-f-]+\.mq\.eu-west-1\.amazonaws\.com$/);
  });

  it('hands queue users the queue URL in plain config and grants exactly their access on their own role', () => {
    const url = `https://sqs.eu-west-1.amazonaws.com/${offlineAccountId}/slipway-${stack}-jobs`;
    const config = (name: string) =>
      kubeObjects(run).find((o) => o.kind === 'ConfigMap' && o.metadata.name === `${name}-config`)?.data;
    expect(config('orders')).toMatchObject({ JOBS_QUEUE_URL: url });
    expect(config('worker')).toMatchObject({ QUEUE_URL: url, QUEUE_NAME: `slipway-${stack}-jobs` });
    const queueArn = `arn:aws:sqs:eu-west-1:${offlineAccountId}:slipway-${stack}-jobs`;
    const grants = (service: string) => {
      const policy = roleOf(run, `workloads-${service}`).policy;
      if (!policy) throw new Error(`${service} has no policy`);
      return statements(policy, 'policy');
    };
    expect(grants('orders')).toEqual([
      {
        Sid: 'Queue0',
        Effect: 'Allow',
        Action: ['sqs:SendMessage', 'sqs:GetQueueAttributes', 'sqs:GetQueueUrl'],
        Resource: queueArn,
      },
      {
        Sid: 'QueueMessagesKey',
        Effect: 'Allow',
        Action: ['kms:Decrypt', 'kms:GenerateDataKey'],
        Resource: dataKey,
        Condition: { StringEquals: { 'kms:ViaService': 'sqs.eu-west-1.amazonaws.com' } },
      },
    ]);
    expect(grants('worker')[0]?.Action).toEqual([
      'sqs:ReceiveMessage',
      'sqs:DeleteMessage',
      'sqs:ChangeMessageVisibility',
      'sqs:GetQueueAttributes',
      'sqs:GetQueueUrl',
    ]);
    expect(grants('worker')[1]?.Action).toEqual(['kms:Decrypt']);
  });

  it('lets each service reach the data subnets on the ports of its own stores and no other', () => {
    const cidrs = subnetCidrs(run, 'database');
    for (const [service, stores] of Object.entries(uses)) {
      const egress = kubeObjects(run).find(
        (o) => o.kind === 'NetworkPolicy' && o.metadata.name === `${service}-egress`,
      );
      const rules = (
        (egress?.spec?.egress ?? []) as { to: { ipBlock?: { cidr: string } }[]; ports: { port: number }[] }[]
      ).filter((rule) => rule.to.some((peer) => peer.ipBlock && cidrs.includes(peer.ipBlock.cidr)));
      expect(rules.flatMap((rule) => rule.ports.map((p) => p.port))).toEqual(
        stores.map((store) => ports[store]),
      );
      for (const rule of rules) expect(rule.to.map((peer) => peer.ipBlock?.cidr)).toEqual(cidrs);
    }
  });

  it('exports each store endpoint, port and subnet blocks, and each queue, for the apps and the network policies', () => {
    const endpoints = run.outputs.dataStoreEndpoints as Record<
      string,
      { engine: string; port: number; cidrs: string[] }
    >;
    expect(Object.fromEntries(Object.entries(endpoints).map(([store, e]) => [store, e.port]))).toEqual(ports);
    for (const endpoint of Object.values(endpoints))
      expect(endpoint.cidrs).toEqual(subnetCidrs(run, 'database'));
    expect(run.outputs.dataQueues).toEqual({
      jobs: {
        url: `https://sqs.eu-west-1.amazonaws.com/${offlineAccountId}/slipway-${stack}-jobs`,
        arn: `arn:aws:sqs:eu-west-1:${offlineAccountId}:slipway-${stack}-jobs`,
        name: `slipway-${stack}-jobs`,
      },
    });
  });
});

/** The stores whose users the platform's Job creates inside the engine, and what each must get. */
const provisioned = {
  'orders-db': { engine: 'postgres', port: 5432, master: 'rds!db-', users: [['orders', 'orders']] },
  cities: { engine: 'mysql', port: 3306, master: 'rds!db-', users: [['shipping', 'cities']] },
  'catalogue-db': {
    engine: 'documentdb',
    port: 27017,
    master: 'rds!cluster-',
    users: [['catalogue', 'catalogue']],
  },
  // Through the broker's management API (HTTPS), with the admin login the platform generated.
  events: {
    engine: 'rabbitmq',
    port: 443,
    master: 'slipway-[a-z]+-events/admin-',
    users: [['payment', 'payment']],
  },
} as const;

describe.each(stacks)('the %s user provisioning', (stack) => {
  let run: OfflineRun;
  const namespace = `slipway-${stack}-data`;
  const inNamespace = (kind: string) =>
    objectsOfKind(run, kind).filter((o) => o.metadata.namespace === namespace);
  const byStore = (kind: string) =>
    Object.fromEntries(
      inNamespace(kind).map((o) => [o.metadata.labels?.['slipway.dev/data-store'] ?? '', o]),
    );
  beforeAll(async () => {
    run = await render(stack);
  }, 120_000);

  it('runs one hardened Job per PostgreSQL, MySQL, DocumentDB and RabbitMQ store in a restricted namespace of the platform', () => {
    const ns = objectsOfKind(run, 'Namespace').find((o) => o.metadata.name === namespace);
    expect(ns?.metadata.labels?.['pod-security.kubernetes.io/enforce']).toBe('restricted');
    const jobs = byStore('Job');
    expect(Object.keys(jobs).sort()).toEqual(Object.keys(provisioned).sort());
    for (const [store, job] of Object.entries(jobs)) {
      const pod = (job.spec as { template: { spec: Record<string, unknown> } }).template.spec as {
        automountServiceAccountToken: boolean;
        securityContext: Record<string, unknown>;
        containers: {
          image: string;
          securityContext: Record<string, unknown>;
          resources: { limits: Record<string, string>; requests: Record<string, string> };
        }[];
      };
      expect([store, pod.automountServiceAccountToken]).toEqual([store, false]);
      expect(pod.securityContext).toMatchObject({
        runAsNonRoot: true,
        seccompProfile: { type: 'RuntimeDefault' },
      });
      expect(pod.containers).toHaveLength(1);
      const container = pod.containers[0];
      expect(container?.securityContext).toEqual({
        allowPrivilegeEscalation: false,
        readOnlyRootFilesystem: true,
        privileged: false,
        capabilities: { drop: ['ALL'] },
      });
      expect(Object.keys(container?.resources.limits ?? {}).sort()).toEqual(['cpu', 'memory']);
      // An official image of a specific release (curl's own for RabbitMQ), pinned by its digest.
      expect(container?.image).toMatch(
        /^docker\.io\/(library\/(postgres|mysql|mongo)|curlimages\/curl):\d+\.\d+(\.\d+)?(-alpine)?@sha256:[0-9a-f]{64}$/,
      );
    }
  });

  it('lets the Jobs resolve names and reach their own store port in the data subnets, nothing else', () => {
    const policies = inNamespace('NetworkPolicy');
    expect(policies.map((p) => p.metadata.name).sort()).toEqual(
      ['allow-dns', 'default-deny-all', ...Object.keys(provisioned).map((store) => `${store}-store`)].sort(),
    );
    const cidrs = subnetCidrs(run, 'database');
    for (const [store, { port }] of Object.entries(provisioned)) {
      const policy = policies.find((p) => p.metadata.name === `${store}-store`);
      expect(policy?.spec).toEqual({
        podSelector: { matchLabels: expect.objectContaining({ 'slipway.dev/data-store': store }) },
        policyTypes: ['Egress'],
        egress: [{ to: cidrs.map((cidr) => ({ ipBlock: { cidr } })), ports: [{ protocol: 'TCP', port }] }],
      });
    }
    // Evaluated with every other policy of the cluster: each Job reaches DNS and its own store's port.
    const allowed = allowedEdges(matrixWorld(run, []));
    for (const [store, { port }] of Object.entries(provisioned)) {
      expect(allowed.filter((e) => e.startsWith(`${store}-users → `))).toEqual([
        `${store}-users → database:${port}/TCP`,
        `${store}-users → kube-dns:53/TCP`,
        `${store}-users → kube-dns:53/UDP`,
      ]);
    }
  });

  it("reads each store's master secret through a role that reads that secret alone, and nothing else reads one", () => {
    const policies = ofType(run, 'aws:iam/rolePolicy:RolePolicy');
    for (const [store, { master }] of Object.entries(provisioned)) {
      const reader = policies.find((p) => p.name === `data-users-${store}-master-reader-policy`);
      if (!reader) throw new Error(`no master reader for ${store}`);
      const readable = asList(statements(reader, 'policy')[0]?.Resource ?? []);
      expect(readable).toHaveLength(1);
      expect(readable[0]).toMatch(new RegExp(`:secret:${master}`));
      const synced = byStore('ExternalSecret');
      const masterSecret = inNamespace('ExternalSecret').find((e) => e.metadata.name === `${store}-master`);
      expect(masterSecret?.spec).toMatchObject({ dataFrom: [{ extract: { key: readable[0] } }] });
      expect(synced[store]).toBeDefined();
      const { role } = roleOf(run, `data-users-${store}-master-reader`);
      const trust = statements(role, 'assumeRolePolicy')[0]?.Condition?.StringEquals ?? {};
      expect(Object.values(trust)).toContain(`system:serviceaccount:${namespace}:${store}.master-reader`);
    }
    // The master and admin secrets' ARNs appear in no role policy but the four master readers.
    const masterArns = inNamespace('ExternalSecret')
      .filter((e) => e.metadata.name.endsWith('-master'))
      .map((e) => (e.spec as { dataFrom: { extract: { key: string } }[] }).dataFrom[0]?.extract.key ?? '');
    expect(masterArns).toHaveLength(4);
    const naming = policies
      .filter((p) => masterArns.some((arn) => String(p.inputs.policy).includes(arn)))
      .map((p) => p.name)
      .sort();
    expect(naming).toEqual(
      Object.keys(provisioned)
        .map((s) => `data-users-${s}-master-reader-policy`)
        .sort(),
    );
  });

  it("gives each Job its users' passwords from their own credential secrets, pinned to the version written", () => {
    for (const [store, { users }] of Object.entries(provisioned)) {
      const reader = named(run, 'aws:iam/rolePolicy:RolePolicy', `data-users-${store}-users-reader-policy`);
      const readable = asList(statements(reader, 'policy')[0]?.Resource ?? []);
      const own = users.map(([service]) =>
        secretArnOf(run, named(run, 'aws:secretsmanager/secret:Secret', `data-${store}-${service}`)),
      );
      expect(readable.sort()).toEqual([...own].sort());
      const synced = inNamespace('ExternalSecret').find((e) =>
        new RegExp(`^${store}-users-[0-9a-f]{10}$`).test(e.metadata.name),
      );
      // The same version the service's own pods read.
      const appVersion = (service: string) =>
        (
          objectsOfKind(run, 'ExternalSecret').find((e) =>
            e.metadata.name.startsWith(`${service}-data-${store}-`),
          )?.spec as { dataFrom: { extract: { version: string } }[] }
        ).dataFrom[0]?.extract.version;
      expect(synced?.spec).toMatchObject({
        data: users.map(([service], index) => ({
          secretKey: service,
          remoteRef: { key: own[index], property: 'password', version: appVersion(service) },
        })),
      });
      expect(appVersion(users[0][0])).toMatch(/^uuid\/[0-9a-f-]{36}$/);
    }
  });

  it('runs SQL that gives each user rights on its own database only', () => {
    const scripts = byStore('ConfigMap');
    const text = (store: string) =>
      Object.values((scripts[store]?.data ?? {}) as Record<string, string>).join('');
    const postgres = text('orders-db');
    expect([...postgres.matchAll(/^GRANT (.+) TO (.+);$/gm)].map((m) => [m[1], m[2]])).toEqual([
      // The master's membership in the role, which PostgreSQL 16 asks before it owns a database.
      ['"orders"', 'CURRENT_USER'],
      ['ALL ON DATABASE "orders"', '"orders"'],
      ['ALL ON SCHEMA public', '"orders"'],
    ]);
    expect(postgres).toMatch(/REVOKE ALL ON DATABASE "orders" FROM PUBLIC;/);
    // The schema grant runs inside the user's own database.
    expect(postgres).toMatch(
      /\\connect "orders"\nREVOKE ALL ON SCHEMA public FROM PUBLIC;\nGRANT ALL ON SCHEMA public TO "orders";/,
    );
    expect(postgres).not.toMatch(/SUPERUSER|CREATEDB\b(?! )|CREATEROLE\b(?! )|pg_read_all|rds_superuser/);
    const mysql = text('cities');
    expect([...mysql.matchAll(/GRANT (.+?) TO '(\w+)'@'%'/g)].map((m) => [m[1], m[2]])).toEqual([
      ['ALL PRIVILEGES ON \\`cities\\`.*', 'shipping'],
    ]);
    expect(mysql).not.toContain('*.*');
    const documentdb = text('catalogue-db');
    expect(documentdb).toContain(
      'const users = [{"user":"catalogue","db":"catalogue","variable":"PASSWORD_catalogue"}];',
    );
    expect(documentdb).toContain("const roles = [{ role: 'readWrite', db }];");
    expect(documentdb).not.toMatch(/readWriteAnyDatabase|root|dbAdmin|clusterAdmin/);
    // RabbitMQ: payment's vhost, its user with no tag (no management access), rights on that vhost only.
    const rabbitmq = text('events');
    expect([...rabbitmq.matchAll(/^api (\S+) /gm)].map((m) => m[1])).toEqual([
      'vhosts/payment',
      'users/payment',
      'permissions/payment/payment',
    ]);
    expect(rabbitmq).toContain(`printf '{"password":"%s","tags":""}' "$PASSWORD_payment"`);
    expect(rabbitmq).not.toContain('administrator');
  });
});
