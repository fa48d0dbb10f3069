import { join } from 'node:path';
import { runSimulation } from '@cloud-copilot/iam-simulate';
import { bootstrapProgram } from '../../../infra/bootstrap/program';
import { accountKeyPolicy } from '../../../infra/bootstrap/key-policy';
import { offlineAccountId as account } from '../../../offline/cloud';
import { runOffline, type OfflineRun } from '../../../offline/engine';
import { ec2TagOnCreate, tagOnCreate } from '../../../infra/bootstrap/permissions';
import { readSettings } from '../../../infra/settings/load';
import { jsonInput, named, ofType } from '../../support/resources';

// The rendered bootstrap's policies, each role's inline policy with its permissions boundary, evaluated by an
// IAM policy evaluator (@cloud-copilot/iam-simulate) against sample resources of each stack, named and tagged
// as the platform names and tags them. One account holds every environment (the single-account layout).

const projectDir = join(__dirname, '..', '..', '..', 'infra', 'bootstrap');
const region = 'eu-west-1';
const roleArn = (name: string) => `arn:aws:iam::${account}:role/${name}`;
const policyArn = (name: string) => `arn:aws:iam::${account}:policy/${name}`;
const stateObject = (path: string) =>
  `arn:aws:s3:::slipway-pulumi-state-${account}-${region}/.pulumi/${path}`;

interface Identity {
  policy: unknown;
  boundary?: unknown;
}
type Verdict = 'Allowed' | 'ExplicitlyDenied' | 'ImplicitlyDenied';

let run: OfflineRun;
const identities = new Map<string, Identity>();
const boundaries = new Map<string, unknown>();

beforeAll(async () => {
  run = await runOffline({ projectDir, stack: 'sample', program: bootstrapProgram });
  for (const p of ofType(run, 'aws:iam/policy:Policy'))
    boundaries.set(policyArn(String(p.inputs.name)), jsonInput(p, 'policy'));
  for (const role of ofType(run, 'aws:iam/role:Role')) {
    const logical = role.name.replace(/-role$/, '');
    const boundaryArn = role.inputs.permissionsBoundary as string | undefined;
    identities.set(String(role.inputs.name), {
      policy: jsonInput(named(run, 'aws:iam/rolePolicy:RolePolicy', `${logical}-policy`), 'policy'),
      boundary: boundaryArn ? (boundaries.get(boundaryArn) ?? fail(`no policy ${boundaryArn}`)) : undefined,
    });
  }
});

function fail(message: string): never {
  throw new Error(message);
}

/** Evaluates one request as IAM would; a request the evaluator rejects (unknown action, key) fails the test. */
async function evaluate(
  identity: Identity,
  action: string,
  resource: string,
  context: Record<string, string | string[]> = {},
  resourcePolicy?: unknown,
): Promise<Verdict> {
  const response = await runSimulation(
    {
      request: {
        principal: roleArn('under-test'),
        action,
        resource: { resource, accountId: account },
        contextVariables: { 'aws:RequestedRegion': region, ...context },
      },
      identityPolicies: [{ name: 'inline', policy: identity.policy }],
      permissionBoundaryPolicies: identity.boundary
        ? [{ name: 'boundary', policy: identity.boundary }]
        : undefined,
      serviceControlPolicies: [],
      resourceControlPolicies: [],
      // A platform KMS key hands itself to the account's IAM (infra/keys.ts): the roles' policies decide.
      resourcePolicy:
        resourcePolicy ?? (action.startsWith('kms:') ? accountKeyPolicy('aws', account) : undefined),
    },
    {},
  );
  if (response.resultType === 'error')
    throw new Error(`${action} on ${resource}: ${JSON.stringify(response.errors)}`);
  return response.overallResult as Verdict;
}

const as = (roleName: string) => identities.get(roleName) ?? fail(`no role ${roleName}`);
const tagged = (stack: string) => ({ 'aws:ResourceTag/stack': stack });

