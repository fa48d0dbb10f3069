import { policy, type PolicyDocument, type PolicyStatement } from './policy-document';
import { appsProjectName, boundaryName, iamArn, serviceRolePrefix, servicesBoundaryName } from './role-names';

/** What every role's policy refers to: the bootstrap's own resources and the account. */
export interface PolicyContext {
  partition: string;
  accountId: string;
  /** The platform project whose stacks the bucket holds (`slipway`); its apps project is `<project>-apps`. */
  project: string;
  stateBucketArn: string;
  stateKeyArn: string;
  /** Each environment's key for its stacks' secrets (`awskms://`), by environment. */
  secretsKeyArns: Record<string, string>;
  /** ARNs nothing in the pipeline may change: the bootstrap's roles and the GitHub OIDC provider. */
  protectedIamArns: string[];
  /**
   * The account of each stack in another account than `accountId` (one account per environment): the
   * repositories images are pushed to or promoted from there are named in that account.
   */
  stackAccounts?: Record<string, string>;
}

/**
 * The tag every platform and apps resource carries with its stack's name (infra/program.ts and
 * infra/apps/program.ts tag `stack`), by which a shared account keeps its environments apart (ABAC).
 */
export const stackTagKey = 'stack';
const resourceStack = `aws:ResourceTag/${stackTagKey}`;
const requestStack = `aws:RequestTag/${stackTagKey}`;

const policyArn = (ctx: PolicyContext, name: string) =>
  iamArn(ctx.partition, ctx.accountId, `policy/${name}`);
/** The ARN of an environment's boundary, which its platform and apps roles carry. */
export const boundaryArn = (ctx: PolicyContext, environment: string) =>
  policyArn(ctx, boundaryName(ctx.project, environment));
/** The ARN of the boundary every service role of an environment's apps stack must carry. */
export const servicesBoundaryArn = (ctx: PolicyContext, environment: string) =>
  policyArn(ctx, servicesBoundaryName(ctx.project, environment));

/**
 * The resources the programs create that a role could otherwise leave untagged, and the call creating each.
 * Every one the programs make carries its stack's tag in that call (test/examples/suite.ts holds every
 * example's stacks to it), so a create without the tag is refused (tag on create): an untagged resource
 * would escape the stack fence. Denied to every environment role and within every boundary: no role the
 * platform makes (nodes, EKS, the controllers) creates these. The cluster and its access entries are made by
 * `@pulumi/eks` with the tags the program passes it (infra/cluster.ts); S3 takes tags in CreateBucket since
 * November 2025, and the AWS provider sends them there.
 */
export const tagOnCreate = {
  'rds:CreateDBInstance': 'aws:rds/instance:Instance',
  'rds:CreateDBCluster': 'aws:docdb/cluster:Cluster',
  'elasticache:CreateReplicationGroup': 'aws:elasticache/replicationGroup:ReplicationGroup',
  'mq:CreateBroker': 'aws:mq/broker:Broker',
  'sqs:CreateQueue': 'aws:sqs/queue:Queue',
  'secretsmanager:CreateSecret': 'aws:secretsmanager/secret:Secret',
  'kms:CreateKey': 'aws:kms/key:Key',
  'ecr:CreateRepository': 'aws:ecr/repository:Repository',
  'logs:CreateLogGroup': 'aws:cloudwatch/logGroup:LogGroup',
  'wafv2:CreateWebACL': 'aws:wafv2/webAcl:WebAcl',
  'eks:CreateCluster': 'aws:eks/cluster:Cluster',
  'eks:CreateNodegroup': 'aws:eks/nodeGroup:NodeGroup',
  'eks:CreateAddon': 'aws:eks/addon:Addon',
  'eks:CreateAccessEntry': 'aws:eks/accessEntry:AccessEntry',
  's3:CreateBucket': 'aws:s3/bucket:Bucket',
} as const;

/**
 * The EC2 resources the platform creates, by the call creating each and the resource types (their ARN's
 * `<type>/`) that call creates: the only ones its `aws:RequestTag` reaches. A create is also authorized against
 * what it goes into (a subnet's VPC, an endpoint's subnets and route tables), which carries no request tag, so
 * each denial names the created types only. Denied to the platform role alone, not within the boundary: the
 * roles EKS, the VPC CNI, the EBS CSI driver and the load balancer controller run as create network interfaces,
 * volumes and security groups tagged their own way (docs/security.md says what that leaves).
 */
