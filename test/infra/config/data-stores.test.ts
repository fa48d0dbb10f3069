import { parse, stringify } from 'yaml';
import { ConfigError } from '../../../infra/config/errors';
import { loadPlatformConfig } from '../../../infra/config/load';
import { shopCatalogText } from '../data/shop';

type Catalog = Record<string, Record<string, unknown>>;
const certificateArn = 'arn:aws:acm:eu-west-1:123456789012:certificate/0f3c9a52-7d1e-4b8a-9c55-2e6d1b7a4f10';

/** Loads the shop catalog (every engine) with one change, as a stack of the tier. */
function load(
  tier: string,
  edit: (catalog: Catalog) => void = () => {},
  stated: Record<string, unknown> = {},
) {
  const catalog = parse(shopCatalogText) as Catalog;
  edit(catalog);
  const values: Record<string, string> = {
    'aws:region': 'eu-west-1',
    'slipway:tier': tier,
    'slipway:ingress': JSON.stringify({ certificateArn }),
    ...Object.fromEntries(Object.entries(stated).map(([key, value]) => [key, JSON.stringify(value)])),
  };
  return loadPlatformConfig({ stack: tier, values, catalogText: stringify(catalog) });
}

function problemsOf(...args: Parameters<typeof load>): string[] {
  try {
    load(...args);
  } catch (error) {
    if (error instanceof ConfigError) return error.problems;
    throw error;
  }
  throw new Error('the config loaded, but problems were expected');
}

const use = (catalog: Catalog, service: string) =>
  (catalog[service]?.uses ?? {}) as Record<string, Record<string, unknown>>;

