import type * as pulumi from '@pulumi/pulumi';
import { z } from 'zod';
import { engines, type NetworkEngine } from './config/data-stores';
import { ConfigError } from './config/errors';
import { iamArn, servicesBoundaryName } from './bootstrap/role-names';

/**
 * The contract between the two projects: every stack output the platform exports, which is everything
 * the apps project reads through its StackReference. Treat it as an API: names are `<scope><Thing><Kind>`
 * (terraform-aws-eks's `cluster_endpoint`, `oidc_provider_arn`), additions are free, a rename or removal
 * breaks every apps stack that reads the old name and needs a release note. ARNs and addresses only:
 * no secret value crosses the boundary, so no output here is a Pulumi secret.
 */

/** The Pulumi project name of the platform (the root Pulumi.yaml); apps finds its stack by it. */
export const platformProject = 'slipway';

/** The stack the apps stack of the same name reads: `<org>/<platform project>/<stack>`. */
export const platformStackName = (organization: string, stack: string) =>
  `${organization}/${platformProject}/${stack}`;

/**
 * The permissions boundary the bootstrap made for the roles of an apps stack's services, in the account the
 * platform runs in: the apps deploy role may create and write a service role only when it carries it.
 */
export const servicesBoundaryArn = (account: { partition: string; accountId: string }, stack: string) =>
  iamArn(account.partition, account.accountId, `policy/${servicesBoundaryName(platformProject, stack)}`);

const arn = (service: string) =>
  z.string().regex(new RegExp(`^arn:aws[a-z-]*:${service}:`), `must be an ${service} ARN`);
const cidrs = z.array(z.cidrv4()).min(1);
const byService = <T extends z.ZodType>(value: T) => z.record(z.string(), value);