export const ec2TagOnCreate = {
  'ec2:CreateVpc': { type: 'aws:ec2/vpc:Vpc', creates: ['vpc'] },
  'ec2:CreateSubnet': { type: 'aws:ec2/subnet:Subnet', creates: ['subnet'] },
  'ec2:CreateSecurityGroup': { type: 'aws:ec2/securityGroup:SecurityGroup', creates: ['security-group'] },
  'ec2:CreateRouteTable': { type: 'aws:ec2/routeTable:RouteTable', creates: ['route-table'] },
  'ec2:CreateInternetGateway': {
    type: 'aws:ec2/internetGateway:InternetGateway',
    creates: ['internet-gateway'],
  },
  'ec2:CreateNatGateway': { type: 'aws:ec2/natGateway:NatGateway', creates: ['natgateway'] },
  'ec2:AllocateAddress': { type: 'aws:ec2/eip:Eip', creates: ['elastic-ip'] },
  'ec2:CreateLaunchTemplate': { type: 'aws:ec2/launchTemplate:LaunchTemplate', creates: ['launch-template'] },
  'ec2:CreateVpcEndpoint': { type: 'aws:ec2/vpcEndpoint:VpcEndpoint', creates: ['vpc-endpoint'] },
  'ec2:CreateFlowLogs': { type: 'aws:ec2/flowLog:FlowLog', creates: ['vpc-flow-log'] },
  'ec2:RunInstances': { type: 'aws:ec2/instance:Instance', creates: ['instance', 'volume'] },
  'ec2:CreateVolume': { type: 'aws:ebs/volume:Volume', creates: ['volume'] },
} as const;

/**
 * The platform role's EC2 tag on create: one denial per created resource type, naming the calls that create it,
 * so a call is never judged on the resources it only goes into. Tagging in the create call
 * (`ec2:CreateTags` with `ec2:CreateAction`) is not denied: it is how the tag arrives.
 */
function ec2TagOnCreateStatements(partition: string): PolicyStatement[] {
  const byType = new Map<string, string[]>();
  for (const [action, { creates }] of Object.entries(ec2TagOnCreate))
    for (const type of creates) byType.set(type, [...(byType.get(type) ?? []), action]);
  const pascal = (type: string) =>
    type.replace(/(^|-)([a-z])/g, (_, _dash, letter: string) => letter.toUpperCase());
  return [...byType].map(([type, actions]) => ({
    Sid: `TagOnCreate${pascal(type)}`,
    Effect: 'Deny',
    Action: actions.length === 1 ? (actions[0] as string) : actions,
    Resource: `arn:${partition}:ec2:*:*:${type}/*`,
    Condition: { Null: { [requestStack]: 'true' } },
  }));
}

/**
 * What keeps one environment's identities off every other environment's resources in a shared account: any
 * action on a resource tagged as another stack is denied, and so is tagging anything as another stack or
 * creating one of the tagOnCreate resources without the tag.
 * Untagged resources (the bootstrap's bucket) are not affected; their own statements scope them. A gated
 * stack may also read the images of the stacks it promotes from (`imageSources`), and nothing else of theirs.
 */
function isolation(stacks: string[], imageSources: string[] = []): PolicyStatement[] {
  const otherStack = (allowed: string[]) => ({
    StringNotEquals: { [resourceStack]: allowed },
    Null: { [resourceStack]: 'false' },
  });
  const resources: PolicyStatement[] =
    imageSources.length === 0
      ? [
          {
            Sid: 'NeverAnotherStacksResources',
            Effect: 'Deny',
            Action: '*',
            Resource: '*',
            Condition: otherStack(stacks),
          },
        ]
      : [
          {
            Sid: 'NeverAnotherStacksResources',
            Effect: 'Deny',
            NotAction: imagePulls,
            Resource: '*',
            Condition: otherStack(stacks),
          },
          {
            Sid: 'OnlyPromotionSourcesImages',
            Effect: 'Deny',
            Action: imagePulls,
            Resource: '*',
            Condition: otherStack([...stacks, ...imageSources]),
          },
        ];
  return [
    ...resources,
    {
      Sid: 'NeverTagAsAnotherStack',
      Effect: 'Deny',
      Action: '*',
      Resource: '*',
      Condition: { StringNotEquals: { [requestStack]: stacks }, Null: { [requestStack]: 'false' } },
    },
    {
      Sid: 'TagOnCreate',
      Effect: 'Deny',
      Action: Object.keys(tagOnCreate),
      Resource: '*',
      Condition: { Null: { [requestStack]: 'true' } },
    },
  ];
}

