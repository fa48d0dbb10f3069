import { z } from 'zod';
import { engineVersions } from './aws-limits';

/**
 * Data services, declared once in the catalog (`dataStores:` in services.yaml) and used by services
 * (`uses:` on a service). A store's engine is the catalog's choice; its size is the tier's (defaults.ts),
 * which a stack file overrides per store under `slipway:dataStores.<store>`.
 */

export const engines = ['postgres', 'mysql', 'redis', 'rabbitmq', 'documentdb', 'sqs'] as const;
export type Engine = (typeof engines)[number];
/** Engines with a network endpoint in the data subnets (SQS is reached through its AWS API). */
export type NetworkEngine = Exclude<Engine, 'sqs'>;

/**
 * The port each engine listens on. RabbitMQ on Amazon MQ speaks AMQP over TLS only (5671); Redis and
 * DocumentDB keep their usual ports with TLS required.
 */
export const enginePorts: Record<NetworkEngine, number> = {
  postgres: 5432,
  mysql: 3306,
  redis: 6379,
  rabbitmq: 5671,
  documentdb: 27017,
};

/**
 * The parts a service may compose its variables from, per engine: `{host}`, `{password}`… Each
 * credentialed part comes from the service's own credential secret; SQS has no credential (the
 * service's IAM role is its access), its parts are plain settings.
 */
export const engineParts: Record<Engine, readonly string[]> = {
  postgres: ['host', 'port', 'user', 'password', 'database'],
  mysql: ['host', 'port', 'user', 'password', 'database'],
  documentdb: ['host', 'port', 'user', 'password', 'database'],
  redis: ['host', 'port', 'user', 'password'],
  rabbitmq: ['host', 'port', 'user', 'password', 'vhost'],
  sqs: ['url', 'arn', 'name'],
};

export const storeNameSchema = z
  .string()
  .regex(/^[a-z][a-z0-9-]{0,18}[a-z0-9]$/, 'must be a lowercase name of 2 to 20 letters, digits and dashes');

/** A database, user or vhost name: safe unquoted in SQL, MongoDB and the RabbitMQ API. */
const identifier = z
  .string()
  .regex(/^[a-z][a-z0-9_]{0,62}$/, 'must be a lowercase identifier (letters, digits, underscores)');

export const dataStoreSchema = z.discriminatedUnion(
  'engine',
  [
    z.strictObject({ engine: z.literal('postgres') }),
    z.strictObject({ engine: z.literal('mysql') }),
    z.strictObject({ engine: z.literal('redis') }),
    z.strictObject({ engine: z.literal('rabbitmq') }),
    z.strictObject({ engine: z.literal('documentdb') }),
    z.strictObject({
      engine: z.literal('sqs'),
      /** A FIFO queue (exactly-once, ordered); its name ends in `.fifo`. */
      fifo: z
        .boolean()
        .default(false)
        .describe('a FIFO queue (ordered, exactly once); its name ends in .fifo'),
      /** Seconds a received message stays hidden from other consumers. */
      visibilityTimeoutSeconds: z
        .int()
        .min(0)
        .max(43200)
        .default(30)
        .describe('seconds a received message stays hidden from other consumers'),
    }),
  ],
  { error: `must be one of ${engines.join(', ')}` },
);

export const dataStoresSchema = z.record(storeNameSchema, dataStoreSchema);

const envName = z.string().regex(/^[A-Z_][A-Z0-9_]*$/, 'must be an environment variable name');

/**
 * How a service uses a store: the variables it receives (names of its choosing, each a template of
 * `{part}`s and text, e.g. `postgresql://{user}:{password}@{host}:{port}/{database}`), and the
 * per-engine knobs of its own corner of the store.
 */
export const useSchema = z.strictObject({
  env: z
    .record(envName, z.string().min(1))
    .refine((env) => Object.keys(env).length > 0, { error: 'must name at least one variable' })
    .describe(
      'the variables the service receives, each a template of {parts}: postgresql://{user}@{host}/{database}',
    ),
  database: identifier
    .optional()
    .describe("postgres, mysql, documentdb: the service's own database (default: its name, dashes as _)"),
  vhost: identifier
    .optional()
    .describe("rabbitmq: the service's own virtual host (default: its name, dashes as _)"),
  keyPrefix: z
    .string()
    .regex(/^[\w:.-]{1,64}$/, 'must be a Redis key prefix (letters, digits, `_:.-`)')
    .optional()
    .describe("redis: the only keys the service's user may touch (default: every key)"),
  access: z
    .array(z.enum(['send', 'receive']))
    .min(1)
    .optional()
    .describe('sqs (required there): what the service does with the queue, granted on its own IAM role'),
});