/** Sample resources of one stack, as the platform names and tags them, and what a deploy does to them. */
const resourcesOf = (stack: string): [string, string][] => [
  ['rds:DeleteDBInstance', `arn:aws:rds:${region}:${account}:db:slipway-${stack}-db`],
  ['rds:ModifyDBInstance', `arn:aws:rds:${region}:${account}:db:slipway-${stack}-db`],
  ['eks:DeleteCluster', `arn:aws:eks:${region}:${account}:cluster/slipway-${stack}`],
  // Cluster admin for oneself: an access policy on an access entry (which carries the stack tag, as created).
  [
    'eks:AssociateAccessPolicy',
    `arn:aws:eks:${region}:${account}:access-entry/slipway-${stack}/role/${account}/intruder/0ac2f1e4-5b6c-4d7e-8f90-123456789abc`,
  ],
  ['ec2:TerminateInstances', `arn:aws:ec2:${region}:${account}:instance/i-0123456789abcdef0`],
  [
    'ec2:AuthorizeSecurityGroupIngress',
    `arn:aws:ec2:${region}:${account}:security-group/sg-0123456789abcdef0`,
  ],
  [
    'secretsmanager:GetSecretValue',
    `arn:aws:secretsmanager:${region}:${account}:secret:slipway-${stack}/api-AbCdEf`,
  ],
  [
    'secretsmanager:PutSecretValue',
    `arn:aws:secretsmanager:${region}:${account}:secret:slipway-${stack}/api-AbCdEf`,
  ],
  ['kms:Decrypt', `arn:aws:kms:${region}:${account}:key/1234abcd-12ab-34cd-56ef-1234567890ab`],
  ['kms:ScheduleKeyDeletion', `arn:aws:kms:${region}:${account}:key/1234abcd-12ab-34cd-56ef-1234567890ab`],
  ['ecr:BatchDeleteImage', `arn:aws:ecr:${region}:${account}:repository/slipway-${stack}/api`],
  ['iam:PassRole', `arn:aws:iam::${account}:role/slipway-${stack}-nodes`],
  ['logs:DeleteLogGroup', `arn:aws:logs:${region}:${account}:log-group:/aws/eks/slipway-${stack}/cluster`],
];
/**
 * Reads the preview role holds on every resource (its describe and image pulls), which only the stack fence
 * keeps off prod's: the requests above are writes it never holds, so they alone would not show that fence.
 */
const readsOf = (stack: string): [string, string][] => [
  ['ecr:BatchGetImage', `arn:aws:ecr:${region}:${account}:repository/slipway-${stack}/api`],
  ['rds:DescribeDBInstances', `arn:aws:rds:${region}:${account}:db:slipway-${stack}-db`],
];
const nonProdRoles = [
  'slipway-deploy-dev',
  'slipway-platform-dev',
  'slipway-deploy-staging',
  'slipway-platform-staging',
  'slipway-preview',
];

describe.each(nonProdRoles)('%s, in an account it shares with prod', (roleName) => {
  it.each([...resourcesOf('prod'), ...readsOf('prod')])(
    'cannot %s on a prod-tagged resource (%s)',
    async (action, resource) => {
      expect(await evaluate(as(roleName), action, resource, tagged('prod'))).not.toBe('Allowed');
    },
  );

  it("cannot read or write prod's state, of either project", async () => {
    for (const project of ['slipway', 'slipway-apps'])
      for (const action of ['s3:GetObject', 's3:PutObject', 's3:DeleteObject'])
        expect([
          project,
          action,
          await evaluate(as(roleName), action, stateObject(`stacks/${project}/prod.json`)),
        ]).toEqual([project, action, expect.not.stringMatching(/^Allowed$/)]);
  });
});

describe('the same requests on their own stack (so the denials above are isolation, not a broken policy)', () => {
  it.each(resourcesOf('dev'))(
    'platform-dev may %s on a dev-tagged resource (%s)',
    async (action, resource) => {
      expect(await evaluate(as('slipway-platform-dev'), action, resource, tagged('dev'))).toBe('Allowed');
    },
  );
  it.each(resourcesOf('prod'))(
    'platform-prod may %s on a prod-tagged resource (%s)',
    async (action, resource) => {
      expect(await evaluate(as('slipway-platform-prod'), action, resource, tagged('prod'))).toBe('Allowed');
    },
  );
  it.each(readsOf('dev'))(
    'the preview role may %s on a dev-tagged resource (%s)',
    async (action, resource) => {
      expect(await evaluate(as('slipway-preview'), action, resource, tagged('dev'))).toBe('Allowed');
    },
  );
  it('the platform role may not tag what it creates as another stack', async () => {
    const vpc = `arn:aws:ec2:${region}:${account}:vpc/*`;
    const create = (stack: string) =>
      evaluate(as('slipway-platform-dev'), 'ec2:CreateVpc', vpc, { 'aws:RequestTag/stack': stack });
    expect(await create('dev')).toBe('Allowed');
    expect(await create('prod')).not.toBe('Allowed');
  });
});