/** The state objects and locks of every environment but `environment`, in both projects. */
function otherEnvironmentsState(ctx: PolicyContext, environment: string): string[] {
  return inBothProjects(
    ctx,
    Object.keys(ctx.secretsKeyArns).filter((env) => env !== environment),
  ).flatMap((stack) => [
    ...stackObjects(ctx, stack),
    `${ctx.stateBucketArn}/.pulumi/locks/*/${stack.project}/${stack.stack}/*`,
  ]);
}

/**
 * What nothing an environment's roles are or create may do: touch the bootstrap's roles, OIDC provider,
 * keys or bucket settings, another environment's state, any boundary, drop a boundary, make users and keys.
 */
function guards(ctx: PolicyContext, environment: string): PolicyStatement[] {
  const account = `arn:${ctx.partition}:iam::${ctx.accountId}`;
  const others = otherEnvironmentsState(ctx, environment);
  return [
    { Sid: 'NeverTheBootstrapIam', Effect: 'Deny', Action: 'iam:*', Resource: ctx.protectedIamArns },
    {
      Sid: 'NeverTheBoundaries',
      Effect: 'Deny',
      Action: [
        'iam:CreatePolicy',
        'iam:CreatePolicyVersion',
        'iam:DeletePolicy',
        'iam:DeletePolicyVersion',
        'iam:SetDefaultPolicyVersion',
        'iam:TagPolicy',
        'iam:UntagPolicy',
      ],
      Resource: [
        `${account}:policy/${boundaryName(ctx.project, '*')}`,
        `${account}:policy/${servicesBoundaryName(ctx.project, '*')}`,
      ],
    },
    { Sid: 'NeverDropABoundary', Effect: 'Deny', Action: 'iam:DeleteRolePermissionsBoundary', Resource: '*' },
    {
      Sid: 'NoUsersOrKeys',
      Effect: 'Deny',
      Action: [
        'iam:CreateUser',
        'iam:CreateAccessKey',
        'iam:CreateLoginProfile',
        'iam:UpdateLoginProfile',
        'iam:AttachUserPolicy',
        'iam:PutUserPolicy',
        'iam:AddUserToGroup',
      ],
      Resource: '*',
    },
    {
      Sid: 'NeverTheBootstrapKeys',
      Effect: 'Deny',
      NotAction: ['kms:Decrypt', 'kms:GenerateDataKey', 'kms:DescribeKey'],
      Resource: [ctx.stateKeyArn, ...Object.values(ctx.secretsKeyArns)],
    },
    {
      // The bucket's own settings (policy, versioning, encryption) are the bootstrap's.
      Sid: 'NeverTheStateBucketSettings',
      Effect: 'Deny',
      NotAction: ['s3:ListBucket', 's3:GetBucketLocation'],
      Resource: ctx.stateBucketArn,
    },
    ...(others.length > 0
      ? [{ Sid: 'NeverAnotherEnvironmentsState', Effect: 'Deny' as const, Action: 's3:*', Resource: others }]
      : []),
  ];
}

/** Roles may be created, re-bounded or given policies only when they carry `boundary`. */
function onlyWithBoundary(boundary: string, actions: string[]): PolicyStatement {
  return {
    Sid: 'RolesOnlyWithinTheBoundary',
    Effect: 'Deny',
    Action: actions,
    Resource: '*',
    Condition: { StringNotEquals: { 'iam:PermissionsBoundary': boundary } },
  };
}

/**
 * The permissions boundary of an environment: the most its platform and apps roles, and every role the
 * platform program creates (the cluster's, node, add-on and flow-log roles), can ever do, whatever policies they hold. It
 * allows everything except what would reach another environment (resources tagged as another stack, its
 * state, its secrets key by key policy) or undo the boundaries, so a dev role cannot reach prod nor mint
 * a role that can.
 */
export function boundaryPolicy(
  ctx: PolicyContext,
  environment: string,
  imageSources: string[] = [],
): PolicyDocument {
  return policy(
    { Sid: 'WithinTheBoundary', Effect: 'Allow', Action: '*', Resource: '*' },
    ...isolation([environment], imageSources),
    ...guards(ctx, environment),
  );
}

/**
 * Control planes no service's pods need: the network, the cluster, the databases, the edge, identity and
 * the account. A service merge writes its role's policy; this keeps that policy from giving the platform's
 * powers to a service role (and through it to the apps role, which sets the role's trust).
 */
const notForServices = [
  'iam:*',
  'sts:AssumeRole',
  'organizations:*',
  'account:*',
  'ec2:*',
  'eks:*',
  'rds:*',
  'elasticache:*',
  'mq:*',
  'wafv2:*',
  'autoscaling:*',
  'elasticloadbalancing:*',
  'ecr:*',
  'cloudformation:*',
  'kms:Create*',
  'kms:Delete*',
  'kms:Disable*',
  'kms:Enable*',
  'kms:Put*',
  'kms:ScheduleKeyDeletion',
  'kms:Update*',
  'kms:*Grant*',
  'secretsmanager:Create*',
  'secretsmanager:Delete*',
  'secretsmanager:Put*',
  'secretsmanager:Update*',
  'secretsmanager:*ResourcePolicy',
];

