import { z } from 'zod';
import { usesSchema } from './data-stores';

/**
 * The service catalog (services.yaml): each service declared once. A stack overrides the keys in
 * `serviceOverrideSchema` under `slipway:services.<name>`.
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

const resourcesSchema = z.strictObject({
  requests: z.strictObject({ cpu: cpuQuantity, memory: memoryQuantity }),
  limits: z.strictObject({ cpu: cpuQuantity, memory: memoryQuantity }),
});

const autoscalingSchema = z.strictObject({
  minReplicas: z.int().positive(),
  maxReplicas: z.int().positive(),
  targetCpuPercent: z.int().min(1).max(100),
  targetMemoryPercent: z.int().min(1).max(100),
});

const ingressSchema = z.strictObject({
  host: dnsHost,
  path: httpPath,
});

export const serviceSchema = z.strictObject({
  /** Docker build context relative to the repository root. */
  build: z.strictObject({ context: z.string().min(1), dockerfile: z.string().min(1).optional() }),
  port: z.int(),
  health: z.strictObject({ liveness: httpPath, readiness: httpPath, startup: httpPath.optional() }),
  resources: resourcesSchema,
  replicas: z.int().positive(),
  autoscaling: autoscalingSchema.optional(),
  /** Minimum pods kept available during voluntary disruptions. */
  minAvailable: z.int().nonnegative().optional(),
  env: z
    .record(z.string().regex(/^[A-Z_][A-Z0-9_]*$/, 'must be an environment variable name'), z.string())
    .default({}),
  /** Keys read from the service's Secrets Manager secret. */
  secrets: z
    .array(z.string().regex(/^[A-Z_][A-Z0-9_]*$/, 'must be an environment variable name'))
    .default([]),
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
});

export const serviceOverrideSchema = serviceSchema
  .pick({ replicas: true, autoscaling: true, resources: true, minAvailable: true, env: true })
  .extend({ ingress: z.strictObject({ host: ingressSchema.shape.host }).optional() })
  .partial();

export const serviceNameSchema = z
  .string()
  .regex(/^[a-z][a-z0-9-]{1,30}[a-z0-9]$/, 'must be a DNS label of 3 to 32 characters');

export const catalogSchema = z.record(serviceNameSchema, serviceSchema);
export const stackServicesSchema = z.record(z.string(), serviceOverrideSchema);

export type ServiceSpec = z.infer<typeof serviceSchema> & { name: string };