describe('tag on create', () => {
  /** A resource of each listed create, as its ARN names it at creation. */
  const created: Record<keyof typeof tagOnCreate, string> = {
    'rds:CreateDBInstance': `arn:aws:rds:${region}:${account}:db:slipway-dev-orders-db`,
    'rds:CreateDBCluster': `arn:aws:rds:${region}:${account}:cluster:slipway-dev-catalogue-db`,
    'elasticache:CreateReplicationGroup': `arn:aws:elasticache:${region}:${account}:replicationgroup:slipway-dev-sessions`,
    'mq:CreateBroker': '*',
    'sqs:CreateQueue': `arn:aws:sqs:${region}:${account}:slipway-dev-jobs`,
    'secretsmanager:CreateSecret': `arn:aws:secretsmanager:${region}:${account}:secret:slipway-dev/api-AbCdEf`,
    'kms:CreateKey': '*',
    'ecr:CreateRepository': `arn:aws:ecr:${region}:${account}:repository/slipway-dev/api`,
    'logs:CreateLogGroup': `arn:aws:logs:${region}:${account}:log-group:/aws/eks/slipway-dev/cluster`,
    'wafv2:CreateWebACL': `arn:aws:wafv2:${region}:${account}:regional/webacl/slipway-dev/*`,
    // Made by @pulumi/eks (the cluster, its access entries) and by the program (node groups, add-ons).
    'eks:CreateCluster': '*',
    'eks:CreateNodegroup': `arn:aws:eks:${region}:${account}:cluster/slipway-dev`,
    'eks:CreateAddon': `arn:aws:eks:${region}:${account}:cluster/slipway-dev`,
    'eks:CreateAccessEntry': `arn:aws:eks:${region}:${account}:cluster/slipway-dev`,
    // The ALB access-log bucket (infra/edge.ts), the one bucket the platform role may create.
    's3:CreateBucket': `arn:aws:s3:::slipway-dev-alb-logs-${account}`,
  };

  it.each(Object.keys(tagOnCreate) as (keyof typeof tagOnCreate)[])(
    'the platform role may %s only with its stack tag',
    async (action) => {
      const platform = as('slipway-platform-dev');
      expect(
        await evaluate(platform, action, created[action], {
          'aws:RequestTag/stack': 'dev',
          'aws:TagKeys': ['stack'],
        }),
      ).toBe('Allowed');
      expect(await evaluate(platform, action, created[action])).toBe('ExplicitlyDenied');
    },
  );

  it("a tag of its own does not open another stack's cluster: no access entry on prod's", async () => {
    const entry = (stack: string) =>
      evaluate(
        as('slipway-platform-dev'),
        'eks:CreateAccessEntry',
        `arn:aws:eks:${region}:${account}:cluster/slipway-${stack}`,
        { 'aws:RequestTag/stack': 'dev', 'aws:TagKeys': ['stack'], ...tagged(stack) },
      );
    expect(await entry('dev')).toBe('Allowed');
    expect(await entry('prod')).toBe('ExplicitlyDenied');
  });

  const ec2 = (resource: string) => `arn:aws:ec2:${region}:${account}:${resource}`;
  const withStack = { 'aws:RequestTag/stack': 'dev', 'aws:TagKeys': ['stack'] };

  it.each(Object.keys(ec2TagOnCreate) as (keyof typeof ec2TagOnCreate)[])(
    'the platform role may %s only with its stack tag on what it creates',
    async (action) => {
      const platform = as('slipway-platform-dev');
      const verdicts = async (context: Record<string, string | string[]>) =>
        Promise.all(
          ec2TagOnCreate[action].creates.map(async (type) => [
            type,
            await evaluate(platform, action, ec2(`${type}/*`), context),
          ]),
        );
      const types = ec2TagOnCreate[action].creates;
      expect(await verdicts(withStack)).toEqual(types.map((type) => [type, 'Allowed']));
      expect(await verdicts({})).toEqual(types.map((type) => [type, 'ExplicitlyDenied']));
    },
  );

  it('judges an EC2 create by what it creates, not by the VPC, subnets or groups it goes into', async () => {
    // Those existing resources carry no request tag in the create's authorization: a denial on them would
    // refuse every tagged create.
    const goesInto: [string, string][] = [
      ['ec2:CreateSubnet', ec2('vpc/vpc-0123456789abcdef0')],
      ['ec2:CreateSecurityGroup', ec2('vpc/vpc-0123456789abcdef0')],
      ['ec2:CreateRouteTable', ec2('vpc/vpc-0123456789abcdef0')],
      ['ec2:CreateNatGateway', ec2('subnet/subnet-0123456789abcdef0')],
      ['ec2:CreateNatGateway', ec2('elastic-ip/eipalloc-0123456789abcdef0')],
      ['ec2:CreateVpcEndpoint', ec2('subnet/subnet-0123456789abcdef0')],
      ['ec2:CreateVpcEndpoint', ec2('security-group/sg-0123456789abcdef0')],
      ['ec2:CreateVpcEndpoint', ec2('route-table/rtb-0123456789abcdef0')],
      ['ec2:CreateFlowLogs', ec2('vpc/vpc-0123456789abcdef0')],
      ['ec2:RunInstances', ec2('subnet/subnet-0123456789abcdef0')],
    ];
    const platform = as('slipway-platform-dev');
    for (const [action, parent] of goesInto)
      expect([action, parent, await evaluate(platform, action, parent, tagged('dev'))]).toEqual([
        action,
        parent,
        'Allowed',
      ]);
  });

  it('lets the tags arrive in the create call (ec2:CreateTags with ec2:CreateAction), as its own stack only', async () => {
    const platform = as('slipway-platform-dev');
    const tagOnCreateCall = (stack: string) =>
      evaluate(platform, 'ec2:CreateTags', ec2('vpc/*'), {
        'ec2:CreateAction': 'CreateVpc',
        'aws:RequestTag/stack': stack,
        'aws:TagKeys': ['stack'],
      });
    expect(await tagOnCreateCall('dev')).toBe('Allowed');
    expect(await tagOnCreateCall('prod')).toBe('ExplicitlyDenied');
  });
});