export const platformOutputsSchema = z.strictObject({
  networkVpcId: z.string().startsWith('vpc-').describe('The VPC every resource of the environment runs in.'),
  networkPrivateSubnetIds: z
    .array(z.string().startsWith('subnet-'))
    .min(1)
    .describe('Private subnets, one per AZ: the nodes and the control plane network interfaces.'),
  networkPublicSubnetCidrs: cidrs.describe(
    'Public subnets the internet-facing ALB sends from; network policies admit them to ingress ports.',
  ),
  networkPrivateSubnetCidrs: cidrs.describe('Private subnets: the nodes and the pods.'),
  networkControlPlaneSubnetCidrs: cidrs.describe(
    "Subnets holding the EKS control plane's network interfaces and nothing else: pods' egress to the API server.",
  ),
  networkEndpointSubnetCidrs: z
    .array(z.cidrv4())
    .describe(
      'Subnets of the interface VPC endpoints (empty when the stack has none): pods reach AWS APIs there.',
    ),
  networkEndpointServices: z
    .array(z.string().regex(/^[a-z0-9.-]+$/))
    .describe('AWS services (`sts`, `secretsmanager`…) with an interface endpoint in the VPC.'),
  networkS3Cidrs: cidrs.describe(
    "The addresses of S3's prefix list, which the S3 gateway endpoint routes to.",
  ),
  networkDatabaseSubnetCidrs: cidrs.describe(
    'Database subnets; network policies let database users reach them on the database port.',
  ),
  clusterName: z.string().min(1).describe('The EKS cluster name; `aws eks get-token` takes it.'),
  clusterEndpoint: z.url().startsWith('https://').describe('The Kubernetes API server URL.'),
  clusterCertificateAuthorityData: z
    .base64()
    .min(1)
    .describe('The cluster CA certificate (base64 PEM), which the apps Kubernetes provider trusts.'),
  clusterKubernetesVersion: z
    .string()
    .regex(/^1\.\d+$/)
    .describe('The control plane version; the namespace pins its Pod Security Standards to it.'),
  clusterOidcProviderArn: arn('iam')
    .regex(/:oidc-provider\//)
    .describe('The IAM OIDC provider of the cluster: the federated principal of every IRSA role.'),
  clusterOidcProviderUrl: z
    .url()
    .startsWith('https://')
    .describe('The issuer URL of service account tokens; IRSA trust conditions are keyed by it.'),
  workloadsNamespaceName: z
    .string()
    .regex(/^[a-z0-9][a-z0-9-]*$/)
    .describe('The namespace the services run in, each with its own SecretStore there.'),
  workloadsRolePrefix: z
    .string()
    .min(1)
    .describe("Prefix of the services' IAM role names (`<prefix>-<service>`), unique per environment."),
  registryRepositoryUrls: byService(
    z.string().regex(/^\d{12}\.dkr\.ecr\.[a-z0-9-]+\.amazonaws\.com\/.+$/),
  ).describe('ECR repository URL per catalog service; a Deployment runs `<url>@<digest>`.'),
  secretsServiceArns: byService(arn('secretsmanager')).describe(
    'Secrets Manager secret per service that declares secret keys; its ExternalSecret reads it.',
  ),
  keysDataKeyArn: arn('kms').describe(
    "The KMS key the secrets are encrypted with; a service's role may decrypt through Secrets Manager.",
  ),
  dataStoreEndpoints: byService(
    z.strictObject({
      engine: z.enum(engines.filter((engine) => engine !== 'sqs') as [NetworkEngine, ...NetworkEngine[]]),
      host: z.string().min(1),
      port: z.int().min(1).max(65535),
      cidrs: z.array(z.cidrv4()),
    }),
  ).describe(
    "Data store → its engine, host, port and the data subnets' blocks (network policies admit them).",
  ),
  dataQueues: byService(z.strictObject({ url: z.url(), arn: arn('sqs'), name: z.string().min(1) })).describe(
    'Store → its SQS queue: URL, ARN and name.',
  ),
  dataCredentials: byService(
    byService(z.strictObject({ secretArn: arn('secretsmanager'), versionId: z.string().min(1) })),
  ).describe("Service → store → the service's own credential secret and the version of its value."),
  edgeWebAclArn: z
    .union([arn('wafv2').regex(/:regional\/webacl\//), z.literal('')])
    .describe("The AWS WAF web ACL the internet-facing ALB runs behind; '' when the stack runs no WAF."),
  edgeAccessLogBucketName: z
    .string()
    .regex(/^([a-z0-9][a-z0-9.-]{1,61}[a-z0-9])?$/, 'must be an S3 bucket name')
    .describe("The S3 bucket the ALB writes its access logs to; '' when the stack keeps none."),
  edgeAccessLogPrefix: z
    .string()
    .regex(/^[a-z0-9][a-z0-9/-]*[a-z0-9]$/)
    .describe('The key prefix of the ALB access logs in that bucket.'),
});

export type PlatformOutputs = z.infer<typeof platformOutputsSchema>;

/** The output names, in the contract's order. */
export const platformOutputNames = Object.keys(platformOutputsSchema.shape) as (keyof PlatformOutputs)[];

/** What the platform program returns: the contract with each value still an Output. */
export type PlatformOutputInputs = { [K in keyof PlatformOutputs]: pulumi.Input<PlatformOutputs[K]> };

/** Each output's description, for the docs. */
export function platformOutputDescriptions(): Record<string, string> {
  return Object.fromEntries(
    Object.entries(platformOutputsSchema.shape).map(([name, schema]) => [name, schema.description ?? '']),
  );
}

/**
 * Parses what the platform stack exported. The apps project does this once, before it registers
 * anything: a missing or malformed output is one line naming the output and the platform stack.
 */
export function parsePlatformOutputs(stack: string, values: Record<string, unknown>): PlatformOutputs {
  const missing = platformOutputNames.filter((name) => values[name] === undefined);
  if (missing.length === platformOutputNames.length) {
    throw new PlatformOutputsError([
      `${stack}: the platform stack has no outputs yet: deploy the platform first (\`pulumi up --stack ${stack.split('/').pop() ?? stack}\` at the repository root), then the apps`,
    ]);
  }
  const known = Object.fromEntries(platformOutputNames.map((name) => [name, values[name]]));
  const parsed = platformOutputsSchema.safeParse(known);
  if (parsed.success) return parsed.data;
  throw new PlatformOutputsError(
    parsed.error.issues.map((issue) => {
      const [name, ...rest] = issue.path.map(String);
      const key = [name, ...rest].join('.');
      return values[name ?? ''] === undefined
        ? `${stack}: output ${key}: missing (the platform stack predates it: run \`pulumi up\` for the platform)`
        : `${stack}: output ${key}: ${issue.message}`;
    }),
  );
}

/**
 * The platform's outputs cannot serve the apps: every problem, one line each. A ConfigError, so Pulumi
 * and the plan print the lines alone, as for a bad stack file.
 */
export class PlatformOutputsError extends ConfigError {
  constructor(problems: string[]) {
    super(problems);
    this.name = 'PlatformOutputsError';
  }
}
