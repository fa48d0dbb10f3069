import { z } from 'zod';
import { awsRegions, eksLimits, logRetentionDays } from './aws-limits';
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

/** Days CloudWatch Logs can keep a log group's events: it refuses any other number. */
const retentionDays = z.int().refine((days) => (logRetentionDays as readonly number[]).includes(days), {
  error: `must be a retention CloudWatch Logs accepts: ${logRetentionDays.join(', ')}`,
});

/** EKS versions in standard or extended support as of this release. */
export const supportedKubernetesVersions = ['1.30', '1.31', '1.32', '1.33', '1.34'] as const;

export const networkSchema = z.strictObject({
  cidr: cidrBlock.describe(
    'the VPC block, /16 to /20; subnets are carved from it unless `subnets` names them',
  ),
  azCount: z.int().min(1).max(6).describe('availability zones the subnets and nodes spread over'),
  natGateways: z
    .enum(['single', 'perAz'])
    .describe('one NAT gateway for the VPC, or one per AZ so an AZ outage keeps the others online'),
  interfaceEndpoints: z
    .boolean()
    .describe('interface endpoints for ECR, STS, Secrets Manager and Logs, so AWS calls stay in the VPC'),
  flowLogRetentionDays: retentionDays.describe('days the VPC flow logs are kept'),
  /** Explicit subnet blocks, one per AZ; carved from `cidr` when absent. */
  subnets: z
    .strictObject({
      public: z.array(cidrBlock).describe('one block per AZ for load balancers and NAT gateways'),
      private: z.array(cidrBlock).describe('one block per AZ for nodes and pods'),
      database: z.array(cidrBlock).describe('one block per AZ for data services, with no route out'),
      controlPlane: z
        .array(cidrBlock)
        .describe("one block per AZ for the EKS control plane's network interfaces only (at least /28)"),
      endpoints: z
        .array(cidrBlock)
        .default([])
        .describe('one block per AZ for the interface endpoints only; empty without `interfaceEndpoints`'),
    })
    .optional()
    .describe('explicit subnet blocks, one per AZ each; carved from `cidr` when absent'),
});

export const nodeGroupSchema = z.strictObject({
  name: z
    .string()
    .regex(/^[a-z][a-z0-9-]{0,30}$/, 'must be lowercase letters, digits and dashes')
    .describe('the node group name, unique in the cluster'),
  instanceTypes: z
    .array(z.string().regex(/^[a-z0-9-]+\.[a-z0-9]+$/, 'must be an EC2 instance type'))
    .min(1)
    .describe('EC2 instance types, in order of preference'),
  capacityType: z
    .enum(['ON_DEMAND', 'SPOT'])
    .describe('on-demand, or spot capacity (cheaper, can be reclaimed)'),
  minSize: z.int().nonnegative().describe('fewest nodes'),
  desiredSize: z.int().nonnegative().describe('nodes at creation; the autoscaler moves it afterwards'),
  maxSize: z
    .int()
    .positive()
    .max(eksLimits.nodesPerNodeGroup, {
      error: `must be at most ${eksLimits.nodesPerNodeGroup}, the EKS quota of nodes per managed node group`,
    })
    .describe('most nodes'),
  diskSizeGiB: z.int().min(20).max(16384).describe('encrypted gp3 root volume per node, in GiB'),
});

export const clusterSchema = z.strictObject({
  version: z
    .enum(supportedKubernetesVersions, {
      error: `must be a supported EKS version (${supportedKubernetesVersions.join(', ')})`,
    })
    .describe('the Kubernetes version of the control plane and the nodes'),
  /** CIDRs allowed to reach the public API endpoint; empty turns the public endpoint off. */
  publicAccessCidrs: z
    .array(cidrBlock)
    .describe('CIDRs that may reach the public API endpoint; empty turns the public endpoint off'),
  /** IAM role granted cluster-admin through an EKS access entry. */
  adminRoleArn: z
    .string()
    .regex(/^arn:aws[a-z-]*:iam::\d{12}:role\/.+$/, 'must be an IAM role ARN')
    .optional()
    .describe('IAM role granted cluster-admin through an EKS access entry'),
  logRetentionDays: retentionDays.describe('days the control-plane logs are kept'),
  nodeGroups: z
    .array(nodeGroupSchema)
    .min(1)
    .max(eksLimits.nodeGroupsPerCluster, {
      error: `must have at most ${eksLimits.nodeGroupsPerCluster} node groups, the EKS quota per cluster`,
    })
    .describe('managed node groups; a list replaces the default whole'),
});

const roleArns = z.array(
  z.string().regex(/^arn:aws[a-z-]*:iam::\d{12}:role\/.+$/, 'must be an IAM role ARN'),
);

