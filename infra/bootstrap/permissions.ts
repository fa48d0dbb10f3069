import { policy, type PolicyDocument, type PolicyStatement } from './policy-document';
import { appsProjectName, serviceRolePrefix } from './role-names';

/** What every role's policy refers to: the bootstrap's own resources and the account. */
export interface PolicyContext {
  partition: string;
  accountId: string;
  /** The platform project whose stacks the bucket holds (`slipway`); its apps project is `<project>-apps`. */
  project: string;
  stateBucketArn: string;
  stateKeyArn: string;
  secretsKeyArn: string;
  /** ARNs nothing in the pipeline may change: the bootstrap's roles and the GitHub OIDC provider. */
  protectedIamArns: string[];
}

/** A stack of one of the two projects (docs/two-lifecycles.md); `*` for every stack of the project. */
interface StackOf {
  project: string;
  stack: string;
}

/** The same stacks in both projects: the platform's and the apps'. */
const inBothProjects = (ctx: PolicyContext, stacks: string[]): StackOf[] =>
  [ctx.project, appsProjectName(ctx.project)].flatMap((project) =>
    stacks.map((stack) => ({ project, stack })),
  );

/**
 * Objects of one stack in Pulumi's self-managed backend layout: `.pulumi/stacks/<project>/<stack>.json` and
 * its history and backups.
 */
function stackObjects(ctx: PolicyContext, { project, stack }: StackOf): string[] {
  const root = `${ctx.stateBucketArn}/.pulumi`;
  return [
    `${root}/stacks/${project}/${stack}.json*`,
    `${root}/history/${project}/${stack}/*`,
    `${root}/backups/${project}/${stack}/*`,
  ];
}

/**
 * Statements every role that opens stacks needs: list the bucket, read the backend's metadata, lock those
 * stacks, and decrypt. None for no stacks: IAM rejects a statement with no resource.
 */
function stateCommon(ctx: PolicyContext, stacks: StackOf[]): PolicyStatement[] {
  if (stacks.length === 0) return [];
  return [
    { Sid: 'ListState', Effect: 'Allow', Action: 's3:ListBucket', Resource: ctx.stateBucketArn },
    {
      Sid: 'ReadBackendMetadata',
      Effect: 'Allow',
      Action: 's3:GetObject',
      Resource: `${ctx.stateBucketArn}/.pulumi/meta.yaml`,
    },
    {
      // Every update takes the stack's lock file, previews included; it is the only write a reader makes.
      Sid: 'StackLocks',
      Effect: 'Allow',
      Action: ['s3:GetObject', 's3:PutObject', 's3:DeleteObject'],
      Resource: stacks.map(
        ({ project, stack }) => `${ctx.stateBucketArn}/.pulumi/locks/*/${project}/${stack}/*`,
      ),
    },
    {
      // The state key is usable only through S3, and Decrypt alone opens a stack's secrets.
      Sid: 'StateKeyThroughS3',
      Effect: 'Allow',
      Action: ['kms:Decrypt', 'kms:GenerateDataKey'],
      Resource: ctx.stateKeyArn,
      Condition: { StringLike: { 'kms:ViaService': 's3.*.amazonaws.com' } },
    },
    // Pulumi's awskms provider encrypts every stack's data key with this one key and no encryption
    // context, so this cannot be narrowed per stack (see README, "Workflows and bootstrap").
    { Sid: 'DecryptStackSecrets', Effect: 'Allow', Action: 'kms:Decrypt', Resource: ctx.secretsKeyArn },
  ];
}

/** Reads a preview (and a refresh) of the platform makes: describe, get and list, never a secret value. */
const platformReads = [
  'ec2:Describe*',
  'eks:Describe*',
  'eks:List*',
  'rds:Describe*',
  'rds:ListTagsForResource',
  'ecr:GetAuthorizationToken',
  'ecr:Describe*',
  'ecr:List*',
  'ecr:GetLifecyclePolicy',
  'ecr:GetRepositoryPolicy',
  'ecr:BatchGetImage',
  'ecr:GetDownloadUrlForLayer',
  'kms:Describe*',
  'kms:GetKeyPolicy',
  'kms:GetKeyRotationStatus',
  'kms:List*',
  'secretsmanager:DescribeSecret',
  'secretsmanager:GetResourcePolicy',
  'secretsmanager:ListSecrets',
  'logs:Describe*',
  'logs:ListTagsForResource',
  'autoscaling:Describe*',
  'elasticloadbalancing:Describe*',
  'ssm:GetParameter',
  'ssm:GetParameters',
  'iam:Get*',
  'iam:List*',
];

