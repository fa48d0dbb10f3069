import { z } from 'zod';
import { cronSchedule } from './cron';
import { usesSchema } from './data-stores';

/**
 * The service catalog (services.yaml): each service declared once. A stack overrides the keys in
 * `overridableKeys` under `slipway:services.<name>`; the override is merged into the catalog entry
 * before the entry is validated here.
 */

const cpuQuantity = z.string().regex(/^\d+(\.\d+)?m?$/, 'must be a CPU quantity such as 250m or 1');
const memoryQuantity = z.string().regex(/^\d+(Ki|Mi|Gi)$/, 'must be a memory quantity such as 256Mi or 1Gi');
/** Dot-separated labels of 1 to 63 letters, digits and inner dashes; 253 characters in all. */
const dnsHost = z
  .string()
  .regex(
    /^(?=.{1,253}$)[a-z0-9]([a-z0-9-]{0,61}[a-z0-9])?(\.[a-z0-9]([a-z0-9-]{0,61}[a-z0-9])?)*$/,
    'must be a lowercase DNS host name: labels of 1 to 63 letters, digits and inner dashes, joined by single dots',
  );
const httpPath = z.string().regex(/^\/[\w\-./]*$/, 'must be an absolute HTTP path');
const envName = z.string().regex(/^[A-Z_][A-Z0-9_]*$/, 'must be an environment variable name');
const filePath = z
  .string()
  .regex(/^(\/[\w.-]+)+$/, 'must be an absolute file path of letters, digits, dots, dashes and underscores');

/** An IANA service name, as Kubernetes requires of a named port: at most 15 characters. */
export const portNameSchema = z
  .string()
  .regex(
    /^(?=.{1,15}$)[a-z0-9]([a-z0-9-]*[a-z0-9])?$/,
    'must be a port name: 1 to 15 lowercase letters, digits and dashes',
  )
  .refine((name) => /[a-z]/.test(name), { error: 'must contain a letter' });

const portNumber = z.int().min(1).max(65535);

/** A container port; `8080` is short for `{ port: 8080 }`. The Service publishes it on `servicePort`. */
const portSchema = z.union([
  portNumber,
  z.strictObject({
    /** The port the container listens on. */
    port: portNumber,
    /** The port callers reach through the Service; the container port when absent. */
    servicePort: portNumber.optional(),
  }),
]);

const resourcesSchema = z.strictObject({
  requests: z.strictObject({ cpu: cpuQuantity, memory: memoryQuantity }),
  limits: z.strictObject({ cpu: cpuQuantity, memory: memoryQuantity }),
});

const probeSchema = z
  .strictObject({
    http: z.strictObject({ path: httpPath, port: portNameSchema }).optional(),
    tcp: z.strictObject({ port: portNameSchema }).optional(),
    grpc: z.strictObject({ port: portNameSchema, service: z.string().min(1).optional() }).optional(),
    exec: z.strictObject({ command: z.array(z.string().min(1)).min(1) }).optional(),
    initialDelaySeconds: z.int().min(0).max(3600).optional(),
    periodSeconds: z.int().min(1).max(3600).optional(),
    timeoutSeconds: z.int().min(1).max(3600).optional(),
    failureThreshold: z.int().min(1).max(1000).optional(),
  })
  .refine((probe) => [probe.http, probe.tcp, probe.grpc, probe.exec].filter(Boolean).length === 1, {
    error: 'must state exactly one of http, tcp, grpc or exec',
  });

const probesSchema = z.strictObject({
  liveness: probeSchema,
  readiness: probeSchema,
  /** Guards a slow start from liveness; the liveness check with a longer budget when absent. */
  startup: probeSchema.optional(),
});

const scalingRulesSchema = z.strictObject({
  stabilizationWindowSeconds: z.int().min(0).max(3600).optional(),
  selectPolicy: z.enum(['Max', 'Min', 'Disabled']).optional(),
  policies: z
    .array(
      z.strictObject({
        type: z.enum(['Pods', 'Percent']),
        value: z.int().positive(),
        periodSeconds: z.int().min(1).max(1800),
      }),
    )
    .min(1)
    .optional(),
});

const autoscalingSchema = z.strictObject({
  minReplicas: z.int().positive(),
  maxReplicas: z.int().positive(),
  /** Average CPU use, in percent of the request, the HPA keeps pods at. */
  targetCpuPercent: z.int().min(1).max(100).optional(),
  /** Average memory use, in percent of the request. */
  targetMemoryPercent: z.int().min(1).max(100).optional(),
  /** The HPA's scaling behaviour; each direction replaces the default's fields it states. */
  behavior: z
    .strictObject({ scaleUp: scalingRulesSchema.optional(), scaleDown: scalingRulesSchema.optional() })
    .optional(),
});