export const registrySchema = z.strictObject({
  untaggedExpiryDays: z.int().positive().describe('days before untagged images expire'),
  keepTaggedImages: z.int().positive().describe('tagged images kept per repository, newest first'),
  /**
   * One account per environment: the roles of other accounts the repositories let in (each role's own
   * policy then says which stacks' repositories it may use). Derived from slipway.yaml.
   */
  otherAccounts: z
    .strictObject({
      pushers: roleArns.describe(
        "roles of other accounts that push images here (the home account's publish role)",
      ),
      pullers: roleArns.describe(
        "roles of other accounts that pull images from here (other stacks' deploy roles, to promote)",
      ),
    })
    .optional()
    .describe('roles of other accounts the repositories let in; slipway.yaml derives them'),
});

/**
 * The internet-facing edge of the environment's ALB: AWS WAF in front of it and its access logs. Both
 * live in the platform (a WebACL and a bucket); the apps' Ingresses attach them through the contract.
 */
export const edgeSchema = z.strictObject({
  waf: z.boolean().describe('an AWS WAF web ACL (AWS managed rule groups) on the ALB; required in prod'),
  accessLogs: z
    .boolean()
    .describe("the ALB's access logs to an S3 bucket of the platform (SSE-S3); required in prod"),
  accessLogRetentionDays: z.int().positive().describe('days the access logs are kept'),
  wafLogRetentionDays: retentionDays.describe("days the web ACL's request logs (CloudWatch Logs) are kept"),
});

const cpuQuantity = z.string().regex(/^\d+(\.\d+)?m?$/, 'must be a CPU quantity such as 250m or 4');
const memoryQuantity = z.string().regex(/^\d+(Ki|Mi|Gi)$/, 'must be a memory quantity such as 512Mi or 8Gi');

/**
 * The workload namespace's budget: a ResourceQuota and the largest container a LimitRange admits.
 * A budget per tier (not a sum of the catalog) keeps adding a service a pure create; the catalog is
 * checked against it instead.
 */
export const quotaSchema = z.strictObject({
  pods: z.int().positive().describe('most pods in the namespace'),
  requestsCpu: cpuQuantity.describe('CPU all pods may request together'),
  requestsMemory: memoryQuantity.describe('memory all pods may request together'),
  limitsCpu: cpuQuantity.describe('CPU limits of all pods together'),
  limitsMemory: memoryQuantity.describe('memory limits of all pods together'),
  containerMaxCpu: cpuQuantity.describe('largest CPU limit of one container'),
  containerMaxMemory: memoryQuantity.describe('largest memory limit of one container'),
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
    .regex(/^arn:aws[a-z-]*:acm:[a-z0-9-]+:\d{12}:certificate\/[\w-]+$/, 'must be an ACM certificate ARN')
    .describe("the ACM certificate of the services' HTTPS load balancer"),
  /** The listener's TLS policy; the tier's default (`defaultTlsPolicy`) when absent. */
  sslPolicy: z
    .enum(albTlsPolicies, { error: `must be one of ${albTlsPolicies.join(', ')}` })
    .optional()
    .describe('the listener TLS policy: TLS 1.3 with a 1.2 fallback, or TLS 1.3 only (the prod default)'),
});

export const platformSchema = z.strictObject({
  tier: z.enum(tiers).describe('picks the defaults and the rules: dev is cheap, prod highly available'),
  region: z
    .enum(awsRegions, { error: 'must be an AWS region that offers EKS, RDS and ECR, such as eu-west-1' })
    .describe('the AWS region of the stack'),
  network: networkSchema.describe('the VPC: subnets per AZ, NAT, endpoints, flow logs'),
  cluster: clusterSchema.describe('the EKS control plane and its managed node groups'),
  registry: registrySchema.describe("the ECR repositories' lifecycle"),
  edge: edgeSchema.describe("the ALB's WAF and access logs"),
  quota: quotaSchema.describe("the workload namespace's budget; the catalog at its peak must fit it"),
  ingress: ingressSchema.optional().describe('the HTTPS entry point of services with an ingress'),
});

export type NetworkConfig = z.infer<typeof networkSchema>;
export type NodeGroupConfig = z.infer<typeof nodeGroupSchema>;
export type ClusterConfig = z.infer<typeof clusterSchema>;
export type RegistryConfig = z.infer<typeof registrySchema>;
export type EdgeConfig = z.infer<typeof edgeSchema>;
export type QuotaConfig = z.infer<typeof quotaSchema>;
export type IngressConfig = z.infer<typeof ingressSchema>;
export type PlatformSettings = z.infer<typeof platformSchema>;