/**
 * The preview and read roles: read the given stacks of both projects (`*`: every stack) and describe the
 * platform. Pull requests run their own code with the preview role, so it must not be able to change
 * anything or read a secret value, and opens only the stacks a pull request may preview.
 */
export function readOnlyPolicy(ctx: PolicyContext, stackNames: string[]): PolicyDocument {
  const stacks = inBothProjects(ctx, stackNames);
  const stackStatements: PolicyStatement[] =
    stacks.length === 0
      ? []
      : [
          {
            Sid: 'ReadStacks',
            Effect: 'Allow',
            Action: 's3:GetObject',
            Resource: stacks.flatMap((stack) => stackObjects(ctx, stack)),
          },
        ];
  return policy(
    ...stateCommon(ctx, stacks),
    ...stackStatements,
    { Sid: 'DescribePlatform', Effect: 'Allow', Action: platformReads, Resource: '*' },
    {
      // AWS's public parameters (the EKS AMI ids) have no account in their ARN and stay readable.
      Sid: 'NeverSecretValues',
      Effect: 'Deny',
      Action: ['secretsmanager:GetSecretValue', 'ssm:GetParameter*'],
      Resource: [
        `arn:${ctx.partition}:secretsmanager:*:${ctx.accountId}:secret:*`,
        `arn:${ctx.partition}:ssm:*:${ctx.accountId}:parameter/*`,
      ],
    },
  );
}

/** AWS services the platform program manages (see infra/): all of them, but only in the stack's region. */
const platformServices = [
  'ec2:*',
  'eks:*',
  'rds:*',
  'elasticache:*',
  'mq:*',
  'sqs:*',
  'wafv2:*',
  'ecr:*',
  'kms:*',
  'secretsmanager:*',
  'logs:*',
  'autoscaling:*',
  'elasticloadbalancing:*',
  'ssm:GetParameter*',
];

/** IAM the platform needs for node, IRSA and flow-log roles and the cluster's OIDC provider: no users, no keys. */
const platformIam = [
  'iam:CreateRole',
  'iam:DeleteRole',
  'iam:UpdateRole',
  'iam:UpdateAssumeRolePolicy',
  'iam:TagRole',
  'iam:UntagRole',
  'iam:PutRolePolicy',
  'iam:DeleteRolePolicy',
  'iam:AttachRolePolicy',
  'iam:DetachRolePolicy',
  'iam:PassRole',
  'iam:CreateInstanceProfile',
  'iam:DeleteInstanceProfile',
  'iam:AddRoleToInstanceProfile',
  'iam:RemoveRoleFromInstanceProfile',
  'iam:TagInstanceProfile',
  'iam:CreateOpenIDConnectProvider',
  'iam:DeleteOpenIDConnectProvider',
  'iam:TagOpenIDConnectProvider',
  'iam:UpdateOpenIDConnectProviderThumbprint',
  'iam:CreateServiceLinkedRole',
  'iam:Get*',
  'iam:List*',
];

/**
 * One environment's platform role: its own platform stack's state (read and write), the platform's services
 * in the environment's region, and IAM for the platform's roles. It cannot touch another stack's state, the
 * bootstrap's roles, the OIDC provider or the bootstrap's keys, so it cannot widen its own trust.
 */
export function platformDeployPolicy(ctx: PolicyContext, stack: string, region: string): PolicyDocument {
  const account = `arn:${ctx.partition}:iam::${ctx.accountId}`;
  const own = { project: ctx.project, stack };
  return policy(
    ...ownStack(ctx, own),
    {
      Sid: 'ManagePlatformInRegion',
      Effect: 'Allow',
      Action: platformServices,
      Resource: '*',
      Condition: { StringEquals: { 'aws:RequestedRegion': region } },
    },
    {
      // The ALB access-log bucket (infra/edge.ts): `<project>-<stack>-alb-logs-<account>`, nothing else in S3.
      Sid: 'ManageAccessLogBucket',
      Effect: 'Allow',
      Action: 's3:*',
      Resource: [
        `arn:${ctx.partition}:s3:::${ctx.project}-${stack}-alb-logs-${ctx.accountId}`,
        `arn:${ctx.partition}:s3:::${ctx.project}-${stack}-alb-logs-${ctx.accountId}/*`,
      ],
    },
    {
      Sid: 'ManagePlatformIam',
      Effect: 'Allow',
      Action: platformIam,
      Resource: [
        `${account}:role/*`,
        `${account}:instance-profile/*`,
        `${account}:oidc-provider/*`,
        `${account}:policy/*`,
      ],
    },
    ...neverTheBootstrap(ctx),
  );
}