export const usesSchema = z
  .record(storeNameSchema, useSchema)
  .default({})
  .describe(
    'the data stores (catalog dataStores) this service uses, each with its own login, and its variables',
  );

export type DataStoreSpec = z.infer<typeof dataStoreSchema>;
export type UseSpec = z.infer<typeof useSchema>;

/** A version the managed service offers: one of `offered`, or a patch of one (`17.5` of `17`). */
const offeredVersion = (engine: keyof typeof engineVersions, service: string) =>
  z
    .string()
    .refine(
      (version) =>
        engineVersions[engine].some((offered) => version === offered || version.startsWith(`${offered}.`)),
      {
        error: `must be a version ${service} offers: ${engineVersions[engine].join(', ')} (or a patch of one)`,
      },
    );

// Per-tier settings of each engine (defaults.ts), overridden per store in a stack file.

const relationalSettings = {
  instanceClass: z.string().regex(/^db\.[a-z0-9]+\.[a-z0-9]+$/, 'must be an RDS instance class'),
  allocatedStorageGiB: z.int().min(20).max(65536),
  maxAllocatedStorageGiB: z.int().min(20).max(65536),
  multiAz: z.boolean(),
  deletionProtection: z.boolean(),
  backupRetentionDays: z.int().min(0).max(35),
  skipFinalSnapshot: z.boolean(),
  performanceInsights: z.boolean(),
};

export const engineSettingsSchemas = {
  postgres: z.strictObject({
    engineVersion: offeredVersion('postgres', 'RDS for PostgreSQL'),
    ...relationalSettings,
  }),
  mysql: z.strictObject({
    engineVersion: offeredVersion('mysql', 'RDS for MySQL'),
    ...relationalSettings,
  }),
  redis: z.strictObject({
    engineVersion: offeredVersion('redis', 'ElastiCache for Redis OSS'),
    nodeType: z.string().regex(/^cache\.[a-z0-9]+\.[a-z0-9]+$/, 'must be an ElastiCache node type'),
    /** Read replicas beside the primary; one or more turns on automatic failover across AZs. */
    replicas: z.int().min(0).max(5),
    snapshotRetentionDays: z.int().min(0).max(35),
    /** Keep a final snapshot when the cache is deleted. */
    finalSnapshot: z.boolean(),
  }),
  rabbitmq: z.strictObject({
    engineVersion: offeredVersion('rabbitmq', 'Amazon MQ for RabbitMQ'),
    instanceType: z.string().regex(/^mq\.[a-z0-9]+\.[a-z0-9]+$/, 'must be an Amazon MQ instance type'),
    deploymentMode: z.enum(['SINGLE_INSTANCE', 'CLUSTER_MULTI_AZ']),
  }),
  documentdb: z.strictObject({
    engineVersion: offeredVersion('documentdb', 'Amazon DocumentDB'),
    instanceClass: z.string().regex(/^db\.[a-z0-9]+\.[a-z0-9]+$/, 'must be a DocumentDB instance class'),
    /** Instances in the cluster; the second and later are replicas in other AZs. */
    instances: z.int().min(1).max(16),
    deletionProtection: z.boolean(),
    backupRetentionDays: z.int().min(1).max(35),
    skipFinalSnapshot: z.boolean(),
  }),
  sqs: z.strictObject({
    messageRetentionSeconds: z.int().min(60).max(1209600),
    /** Deliveries before a message moves to the dead-letter queue. */
    maxReceiveCount: z.int().min(1).max(1000),
  }),
} as const;

export type EngineSettings = { [E in Engine]: z.infer<(typeof engineSettingsSchemas)[E]> };

/** One resolved data store of the running stack: the catalog's declaration and the stack's size. */
export type DataStore = {
  [E in Engine]: {
    name: string;
    engine: E;
    spec: Extract<DataStoreSpec, { engine: E }>;
    settings: EngineSettings[E];
  };
}[Engine];

export type DataStoreOf<E extends Engine> = Extract<DataStore, { engine: E }>;

/** The database (or vhost) a service gets in a store when it names none: its own name. */
export const defaultOwnName = (service: string) => service.replace(/-/g, '_');

/** A composed value's parts: `postgresql://{user}@{host}` → ['user', 'host']. */
export function templateParts(template: string): string[] {
  return [...template.matchAll(/\{([^{}]*)\}/g)].map((match) => match[1] ?? '');
}