describe('data stores in the catalog', () => {
  it.each(['dev', 'staging', 'prod'])(
    'load for %s, each sized by the tier defaults of its engine',
    (tier) => {
      const config = load(tier);
      expect(config.dataStores.map((store) => [store.name, store.engine])).toEqual([
        ['orders-db', 'postgres'],
        ['cities', 'mysql'],
        ['sessions', 'redis'],
        ['events', 'rabbitmq'],
        ['catalogue-db', 'documentdb'],
        ['jobs', 'sqs'],
      ]);
      const redis = config.dataStores.find((store) => store.engine === 'redis');
      expect(redis?.settings).toMatchObject({ replicas: { dev: 0, staging: 1, prod: 2 }[tier] });
    },
  );

  it('take a stack override of one store, key by key', () => {
    const config = load('staging', undefined, {
      'slipway:dataStores': {
        sessions: { nodeType: 'cache.r7g.xlarge' },
        cities: { instanceClass: 'db.r6g.large' },
      },
    });
    const byName = Object.fromEntries(config.dataStores.map((store) => [store.name, store.settings]));
    expect(byName.sessions).toMatchObject({ nodeType: 'cache.r7g.xlarge', replicas: 1 });
    expect(byName.cities).toMatchObject({ instanceClass: 'db.r6g.large', engineVersion: '8.4' });
    expect(byName['orders-db']).toMatchObject({ instanceClass: 'db.t4g.medium' });
  });

  it.each<[string, string, (catalog: Catalog) => void, string]>([
    [
      'a service using an undeclared data store',
      'dev',
      (catalog) => {
        use(catalog, 'cart').cache = { env: { CACHE_URL: '{host}' } };
      },
      'services.yaml: cart.uses.cache: uses undeclared data store "cache" (dataStores: orders-db, cities, sessions, events, catalogue-db, jobs)',
    ],
    [
      'a composed variable with an unknown part',
      'dev',
      (catalog) => {
        use(catalog, 'orders')['orders-db'] = {
          env: { DATABASE_URL: 'postgresql://{user}:{pasword}@{host}/{database}' },
        };
      },
      'services.yaml: orders.uses.orders-db.env.DATABASE_URL: unknown part {pasword} (postgres has {host}, {port}, {user}, {password}, {database})',
    ],
    [
      'a queue part on a database',
      'dev',
      (catalog) => {
        use(catalog, 'shipping').cities = { env: { DB: '{url}' } };
      },
      'services.yaml: shipping.uses.cities.env.DB: unknown part {url} (mysql has {host}, {port}, {user}, {password}, {database})',
    ],
    [
      'a variable also set by the service env',
      'dev',
      (catalog) => {
        (catalog.cart as Record<string, unknown>).env = { REDIS_URL: 'redis://localhost' };
      },
      'services.yaml: cart.uses.sessions.env.REDIS_URL: REDIS_URL is also set by cart.env',
    ],
    [
      'a database knob on a cache',
      'dev',
      (catalog) => {
        use(catalog, 'cart').sessions = { database: 'cart', env: { REDIS_URL: '{host}' } };
      },
      'services.yaml: cart.uses.sessions.database: only for postgres, mysql, documentdb stores; sessions is redis',
    ],
    [
      'a queue without its access',
      'dev',
      (catalog) => {
        use(catalog, 'worker').jobs = { env: { QUEUE_URL: '{url}' } };
      },
      'services.yaml: worker.uses.jobs.access: is required for an SQS queue (send, receive or both)',
    ],
    [
      'two services owning one database',
      'dev',
      (catalog) => {
        use(catalog, 'orders').cities = { database: 'cities', env: { CITIES_DB: '{host}' } };
      },
      'services.yaml: orders.uses.cities.database: "cities" already belongs to shipping (each service gets its own)',
    ],
    [
      'an unknown engine',
      'dev',
      (catalog) => {
        (catalog.dataStores as Record<string, unknown>).search = { engine: 'opensearch' };
      },
      'services.yaml: dataStores.search.engine: must be one of postgres, mysql, redis, rabbitmq, documentdb, sqs',
    ],
    [
      'an unknown key on a store',
      'dev',
      (catalog) => {
        (catalog.dataStores as Record<string, unknown>).sessions = { engine: 'redis', nodes: 3 };
      },
      'services.yaml: dataStores.sessions.nodes: unknown key (expected one of engine)',
    ],
  ])('reject %s with one line naming the file and key', (_, tier, edit, line) => {
    expect(problemsOf(tier, edit)).toContain(line);
  });

  it.each<[string, string, Record<string, unknown>, string]>([
    [
      'an override of an undeclared store',
      'dev',
      { 'slipway:dataStores': { cache: { nodeType: 'cache.t4g.small' } } },
      'Pulumi.dev.yaml: slipway:dataStores.cache: no such data store in services.yaml (dataStores: orders-db, cities, sessions, events, catalogue-db, jobs)',
    ],
    [
      'an override with a key of another engine',
      'dev',
      { 'slipway:dataStores': { sessions: { instanceClass: 'db.t4g.small' } } },
      'Pulumi.dev.yaml: slipway:dataStores.sessions.instanceClass: unknown key (expected one of engineVersion, nodeType, replicas, snapshotRetentionDays, finalSnapshot)',
    ],
    [
      'a bad node type',
      'dev',
      { 'slipway:dataStores': { sessions: { nodeType: 'r7g.large' } } },
      'Pulumi.dev.yaml: slipway:dataStores.sessions.nodeType: must be an ElastiCache node type',
    ],
    [
      'the old single-database key',
      'dev',
      { 'slipway:database': { instanceClass: 'db.t4g.small' } },
      'Pulumi.dev.yaml: slipway:database: moved: declare the database in services.yaml under dataStores and size it under slipway:dataStores.<store>',
    ],
    [
      'prod Redis without a replica',
      'prod',
      { 'slipway:dataStores': { sessions: { replicas: 0 } } },
      'Pulumi.prod.yaml: slipway:dataStores.sessions.replicas: prod needs at least 1 replica (failover to another AZ)',
    ],
    [
      'prod MySQL without Multi-AZ',
      'prod',
      { 'slipway:dataStores': { cities: { multiAz: false } } },
      'Pulumi.prod.yaml: slipway:dataStores.cities.multiAz: prod needs a Multi-AZ database',
    ],
    [
      'a prod single-instance broker',
      'prod',
      { 'slipway:dataStores': { events: { deploymentMode: 'SINGLE_INSTANCE' } } },
      'Pulumi.prod.yaml: slipway:dataStores.events.deploymentMode: prod needs a CLUSTER_MULTI_AZ broker',
    ],
    [
      'a clustered broker on a t3 instance',
      'staging',
      {
        'slipway:dataStores': { events: { deploymentMode: 'CLUSTER_MULTI_AZ', instanceType: 'mq.t3.micro' } },
      },
      'Pulumi.staging.yaml: slipway:dataStores.events.instanceType: mq.t3.micro runs single-instance brokers only',
    ],
    [
      'prod DocumentDB on one instance without deletion protection',
      'prod',
      { 'slipway:dataStores': { 'catalogue-db': { instances: 1, deletionProtection: false } } },
      'Pulumi.prod.yaml: slipway:dataStores.catalogue-db.deletionProtection: prod needs deletion protection',
    ],
  ])('reject %s in the stack file with one line naming the file and key', (_, tier, stated, line) => {
    expect(problemsOf(tier, undefined, stated)).toContain(line);
  });
});
