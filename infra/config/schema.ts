import { z } from 'zod';
import { parseCidr } from './cidr';
import { tiers } from './tiers';

/**
 * The platform's config model. Every object is strict, so a misspelt key is an error rather than a
 * silently ignored setting. Cross-field rules (tier minimums, CIDR layout, size ordering) live in
 * rules.ts so that each can name the exact key it is about.
 */

const cidrBlock = z
  .cidrv4({ error: 'must be an IPv4 CIDR block such as 10.0.0.0/16' })
  // The rules do arithmetic on the block, and AWS rejects an address that is not the network's own.
  .refine(
    (text) => {
      try {
        parseCidr(text);
        return true;
      } catch {
        return false;
      }
    },
    { error: 'has host bits set: use the network address, such as 10.0.0.0/16' },
  );

/** EKS versions in standard or extended support as of this release. */
export const supportedKubernetesVersions = ['1.30', '1.31', '1.32', '1.33', '1.34'] as const;

export const networkSchema = z.strictObject({
  cidr: cidrBlock,
  azCount: z.int().min(1).max(6),
  natGateways: z.enum(['single', 'perAz']),
  interfaceEndpoints: z.boolean(),
  flowLogRetentionDays: z.int().positive(),
  /** Explicit subnet blocks, one per AZ; carved from `cidr` when absent. */
  subnets: z
    .strictObject({
      public: z.array(cidrBlock),
      private: z.array(cidrBlock),
      database: z.array(cidrBlock),
    })
    .optional(),
});

export const nodeGroupSchema = z.strictObject({
  name: z.string().regex(/^[a-z][a-z0-9-]{0,30}$/, 'must be lowercase letters, digits and dashes'),
  instanceTypes: z.array(z.string().regex(/^[a-z0-9-]+\.[a-z0-9]+$/, 'must be an EC2 instance type')).min(1),
  capacityType: z.enum(['ON_DEMAND', 'SPOT']),
  minSize: z.int().nonnegative(),
  desiredSize: z.int().nonnegative(),
  maxSize: z.int().positive(),
  diskSizeGiB: z.int().min(20).max(16384),
});

export const clusterSchema = z.strictObject({
  version: z.enum(supportedKubernetesVersions, {
    error: `must be a supported EKS version (${supportedKubernetesVersions.join(', ')})`,
  }),
  /** CIDRs allowed to reach the public API endpoint; empty turns the public endpoint off. */
  publicAccessCidrs: z.array(cidrBlock),
  /** IAM role granted cluster-admin through an EKS access entry. */
  adminRoleArn: z
    .string()
    .regex(/^arn:aws[a-z-]*:iam::\d{12}:role\/.+$/, 'must be an IAM role ARN')
    .optional(),
  logRetentionDays: z.int().positive(),
  nodeGroups: z.array(nodeGroupSchema).min(1),
});

export const databaseSchema = z.strictObject({
  engineVersion: z.string().regex(/^\d{2}(\.\d+)?$/, 'must be a PostgreSQL version such as 17 or 17.5'),
  instanceClass: z.string().regex(/^db\.[a-z0-9]+\.[a-z0-9]+$/, 'must be an RDS instance class'),
  allocatedStorageGiB: z.int().min(20).max(65536),
  maxAllocatedStorageGiB: z.int().min(20).max(65536),
  multiAz: z.boolean(),
  deletionProtection: z.boolean(),
  backupRetentionDays: z.int().min(0).max(35),
  skipFinalSnapshot: z.boolean(),
  performanceInsights: z.boolean(),
});

export const registrySchema = z.strictObject({
  untaggedExpiryDays: z.int().positive(),
  keepTaggedImages: z.int().positive(),
});

const cpuQuantity = z.string().regex(/^\d+(\.\d+)?m?$/, 'must be a CPU quantity such as 250m or 4');
const memoryQuantity = z.string().regex(/^\d+(Ki|Mi|Gi)$/, 'must be a memory quantity such as 512Mi or 8Gi');

/**
 * The workload namespace's budget: a ResourceQuota and the largest container a LimitRange admits.
 * A budget per tier (not a sum of the catalog) keeps adding a service a pure create; the catalog is
 * checked against it instead.
 */
export const quotaSchema = z.strictObject({
  pods: z.int().positive(),
  requestsCpu: cpuQuantity,
  requestsMemory: memoryQuantity,
  limitsCpu: cpuQuantity,
  limitsMemory: memoryQuantity,
  containerMaxCpu: cpuQuantity,
  containerMaxMemory: memoryQuantity,
});

/**
 * The ALB security policies a stack may choose: TLS 1.3 with a TLS 1.2 fallback (AWS's recommended
 * default), or TLS 1.3 only. Both offer forward-secret AEAD ciphers only.
 */
export const albTlsPolicies = [
  'ELBSecurityPolicy-TLS13-1-2-2021-06',
  'ELBSecurityPolicy-TLS13-1-3-2021-06',
] as const;
export type AlbTlsPolicy = (typeof albTlsPolicies)[number];

/** The public entry point: TLS certificate for the ALB that fronts the services with an ingress. */
export const ingressSchema = z.strictObject({
  certificateArn: z
    .string()
    .regex(/^arn:aws[a-z-]*:acm:[a-z0-9-]+:\d{12}:certificate\/[\w-]+$/, 'must be an ACM certificate ARN'),
  /** The listener's TLS policy; the tier's default (`defaultTlsPolicy`) when absent. */
  sslPolicy: z.enum(albTlsPolicies, { error: `must be one of ${albTlsPolicies.join(', ')}` }).optional(),
});

export const platformSchema = z.strictObject({
  tier: z.enum(tiers),
  region: z.string().regex(/^[a-z]{2}(-gov)?-[a-z]+-\d$/, 'must be an AWS region such as eu-west-1'),
  network: networkSchema,
  cluster: clusterSchema,
  database: databaseSchema,
  registry: registrySchema,
  quota: quotaSchema,
  ingress: ingressSchema.optional(),
});

export type NetworkConfig = z.infer<typeof networkSchema>;
export type NodeGroupConfig = z.infer<typeof nodeGroupSchema>;
export type ClusterConfig = z.infer<typeof clusterSchema>;
export type DatabaseConfig = z.infer<typeof databaseSchema>;
export type RegistryConfig = z.infer<typeof registrySchema>;
export type QuotaConfig = z.infer<typeof quotaSchema>;
export type IngressConfig = z.infer<typeof ingressSchema>;
export type PlatformSettings = z.infer<typeof platformSchema>;