describe("IAM's size limits", () => {
  // IAM counts a policy's characters without whitespace: 6,144 for a managed policy (the boundaries),
  // 10,240 for all of a role's inline policies together. A policy over it fails the bootstrap's `up`.
  it('keeps every boundary under 6,144 characters and every role inline policy under 10,240', () => {
    const size = (policy: unknown) => JSON.stringify(policy).length;
    for (const [arn, boundary] of boundaries) expect([arn, size(boundary) <= 6144]).toEqual([arn, true]);
    for (const [name, identity] of identities)
      expect([name, size(identity.policy) <= 10240]).toEqual([name, true]);
  });
});

describe('the stack secrets keys: one per environment, usable only by the roles its key policy names', () => {
  const decrypt = (roleName: string, env: string) => {
    const key = named(run, 'aws:kms/key:Key', `secrets-${env}-key`);
    const arn = `arn:aws:kms:${region}:${account}:key/${key.id}`;
    return evaluate(
      as(roleName),
      'kms:Decrypt',
      arn,
      { 'aws:PrincipalArn': roleArn(roleName) },
      jsonInput(key, 'policy'),
    );
  };

  it("the preview role cannot decrypt prod's key, nor can any dev or staging role; prod's roles and read can", async () => {
    const verdicts = async (names: string[]) =>
      Object.fromEntries(await Promise.all(names.map(async (name) => [name, await decrypt(name, 'prod')])));
    expect(await verdicts([...nonProdRoles, 'slipway-publish'])).toEqual(
      Object.fromEntries(
        [...nonProdRoles, 'slipway-publish'].map((name) => [name, expect.stringMatching(/Denied$/)]),
      ),
    );
    expect(await verdicts(['slipway-deploy-prod', 'slipway-platform-prod', 'slipway-read'])).toEqual({
      'slipway-deploy-prod': 'Allowed',
      'slipway-platform-prod': 'Allowed',
      'slipway-read': 'Allowed',
    });
  });

  it("slipway.yaml's platform admin role uses every stack's key by hand; another administrator of the account does not", async () => {
    // Both hold AdministratorAccess: the key policy, not IAM, decides who may use a stack's key.
    const administrator: Identity = {
      policy: { Version: '2012-10-17', Statement: [{ Effect: 'Allow', Action: '*', Resource: '*' }] },
    };
    const adminRoleArn = readSettings(join(projectDir, '..', '..')).platform.adminRoleArn;
    const decryptAs = (principal: string, env: string) => {
      const key = named(run, 'aws:kms/key:Key', `secrets-${env}-key`);
      return evaluate(
        administrator,
        'kms:GenerateDataKey',
        `arn:aws:kms:${region}:${account}:key/${key.id}`,
        { 'aws:PrincipalArn': principal },
        jsonInput(key, 'policy'),
      );
    };
    for (const env of ['dev', 'staging', 'prod']) {
      expect(await decryptAs(adminRoleArn, env)).toBe('Allowed');
      expect(await decryptAs(roleArn('ops-admin'), env)).toBe('ImplicitlyDenied');
    }
  });

  it('the preview role decrypts the stacks it may preview, and each environment role only its own', async () => {
    expect(await decrypt('slipway-preview', 'dev')).toBe('Allowed');
    expect(await decrypt('slipway-preview', 'staging')).toBe('Allowed');
    expect(await decrypt('slipway-deploy-dev', 'dev')).toBe('Allowed');
    expect(await decrypt('slipway-deploy-dev', 'staging')).not.toBe('Allowed');
  });
});