/** A count of pods or a percentage of the desired count (`25%`). */
const intOrPercent = z.union([
  z.int().nonnegative(),
  z.string().regex(/^\d{1,3}%$/, 'must be a number of pods or a percentage such as 25%'),
]);

const rolloutSchema = z.strictObject({
  strategy: z.enum(['RollingUpdate', 'Recreate']).default('RollingUpdate'),
  maxSurge: intOrPercent.optional(),
  maxUnavailable: intOrPercent.optional(),
});

const ingressSchema = z.strictObject({
  host: dnsHost,
  path: httpPath,
  /** The named port the ALB sends to; the service's only port when absent. */
  port: portNameSchema.optional(),
});

/** `prefix/name` label and annotation keys, as Kubernetes validates them. */
const metadataKey = z
  .string()
  .regex(
    /^([a-z0-9]([a-z0-9.-]{0,251}[a-z0-9])?\/)?[A-Za-z0-9]([A-Za-z0-9_.-]{0,61}[A-Za-z0-9])?$/,
    'must be a Kubernetes label or annotation key (an optional DNS prefix and a name of at most 63 characters)',
  )
  .refine((key) => !/^(app\.kubernetes\.io|slipway\.dev|kubernetes\.io|k8s\.io)\//.test(key), {
    error: 'is reserved: the platform sets the app.kubernetes.io/, slipway.dev/ and kubernetes.io/ keys',
  });
const labelValue = z
  .string()
  .regex(
    /^([A-Za-z0-9]([A-Za-z0-9_.-]{0,61}[A-Za-z0-9])?)?$/,
    'must be a label value: at most 63 letters, digits, dashes, dots and underscores',
  );

/** A secret key the service reads, as the environment variable or the file it becomes. */
const secretKey = z
  .string()
  .regex(/^[-._a-zA-Z0-9]+$/, 'must be a secret key of letters, digits, -, _ and .');
/** An existing Secrets Manager secret: its name or its ARN. */
export const secretReference = z
  .string()
  .regex(
    /^(arn:aws[a-z-]*:secretsmanager:[a-z0-9-]+:\d{12}:secret:[\w/+=.@-]+|[\w/+=.@-]{1,512})$/,
    'must be a Secrets Manager secret name or ARN',
  );

const secretSchema = z.union([
  // `PAYMENT_API_KEY`: the key of that name in the service's own secret, as the variable of that name.
  envName,
  z
    .strictObject({
      key: secretKey,
      /** The secret holding the key: the service's own when absent. */
      from: secretReference.optional(),
      env: envName.optional(),
      file: filePath.optional(),
    })
    .refine((secret) => (secret.env === undefined) !== (secret.file === undefined), {
      error: 'must state exactly one of env or file',
    }),
]);

const jobName = z
  .string()
  // `<service>-<job>` names the CronJob, whose name Kubernetes caps at 52 characters.
  .regex(/^[a-z][a-z0-9-]{0,17}[a-z0-9]$/, 'must be a name of 2 to 19 lowercase letters, digits and dashes');

const jobRunSchema = {
  /** Replaces the image's entrypoint. */
  command: z.array(z.string()).min(1).optional(),
  args: z.array(z.string()).optional(),
  /** Retries before the Job counts as failed. */
  backoffLimit: z.int().min(0).max(10).default(2),
  /** Seconds a run may take before it is stopped and counts as failed. */
  activeDeadlineSeconds: z.int().min(1).max(86400).default(600),
  /** The service's resources when absent. */
  resources: resourcesSchema.optional(),
};

/** Runs to completion before the service's Deployment rolls out (a schema migration, say). */
const jobSchema = z.strictObject(jobRunSchema);

const cronJobSchema = z.strictObject({
  ...jobRunSchema,
  schedule: cronSchedule,
  /** IANA time zone of the schedule; the controller's (UTC on EKS) when absent. */
  timeZone: z
    .string()
    .regex(/^[A-Za-z_]+(\/[A-Za-z0-9_+-]+)*$/, 'must be an IANA time zone such as Europe/Paris')
    .optional(),
  concurrencyPolicy: z.enum(['Forbid', 'Replace', 'Allow']).default('Forbid'),
  /** Seconds after a missed start the run may still begin. */
  startingDeadlineSeconds: z.int().min(10).max(86400).default(300),
});