/**
 * One environment's apps role, which every merge that changes a service runs with: its own apps stack's
 * state (read and write), the platform stack's state read-only (the StackReference to its outputs), the
 * cluster's endpoint (Kubernetes access is the platform's EKS access entry for this role), and the
 * services' own IAM roles, by name prefix. No EC2, VPC, EKS cluster or node group, RDS, KMS key or other
 * platform write: a service merge cannot change the network, the cluster or the data.
 */
export function appsDeployPolicy(ctx: PolicyContext, stack: string, region: string): PolicyDocument {
  const account = `arn:${ctx.partition}:iam::${ctx.accountId}`;
  const own = { project: appsProjectName(ctx.project), stack };
  const platform = { project: ctx.project, stack };
  return policy(
    ...ownStack(ctx, own),
    {
      Sid: 'ReadPlatformStack',
      Effect: 'Allow',
      Action: 's3:GetObject',
      Resource: stackObjects(ctx, platform),
    },
    {
      Sid: 'ReachTheCluster',
      Effect: 'Allow',
      Action: ['eks:DescribeCluster'],
      Resource: `arn:${ctx.partition}:eks:${region}:${ctx.accountId}:cluster/${ctx.project}-${stack}`,
    },
    {
      Sid: 'ManageServiceRoles',
      Effect: 'Allow',
      Action: serviceRoleIam,
      Resource: `${account}:role/${serviceRolePrefix(ctx.project, stack)}-*`,
    },
    { Sid: 'ReadIam', Effect: 'Allow', Action: ['iam:GetRole', 'iam:ListRoles'], Resource: '*' },
    ...neverTheBootstrap(ctx),
  );
}

/** What the apps do with their services' roles: create, trust the cluster's OIDC issuer, one inline policy. */
const serviceRoleIam = [
  'iam:CreateRole',
  'iam:DeleteRole',
  'iam:UpdateRole',
  'iam:UpdateAssumeRolePolicy',
  'iam:TagRole',
  'iam:UntagRole',
  'iam:PutRolePolicy',
  'iam:DeleteRolePolicy',
  'iam:GetRolePolicy',
  'iam:ListRolePolicies',
  'iam:ListAttachedRolePolicies',
  'iam:ListInstanceProfilesForRole',
];

/** A deploying role's own stack: the statements every stack opener needs, and writing its state. */
function ownStack(ctx: PolicyContext, own: StackOf): PolicyStatement[] {
  return [
    ...stateCommon(ctx, [own]),
    {
      Sid: 'WriteOwnStack',
      Effect: 'Allow',
      Action: ['s3:GetObject', 's3:PutObject', 's3:DeleteObject'],
      Resource: stackObjects(ctx, own),
    },
  ];
}

/** The bootstrap's roles, OIDC provider and keys are out of reach of every role it creates. */
function neverTheBootstrap(ctx: PolicyContext): PolicyStatement[] {
  return [
    { Sid: 'NeverTheBootstrapIam', Effect: 'Deny', Action: 'iam:*', Resource: ctx.protectedIamArns },
    {
      Sid: 'NeverTheBootstrapKeys',
      Effect: 'Deny',
      NotAction: ['kms:Decrypt', 'kms:GenerateDataKey', 'kms:DescribeKey'],
      Resource: [ctx.stateKeyArn, ctx.secretsKeyArn],
    },
  ];
}

/**
 * The publish role: push images to the project's ECR repositories in the registry region, nothing else. The
 * platform makes one repository per service and stack (`<project>-<stack>/<service>`), and push copies one
 * digest between them, so the scope is every stack's repositories of this project.
 */
export function publishPolicy(ctx: PolicyContext, registryRegion: string): PolicyDocument {
  return policy(
    { Sid: 'RegistryLogin', Effect: 'Allow', Action: 'ecr:GetAuthorizationToken', Resource: '*' },
    {
      Sid: 'PushProjectImages',
      Effect: 'Allow',
      Action: [
        'ecr:BatchCheckLayerAvailability',
        'ecr:InitiateLayerUpload',
        'ecr:UploadLayerPart',
        'ecr:CompleteLayerUpload',
        'ecr:PutImage',
        'ecr:BatchGetImage',
        'ecr:DescribeImages',
        'ecr:GetDownloadUrlForLayer',
      ],
      Resource: `arn:${ctx.partition}:ecr:${registryRegion}:${ctx.accountId}:repository/${ctx.project}-*/*`,
    },
  );
}