describe('permissions boundaries', () => {
  const iamWrite = /^iam:(\*|Create|Put|Attach|Update|Delete|Tag|Untag|Add|Remove|Pass|Set)/;
  const writesIam = (identity: Identity) =>
    (identity.policy as { Statement: { Effect: string; Action?: string | string[] }[] }).Statement.some(
      (s) => s.Effect === 'Allow' && [s.Action ?? []].flat().some((a) => a === '*' || iamWrite.test(a)),
    );
  const boundaryOf = (env: string) => policyArn(`slipway-boundary-${env}`);
  const servicesBoundaryOf = (env: string) => policyArn(`slipway-services-boundary-${env}`);

  it("every role that can write IAM carries its environment's boundary, and only the platform and apps roles can", () => {
    const writers = [...identities.entries()]
      .filter(([, identity]) => writesIam(identity))
      .map(([name]) => name);
    expect(writers.sort()).toEqual(
      ['dev', 'staging', 'prod']
        .flatMap((env) => [`slipway-deploy-${env}`, `slipway-platform-${env}`])
        .sort(),
    );
    for (const writer of writers) {
      const env = writer.replace(/^slipway-(deploy|platform)-/, '');
      const role = ofType(run, 'aws:iam/role:Role').find((r) => r.inputs.name === writer);
      expect([writer, role?.inputs.permissionsBoundary]).toEqual([writer, boundaryOf(env)]);
    }
  });

  it.each(['slipway-platform-dev', 'slipway-deploy-dev', 'slipway-platform-prod'])(
    '%s cannot drop, replace or edit its boundary, nor make users',
    async (roleName) => {
      const env = roleName.replace(/^slipway-(deploy|platform)-/, '');
      const other = boundaryOf(env === 'dev' ? 'prod' : 'dev');
      const self = roleArn(roleName);
      const verdicts = [
        await evaluate(as(roleName), 'iam:DeleteRolePermissionsBoundary', self),
        await evaluate(as(roleName), 'iam:PutRolePermissionsBoundary', self, {
          'iam:PermissionsBoundary': other,
        }),
        await evaluate(as(roleName), 'iam:PutRolePolicy', self, {
          'iam:PermissionsBoundary': boundaryOf(env),
        }),
        ...(await Promise.all(
          ['iam:CreatePolicyVersion', 'iam:SetDefaultPolicyVersion', 'iam:DeletePolicy'].map((action) =>
            evaluate(as(roleName), action, boundaryOf(env)),
          ),
        )),
        await evaluate(as(roleName), 'iam:CreateUser', `arn:aws:iam::${account}:user/backdoor`),
      ];
      expect(verdicts.filter((verdict) => verdict === 'Allowed')).toEqual([]);
    },
  );

  it('the platform role creates and writes roles only within its own boundary', async () => {
    const platform = as('slipway-platform-dev');
    const role = roleArn('slipway-dev-nodes');
    const create = (boundary?: string) =>
      evaluate(platform, 'iam:CreateRole', role, {
        'aws:RequestTag/stack': 'dev',
        ...(boundary ? { 'iam:PermissionsBoundary': boundary } : {}),
      });
    expect(await create()).not.toBe('Allowed');
    expect(await create(boundaryOf('prod'))).not.toBe('Allowed');
    expect(await create(boundaryOf('dev'))).toBe('Allowed');
    const write = (action: string, boundary: string, extra: Record<string, string> = {}) =>
      evaluate(platform, action, role, { 'iam:PermissionsBoundary': boundary, ...extra });
    expect(await write('iam:PutRolePolicy', boundaryOf('dev'))).toBe('Allowed');
    expect(await write('iam:PutRolePolicy', boundaryOf('prod'))).not.toBe('Allowed');
    const admin = { 'iam:PolicyARN': 'arn:aws:iam::aws:policy/AdministratorAccess' };
    expect(await write('iam:AttachRolePolicy', boundaryOf('prod'), admin)).not.toBe('Allowed');
    // @pulumi/eks's own roles (the cluster's service role, `<name>-eksRole-role-<suffix>`) are no exception: the
    // platform program gives them the boundary too (infra/cluster.ts).
    const eksRole = roleArn('cluster-eks-eksRole-role-1a2b3c4');
    const eksPolicy = { 'iam:PolicyARN': 'arn:aws:iam::aws:policy/AmazonEKSClusterPolicy' };
    for (const name of ['x-eksRole-abc', 'x-instanceRole-abc', 'cluster-eks-eksRole-role-1a2b3c4'])
      expect([
        name,
        await evaluate(platform, 'iam:CreateRole', roleArn(name), { 'aws:RequestTag/stack': 'dev' }),
      ]).toEqual([name, 'ExplicitlyDenied']);
    expect(
      await evaluate(platform, 'iam:CreateRole', eksRole, {
        'aws:RequestTag/stack': 'dev',
        'iam:PermissionsBoundary': boundaryOf('dev'),
      }),
    ).toBe('Allowed');
    expect(await evaluate(platform, 'iam:AttachRolePolicy', eksRole, eksPolicy)).toBe('ExplicitlyDenied');
    expect(
      await evaluate(platform, 'iam:AttachRolePolicy', eksRole, {
        ...eksPolicy,
        'iam:PermissionsBoundary': boundaryOf('dev'),
      }),
    ).toBe('Allowed');
    // An existing stack's unbounded role gets the boundary in place (docs/migrations/eks-role-boundary.md).
    expect(
      await evaluate(platform, 'iam:PutRolePermissionsBoundary', eksRole, {
        'iam:PermissionsBoundary': boundaryOf('dev'),
      }),
    ).toBe('Allowed');
  });

  it("the apps role creates and writes its service roles only within the services' boundary", async () => {
    const apps = as('slipway-deploy-dev');
    const role = roleArn('slipway-dev-app-worker');
    const with_ = (boundary: string) => ({
      'aws:RequestTag/stack': 'dev',
      'iam:PermissionsBoundary': boundary,
    });
    expect(await evaluate(apps, 'iam:CreateRole', role, { 'aws:RequestTag/stack': 'dev' })).not.toBe(
      'Allowed',
    );
    expect(await evaluate(apps, 'iam:CreateRole', role, with_(boundaryOf('dev')))).not.toBe('Allowed');
    expect(await evaluate(apps, 'iam:CreateRole', role, with_(servicesBoundaryOf('dev')))).toBe('Allowed');
    expect(await evaluate(apps, 'iam:PutRolePolicy', role, with_(servicesBoundaryOf('dev')))).toBe('Allowed');
    // A service role without the services' boundary (one made by hand, say) takes no policy from it.
    expect(await evaluate(apps, 'iam:PutRolePolicy', role, with_(boundaryOf('dev')))).not.toBe('Allowed');
    expect(
      await evaluate(apps, 'iam:PutRolePermissionsBoundary', role, {
        'iam:PermissionsBoundary': boundaryOf('dev'),
      }),
    ).not.toBe('Allowed');
  });

  it("an admin policy a dev merge writes on a service role stays inside the services' boundary", async () => {
    const serviceRole: Identity = {
      policy: { Version: '2012-10-17', Statement: [{ Effect: 'Allow', Action: '*', Resource: '*' }] },
      boundary: boundaries.get(servicesBoundaryOf('dev')),
    };
    const denied: [string, string, Record<string, string>][] = [
      ['ec2:DeleteVpc', `arn:aws:ec2:${region}:${account}:vpc/vpc-0123456789abcdef0`, tagged('dev')],
      ['rds:DeleteDBInstance', `arn:aws:rds:${region}:${account}:db:slipway-dev-db`, tagged('dev')],
      ['eks:UpdateClusterConfig', `arn:aws:eks:${region}:${account}:cluster/slipway-dev`, tagged('dev')],
      [
        'iam:CreateRole',
        roleArn('slipway-dev-app-escape'),
        { 'iam:PermissionsBoundary': servicesBoundaryOf('dev') },
      ],
      ['iam:PutRolePolicy', roleArn('slipway-deploy-dev'), {}],
      ['sts:AssumeRole', roleArn('slipway-platform-dev'), {}],
      ['s3:GetObject', stateObject('stacks/slipway/dev.json'), {}],
      [
        'kms:ScheduleKeyDeletion',
        `arn:aws:kms:${region}:${account}:key/1234abcd-12ab-34cd-56ef-1234567890ab`,
        tagged('dev'),
      ],
      ['sqs:SendMessage', `arn:aws:sqs:${region}:${account}:slipway-prod-orders`, tagged('prod')],
      [
        'secretsmanager:GetSecretValue',
        `arn:aws:secretsmanager:${region}:${account}:secret:slipway-prod/api-AbCdEf`,
        tagged('prod'),
      ],
    ];
    for (const [action, resource, context] of denied)
      expect([action, await evaluate(serviceRole, action, resource, context)]).toEqual([
        action,
        expect.stringMatching(/Denied$/),
      ]);
    // What services do with their own environment's data stays possible.
    const allowed: [string, string][] = [
      ['sqs:SendMessage', `arn:aws:sqs:${region}:${account}:slipway-dev-orders`],
      [
        'secretsmanager:GetSecretValue',
        `arn:aws:secretsmanager:${region}:${account}:secret:slipway-dev/api-AbCdEf`,
      ],
      ['s3:PutObject', `arn:aws:s3:::slipway-dev-uploads/report.csv`],
    ];
    for (const [action, resource] of allowed)
      expect([action, await evaluate(serviceRole, action, resource, tagged('dev'))]).toEqual([
        action,
        'Allowed',
      ]);
  });

  it('an admin role the dev platform makes within its boundary still cannot reach prod', async () => {
    const minted: Identity = {
      policy: { Version: '2012-10-17', Statement: [{ Effect: 'Allow', Action: '*', Resource: '*' }] },
      boundary: boundaries.get(boundaryOf('dev')),
    };
    for (const [action, resource] of resourcesOf('prod'))
      expect([action, await evaluate(minted, action, resource, tagged('prod'))]).toEqual([
        action,
        expect.stringMatching(/Denied$/),
      ]);
    expect(await evaluate(minted, 's3:GetObject', stateObject('stacks/slipway/prod.json'))).not.toBe(
      'Allowed',
    );
    expect(await evaluate(minted, 'iam:PutRolePolicy', roleArn('slipway-platform-prod'))).not.toBe('Allowed');
  });
});