/**
 * The boundary of the roles the apps stack creates for its services (IRSA and secret-reader roles): the
 * services' data (queues, buckets, their secrets, the data key's use) of their own environment, never a
 * control plane, the pipeline's state or another environment.
 */
export function servicesBoundaryPolicy(ctx: PolicyContext, environment: string): PolicyDocument {
  return policy(
    { Sid: 'ServicesData', Effect: 'Allow', Action: '*', Resource: '*' },
    { Sid: 'NoControlPlanes', Effect: 'Deny', Action: notForServices, Resource: '*' },
    {
      Sid: 'NeverThePipelineState',
      Effect: 'Deny',
      Action: 's3:*',
      Resource: [ctx.stateBucketArn, `${ctx.stateBucketArn}/*`],
    },
    ...isolation([environment]),
    ...guards(ctx, environment),
  );
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
function stateCommon(ctx: PolicyContext, stacks: StackOf[], environments: string[]): PolicyStatement[] {
  if (stacks.length === 0) return [];
  const keys = environments.flatMap((env) => ctx.secretsKeyArns[env] ?? []);
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
    // Each environment has its own secrets key (whose key policy names its users too), so a role
    // decrypts the secrets of exactly the environments it opens.
    ...(keys.length > 0
      ? [{ Sid: 'DecryptStackSecrets', Effect: 'Allow' as const, Action: 'kms:Decrypt', Resource: keys }]
      : []),
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
 * anything or read a secret value, and opens only the stacks a pull request may preview: it decrypts only
 * their secrets keys, and resources tagged as any other stack are denied to it outright.
 */
export function readOnlyPolicy(ctx: PolicyContext, stackNames: string[]): PolicyDocument {
  const stacks = inBothProjects(ctx, stackNames);
  const every = stackNames.includes('*');
  const environments = every ? Object.keys(ctx.secretsKeyArns) : stackNames;
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
    ...stateCommon(ctx, stacks, environments),
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
    ...(every || stackNames.length === 0 ? [] : isolation(stackNames)),
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

/** Writing a role and its inline policy: what both the platform and the apps do with the roles they make. */
const roleManagement = [
  'iam:CreateRole',
  'iam:PutRolePermissionsBoundary',
  'iam:DeleteRole',
  'iam:UpdateRole',
  'iam:UpdateAssumeRolePolicy',
  'iam:TagRole',
  'iam:UntagRole',
  'iam:PutRolePolicy',
  'iam:DeleteRolePolicy',
];

/** IAM the platform needs for node, IRSA and flow-log roles and the cluster's OIDC provider: no users, no keys. */
const platformIam = [
  ...roleManagement,
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
    ...isolation([stack]),
    ...ec2TagOnCreateStatements(ctx.partition),
    ...guards(ctx, stack),
    // Every role it makes carries the environment's boundary, or it could mint one that reaches prod: its
    // program's own roles and `@pulumi/eks`'s (infra/boundary.ts gives it to both).
    onlyWithBoundary(boundaryArn(ctx, stack), roleWrites),
  );
}

/**
 * The IAM calls that create a role or change what it may do: each must find the role carrying the expected
 * boundary (`iam:PermissionsBoundary` is the role's boundary for the policy calls, the requested one for
 * creating or re-bounding). The apps role's service roles all carry the services boundary.
 */
const roleWrites = [
  'iam:CreateRole',
  'iam:PutRolePermissionsBoundary',
  'iam:PutRolePolicy',
  'iam:AttachRolePolicy',
];

/**
 * One environment's apps role, which every merge that changes a service runs with: its own apps stack's
 * state (read and write), the platform stack's state read-only (the StackReference to its outputs), the
 * cluster's endpoint (Kubernetes access is the platform's EKS access entry for this role), and the
 * services' own IAM roles, by name prefix. No EC2, VPC, EKS cluster or node group, RDS, KMS key or other
 * platform write: a service merge cannot change the network, the cluster or the data.
 */
export function appsDeployPolicy(
  ctx: PolicyContext,
  stack: string,
  region: string,
  images: StackImages,
): PolicyDocument {
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
    // The deploy verifies each image's build provenance where its cluster pulls it from (gh reads the
    // manifest with docker's ECR login): its own stack's repositories, read-only.
    { Sid: 'RegistryLogin', Effect: 'Allow', Action: 'ecr:GetAuthorizationToken', Resource: '*' },
    {
      Sid: 'ReadOwnImages',
      Effect: 'Allow',
      Action: imagePulls,
      Resource: stackRepositories(ctx, images.registryRegion, stack),
    },
    // A gated stack's repositories are written by nothing but its deploy job's promotion step (after its
    // approval), which copies the digests from the stacks it promotes from.
    ...(images.promoteFrom.length > 0
      ? [
          {
            Sid: 'PromoteIntoOwnImages',
            Effect: 'Allow' as const,
            Action: imagePushes,
            Resource: stackRepositories(ctx, images.registryRegion, stack),
          },
          {
            Sid: 'ReadPromotionSources',
            Effect: 'Allow' as const,
            Action: imagePulls,
            Resource: images.promoteFrom.map((from) => stackRepositories(ctx, images.registryRegion, from)),
          },
        ]
      : []),
    ...isolation([stack], images.promoteFrom),
    ...guards(ctx, stack),
    // A service role it creates or writes a policy on carries the services' boundary: the policy comes
    // from a service merge, and without it an admin policy there would be the apps role's way out.
    onlyWithBoundary(servicesBoundaryArn(ctx, stack), roleWrites),
  );
}

/** Where a stack's images live and, for a gated stack, the stacks its deploy job promotes them from. */
export interface StackImages {
  /** The region of the pipeline's registry (pipeline.yaml registry.region: the bootstrap's). */
  registryRegion: string;
  /** Empty for a stack the publish role writes; for a gated one, the stacks it promotes images from. */
  promoteFrom: string[];
}

/** Writing an image into ECR: an upload of its layers and manifest (or a registry-side copy). */
const imagePushes = [
  'ecr:BatchCheckLayerAvailability',
  'ecr:InitiateLayerUpload',
  'ecr:UploadLayerPart',
  'ecr:CompleteLayerUpload',
  'ecr:PutImage',
];

/** Reading an image from ECR: what a registry client resolving, verifying or copying it needs. */
const imagePulls = [
  'ecr:BatchGetImage',
  'ecr:DescribeImages',
  'ecr:GetDownloadUrlForLayer',
  'ecr:BatchCheckLayerAvailability',
];

/** A stack's ECR repositories, one per service: `<project>-<stack>/<service>` (infra/registry.ts). */
const stackRepositories = (ctx: PolicyContext, registryRegion: string, stack: string) =>
  `arn:${ctx.partition}:ecr:${registryRegion}:${ctx.stackAccounts?.[stack] ?? ctx.accountId}:repository/${ctx.project}-${stack}/*`;

/** What the apps do with their services' roles: create, trust the cluster's OIDC issuer, one inline policy. */
const serviceRoleIam = [
  ...roleManagement,
  'iam:GetRolePolicy',
  'iam:ListRolePolicies',
  'iam:ListAttachedRolePolicies',
  'iam:ListInstanceProfilesForRole',
];

/** A deploying role's own stack: the statements every stack opener needs (its own secrets key), and its state. */
function ownStack(ctx: PolicyContext, own: StackOf): PolicyStatement[] {
  return [
    ...stateCommon(ctx, [own], [own.stack]),
    {
      Sid: 'WriteOwnStack',
      Effect: 'Allow',
      Action: ['s3:GetObject', 's3:PutObject', 's3:DeleteObject'],
      Resource: stackObjects(ctx, own),
    },
  ];
}

/**
 * The publish role: push images to the repositories of the stacks no environment gates, in the registry
 * region, nothing else. The platform makes one repository per service and stack
 * (`<project>-<stack>/<service>`), and push copies one digest between them. A gated stack's repositories
 * (prod's) are not among them: a branch-trusted role could otherwise put an image where prod pulls from; its
 * own deploy job promotes into them after approval (appsDeployPolicy).
 */
export function publishPolicy(ctx: PolicyContext, registryRegion: string, stacks: string[]): PolicyDocument {
  return policy(
    { Sid: 'RegistryLogin', Effect: 'Allow', Action: 'ecr:GetAuthorizationToken', Resource: '*' },
    ...(stacks.length > 0
      ? [
          {
            Sid: 'PushUngatedStacksImages',
            Effect: 'Allow' as const,
            Action: [...imagePushes, 'ecr:BatchGetImage', 'ecr:DescribeImages', 'ecr:GetDownloadUrlForLayer'],
            Resource: stacks.map((stack) => stackRepositories(ctx, registryRegion, stack)),
          },
        ]
      : []),
  );
}