export const serviceSchema = z.strictObject({
  /** Docker build context relative to the repository root. */
  build: z.strictObject({ context: z.string().min(1), dockerfile: z.string().min(1).optional() }),
  /** Named container ports; the Service publishes each. None: a worker, with no Service. */
  ports: z.record(portNameSchema, portSchema).default({}),
  probes: probesSchema,
  resources: resourcesSchema,
  replicas: z.int().positive(),
  autoscaling: autoscalingSchema.optional(),
  rollout: rolloutSchema.optional(),
  /** Minimum pods kept available during voluntary disruptions. */
  minAvailable: z.int().nonnegative().optional(),
  env: z.record(envName, z.string()).default({}),
  /** Files mounted read-only into the container (path → content), from a ConfigMap. */
  files: z.record(filePath, z.string()).default({}),
  /** Keys read from Secrets Manager: the service's own secret or existing ones it names. */
  secrets: z.array(secretSchema).default([]),
  /** Extra labels and annotations on the service's pods and its Service. */
  labels: z.record(metadataKey, labelValue).default({}),
  annotations: z.record(metadataKey, z.string()).default({}),
  /** Services this one calls (names in this catalog). */
  calls: z.array(z.string()).default([]),
  /**
   * External hosts this service may reach. A NetworkPolicy matches addresses, not names: with `cidrs`
   * the service reaches those addresses on `port`; without, any internet address on `port` (the host
   * names the need, it does not narrow it).
   */
  egress: z
    .array(
      z.strictObject({
        host: dnsHost,
        port: z.int().min(1).max(65535),
        /** The addresses the host answers on, as its operator publishes them. */
        cidrs: z
          .array(z.cidrv4({ error: 'must be an IPv4 CIDR block such as 198.51.100.0/24' }))
          .min(1)
          .optional()
          .describe(
            'the addresses the host answers on, as its operator publishes them; without, the pod may open any internet address on the port',
          ),
      }),
    )
    .default([]),
  /** Data stores (catalog `dataStores`) this service uses, and the variables it receives from each. */
  uses: usesSchema,
  ingress: ingressSchema.optional(),
  /** Jobs run to completion before each rollout, in name order of no importance (each independent). */
  jobs: z.record(jobName, jobSchema).default({}),
  cronJobs: z.record(jobName, cronJobSchema).default({}),
  /** Extra AWS permissions for the service's IRSA role. */
  aws: z
    .array(
      z.strictObject({
        actions: z
          .array(z.string().regex(/^[a-z0-9-]+:[A-Za-z*]+$/, 'must be an IAM action such as s3:GetObject'))
          .min(1),
        resources: z.array(z.string().min(1)).min(1),
      }),
    )
    .default([]),
  critical: z.boolean().default(false),
  /** Reads pod metrics from the Kubernetes API: gets a Role for it and a mounted token. */
  readsMetrics: z.boolean().default(false),
  /**
   * Whether the service runs at all. The catalog's, like `stacks`, never a stack file's: the platform
   * (its repository, its secret) and the apps (its workload) must agree on which services a stack runs.
   */
  enabled: z.boolean().default(true),
  /** The stacks the service runs in; every stack when absent. */
  stacks: z
    .array(z.string().regex(/^[\w.-]+$/, 'must be a stack name'))
    .min(1)
    .optional(),
});

/** Keys a stack file may set under `slipway:services.<name>`; objects merge into the catalog's. */
export const overridableKeys = [
  'replicas',
  'autoscaling',
  'resources',
  'rollout',
  'minAvailable',
  'env',
  'labels',
  'annotations',
  'ingress',
] as const;
/** Of a service's ingress, a stack picks the host only: the route's path is the catalog's. */
export const overridableIngressKeys = ['host'] as const;

/**
 * What a stack file may state under `slipway:services.<name>`, as a schema: for the generated JSON
 * Schema and reference. The loader checks the keys, merges them into the catalog entry, and validates
 * the merged entry with `serviceSchema`.
 */
export const stackServicesSchema = z.record(
  z.string(),
  serviceSchema
    .pick(
      Object.fromEntries(overridableKeys.map((key) => [key, true])) as Record<
        (typeof overridableKeys)[number],
        true
      >,
    )
    .extend({ ingress: z.strictObject({ host: ingressSchema.shape.host }).optional() })
    .partial(),
);

export const serviceNameSchema = z
  .string()
  .regex(/^[a-z][a-z0-9-]{1,30}[a-z0-9]$/, 'must be a DNS label of 3 to 32 characters');

export const catalogSchema = z.record(serviceNameSchema, serviceSchema);

export type ServiceEntry = z.infer<typeof serviceSchema>;
export type ServiceSpec = ServiceEntry & { name: string };
export type ProbeSpec = z.infer<typeof probeSchema>;
export type SecretSpec = z.infer<typeof secretSchema>;
export type JobSpec = z.infer<typeof jobSchema>;
export type CronJobSpec = z.infer<typeof cronJobSchema>;