describe("the roles EKS runs as, within their environment's boundary", () => {
  // The AWS-managed policies of the cluster's role (which @pulumi/eks makes, now bounded) and of the nodes and the
  // VPC CNI (the platform's own roles): their actions, as AWS's managed-policy reference lists them. EKS and the CNI
  // act on network interfaces, volumes and security groups they create and tag themselves (no stack tag), so the
  // boundary must allow those, or the cluster breaks once its role is bounded.
  const managedPolicies: Record<string, string[]> = {
    AmazonEKSClusterPolicy: [
      'autoscaling:DescribeAutoScalingGroups',
      'autoscaling:UpdateAutoScalingGroup',
      'ec2:AttachVolume',
      'ec2:AuthorizeSecurityGroupIngress',
      'ec2:CreateRoute',
      'ec2:CreateSecurityGroup',
      'ec2:CreateTags',
      'ec2:CreateVolume',
      'ec2:DeleteRoute',
      'ec2:DeleteSecurityGroup',
      'ec2:DeleteVolume',
      'ec2:DescribeInstances',
      'ec2:DescribeRouteTables',
      'ec2:DescribeSecurityGroups',
      'ec2:DescribeSubnets',
      'ec2:DescribeVolumes',
      'ec2:DescribeVpcs',
      'ec2:DetachVolume',
      'ec2:ModifyInstanceAttribute',
      'ec2:ModifyVolume',
      'ec2:RevokeSecurityGroupIngress',
      'ec2:CreateNetworkInterface',
      'ec2:DeleteNetworkInterface',
      'elasticloadbalancing:CreateLoadBalancer',
      'elasticloadbalancing:CreateTargetGroup',
      'elasticloadbalancing:DeleteLoadBalancer',
      'elasticloadbalancing:RegisterTargets',
      'iam:CreateServiceLinkedRole',
      'kms:DescribeKey',
    ],
    AmazonEKSVPCResourceController: [
      'ec2:CreateNetworkInterfacePermission',
      'ec2:AssignPrivateIpAddresses',
      'ec2:UnassignPrivateIpAddresses',
      'ec2:DescribeNetworkInterfaces',
      'ec2:DescribeInstances',
    ],
    AmazonEKSWorkerNodePolicy: [
      'ec2:DescribeInstances',
      'ec2:DescribeInstanceTypes',
      'ec2:DescribeRouteTables',
      'ec2:DescribeSecurityGroups',
      'ec2:DescribeSubnets',
      'ec2:DescribeVolumes',
      'ec2:DescribeVpcs',
      'eks:DescribeCluster',
      'eks-auth:AssumeRoleForPodIdentity',
    ],
    AmazonEKS_CNI_Policy: [
      'ec2:AssignPrivateIpAddresses',
      'ec2:AttachNetworkInterface',
      'ec2:CreateNetworkInterface',
      'ec2:DeleteNetworkInterface',
      'ec2:DescribeInstances',
      'ec2:DescribeTags',
      'ec2:DescribeNetworkInterfaces',
      'ec2:DescribeInstanceTypes',
      'ec2:DescribeSubnets',
      'ec2:DetachNetworkInterface',
      'ec2:ModifyNetworkInterfaceAttribute',
      'ec2:UnassignPrivateIpAddresses',
      'ec2:CreateTags',
    ],
    AmazonEC2ContainerRegistryReadOnly: [
      'ecr:GetAuthorizationToken',
      'ecr:BatchCheckLayerAvailability',
      'ecr:GetDownloadUrlForLayer',
      'ecr:DescribeRepositories',
      'ecr:ListImages',
      'ecr:DescribeImages',
      'ecr:BatchGetImage',
    ],
  };
  const ec2 = (resource: string) => `arn:aws:ec2:${region}:${account}:${resource}`;
  /** What each action acts on in the dev cluster: the resource EKS or the CNI made, or `*` for a list. */
  const resourceOf = (action: string): string => {
    const [service = '', name = ''] = action.split(':');
    if (/^(Describe|Get|List)/.test(name) && !['DescribeCluster', 'DescribeRepositories'].includes(name))
      return name.startsWith('DescribeImages') || name.startsWith('ListImages')
        ? `arn:aws:ecr:${region}:${account}:repository/slipway-dev/api`
        : '*';
    if (service === 'ec2') {
      if (/Volume/.test(name)) return ec2('volume/vol-0123456789abcdef0');
      if (/SecurityGroup/.test(name)) return ec2('security-group/sg-0123456789abcdef0');
      if (/Route/.test(name)) return ec2('route-table/rtb-0123456789abcdef0');
      if (/Instance/.test(name)) return ec2('instance/i-0123456789abcdef0');
      return ec2('network-interface/eni-0123456789abcdef0');
    }
    if (service === 'eks' || service === 'eks-auth')
      return `arn:aws:eks:${region}:${account}:cluster/slipway-dev`;
    if (service === 'ecr') return `arn:aws:ecr:${region}:${account}:repository/slipway-dev/api`;
    if (service === 'autoscaling')
      return `arn:aws:autoscaling:${region}:${account}:autoScalingGroup:0123abcd-0123-4567-89ab-0123456789ab:autoScalingGroupName/eks-nodes`;
    if (service === 'elasticloadbalancing' && /Target/.test(name))
      return `arn:aws:elasticloadbalancing:${region}:${account}:targetgroup/k8s-web/0123456789abcdef`;
    if (service === 'elasticloadbalancing')
      return `arn:aws:elasticloadbalancing:${region}:${account}:loadbalancer/app/k8s-web/0123456789abcdef`;
    if (service === 'iam')
      return roleArn(
        'aws-service-role/elasticloadbalancing.amazonaws.com/AWSServiceRoleForElasticLoadBalancing',
      );
    return `arn:aws:kms:${region}:${account}:key/1234abcd-12ab-34cd-56ef-1234567890ab`;
  };

  it.each(Object.keys(managedPolicies))(
    "a role holding %s within dev's boundary may do all of it in dev, on what EKS tags, and nothing on prod's",
    async (policyName) => {
      const role: Identity = {
        policy: {
          Version: '2012-10-17',
          Statement: [{ Effect: 'Allow', Action: managedPolicies[policyName], Resource: '*' }],
        },
        boundary: boundaries.get(policyArn('slipway-boundary-dev')),
      };
      const eksTags = {
        'aws:RequestTag/eks:eks-cluster-name': 'slipway-dev',
        'aws:TagKeys': ['eks:eks-cluster-name'],
      };
      const verdicts = await Promise.all(
        (managedPolicies[policyName] ?? []).map(async (action) => [
          action,
          await evaluate(role, action, resourceOf(action), eksTags),
        ]),
      );
      expect(verdicts).toEqual((managedPolicies[policyName] ?? []).map((action) => [action, 'Allowed']));
      // The fence still holds: the same role reaches no prod-tagged resource.
      const tagged = (managedPolicies[policyName] ?? []).filter((action) => resourceOf(action) !== '*');
      for (const action of tagged)
        expect([
          action,
          await evaluate(role, action, resourceOf(action).replace(/slipway-dev/g, 'slipway-prod'), {
            'aws:ResourceTag/stack': 'prod',
          }),
        ]).toEqual([action, 'ExplicitlyDenied']);
    },
  );
});

describe("a gated stack's images: written only by its own apps role, promoting them from its promoteFrom's", () => {
  const repository = (stack: string) => `arn:aws:ecr:${region}:${account}:repository/slipway-${stack}/api`;
  const pushes = [
    'ecr:InitiateLayerUpload',
    'ecr:UploadLayerPart',
    'ecr:CompleteLayerUpload',
    'ecr:PutImage',
  ];
  const pulls = ['ecr:BatchGetImage', 'ecr:GetDownloadUrlForLayer'];
  const decisions = async (role: string, actions: string[], stack: string) =>
    Promise.all(
      actions.map(async (action) => [
        action,
        await evaluate(as(role), action, repository(stack), tagged(stack)),
      ]),
    );
  const all = (actions: string[], verdict: unknown) => actions.map((action) => [action, verdict]);

  it("the branch-trusted publish role pushes into dev's and staging's repositories, and cannot touch prod's", async () => {
    for (const stack of ['dev', 'staging'])
      expect(await decisions('slipway-publish', pushes, stack)).toEqual(all(pushes, 'Allowed'));
    expect(await decisions('slipway-publish', [...pushes, ...pulls], 'prod')).toEqual(
      all([...pushes, ...pulls], expect.not.stringMatching(/^Allowed$/)),
    );
  });

  it("prod's apps role (its deploy job, after approval) reads staging's images and writes only its own", async () => {
    expect(await decisions('slipway-deploy-prod', [...pushes, ...pulls], 'prod')).toEqual(
      all([...pushes, ...pulls], 'Allowed'),
    );
    expect(await decisions('slipway-deploy-prod', pulls, 'staging')).toEqual(all(pulls, 'Allowed'));
    const stagingWrites = [...pushes, 'ecr:BatchDeleteImage', 'ecr:PutLifecyclePolicy'];
    expect(await decisions('slipway-deploy-prod', stagingWrites, 'staging')).toEqual(
      all(stagingWrites, expect.not.stringMatching(/^Allowed$/)),
    );
    // Only its promotion source: dev's images stay out of reach.
    expect(await decisions('slipway-deploy-prod', pulls, 'dev')).toEqual(
      all(pulls, expect.not.stringMatching(/^Allowed$/)),
    );
  });

  it("an ungated stack's apps role reads its own images (to verify them) and writes none", async () => {
    for (const stack of ['dev', 'staging']) {
      expect(await decisions(`slipway-deploy-${stack}`, pulls, stack)).toEqual(all(pulls, 'Allowed'));
      expect(await decisions(`slipway-deploy-${stack}`, pushes, stack)).toEqual(
        all(pushes, expect.not.stringMatching(/^Allowed$/)),
      );
      expect(await decisions(`slipway-deploy-${stack}`, [...pushes, ...pulls], 'prod')).toEqual(
        all([...pushes, ...pulls], expect.not.stringMatching(/^Allowed$/)),
      );
    }
  });
});
