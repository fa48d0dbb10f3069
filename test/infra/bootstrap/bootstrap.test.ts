import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { loadPipeline } from '../../../action/src/pipeline/load';
import { ConfigError } from '../../../infra/config/errors';
import { loadSettings } from '../../../infra/settings/load';
import { bootstrapProgram } from '../../../infra/bootstrap/program';
import { offlineAccountId } from '../../../offline/cloud';
import { runOffline, type OfflineRun } from '../../../offline/engine';
import { readStackFiles } from '../../../offline/stack-files';
import { loadBootstrapConfig, previewEnvironmentsOf } from '../../../infra/bootstrap/config';
import type { PolicyDocument, PolicyStatement } from '../../../infra/bootstrap/policy-document';
import { decide } from '../../support/iam';
import { jsonInput, named, ofType } from '../../support/resources';

const projectDir = join(__dirname, '..', '..', '..', 'infra', 'bootstrap');
const providerArn = `arn:aws:iam::${offlineAccountId}:oidc-provider/token.actions.githubusercontent.com`;
const bucket = `slipway-pulumi-state-${offlineAccountId}-eu-west-1`;
const bucketArn = `arn:aws:s3:::${bucket}`;

const role = (run: OfflineRun, roleName: string) =>
  run.resources.find((r) => r.type === 'aws:iam/role:Role' && r.inputs.name === roleName) ??
  fail(`no role ${roleName}`);
const trustOf = (run: OfflineRun, roleName: string) =>
  jsonInput(role(run, roleName), 'assumeRolePolicy') as unknown as PolicyDocument;
const permissionsOf = (run: OfflineRun, logicalName: string) =>
  jsonInput(
    named(run, 'aws:iam/rolePolicy:RolePolicy', `${logicalName}-policy`),
    'policy',
  ) as unknown as PolicyDocument;
const asList = (value: string | string[] | undefined) => (value === undefined ? [] : [value].flat());
const allows = (doc: PolicyDocument) => doc.Statement.filter((s) => s.Effect === 'Allow');
const statement = (doc: PolicyDocument, sid: string): PolicyStatement =>
  doc.Statement.find((s) => s.Sid === sid) ?? fail(`no statement ${sid}`);

function fail(message: string): never {
  throw new Error(message);
}

describe('the bootstrap (sample stack, offline)', () => {
  let run: OfflineRun;
  beforeAll(async () => {
    run = await runOffline({ projectDir, stack: 'sample', program: bootstrapProgram });
  });

  it('trusts GitHub Actions tokens for sts.amazonaws.com with no pinned thumbprint', () => {
    const [provider, ...others] = ofType(run, 'aws:iam/openIdConnectProvider:OpenIdConnectProvider');
    expect(others).toEqual([]);
    expect(provider?.inputs).toMatchObject({
      url: 'https://token.actions.githubusercontent.com',
      clientIdLists: ['sts.amazonaws.com'],
    });
    expect(provider?.inputs).not.toHaveProperty('thumbprintLists');
  });

  it.each([
    ['deploy', 'dev', 'dev'],
    ['deploy', 'prod', 'prod'],
    ['platform', 'dev', 'platform-dev'],
    ['platform', 'prod', 'platform-prod'],
  ])(
    'lets only jobs in the GitHub environment of its lifecycle assume the %s role of %s (%s)',
    (kind, env, githubEnvironment) => {
      expect(trustOf(run, `slipway-${kind}-${env}`).Statement).toEqual([
        {
          Sid: 'GitHubActionsExactSubject',
          Effect: 'Allow',
          Principal: { Federated: providerArn },
          Action: 'sts:AssumeRoleWithWebIdentity',
          Condition: {
            StringEquals: {
              'token.actions.githubusercontent.com:aud': 'sts.amazonaws.com',
              'token.actions.githubusercontent.com:sub': `repo:acme/slipway:environment:${githubEnvironment}`,
            },
          },
        },
      ]);
    },
  );

  it('trusts pull requests for the preview role, and exactly the jobs of their own GitHub environments for read and publish', () => {
    const conditionOf = (roleName: string) => trustOf(run, roleName).Statement[0]?.Condition;
    const exactly = (sub: string) => ({
      StringEquals: {
        'token.actions.githubusercontent.com:aud': 'sts.amazonaws.com',
        'token.actions.githubusercontent.com:sub': sub,
      },
    });
    expect(conditionOf('slipway-preview')).toEqual(exactly('repo:acme/slipway:pull_request'));
    // No branch, and so no glob: a new branch name (release-x) grants nothing; the environments' deployment
    // branch policies, which the bootstrap sets, say which pushes may run jobs there.
    expect(conditionOf('slipway-read')).toEqual(exactly('repo:acme/slipway:environment:slipway-read'));
    expect(conditionOf('slipway-publish')).toEqual(exactly('repo:acme/slipway:environment:slipway-publish'));
  });

  it('lets no role trust a glob or a branch', () => {
    for (const roleName of ofType(run, 'aws:iam/role:Role').map((r) => String(r.inputs.name))) {
      const trust = JSON.stringify(trustOf(run, roleName));
      expect({
        roleName,
        like: trust.includes('StringLike'),
        glob: trust.includes('*'),
        ref: trust.includes(':ref:'),
      }).toEqual({ roleName, like: false, glob: false, ref: false });
    }
  });

  it('creates exactly the pipeline roles, each with one inline policy', () => {
    expect(
      ofType(run, 'aws:iam/role:Role')
        .map((r) => String(r.inputs.name))
        .sort(),
    ).toEqual([
      'slipway-deploy-dev',
      'slipway-deploy-prod',
      'slipway-deploy-staging',
      'slipway-platform-dev',
      'slipway-platform-prod',
      'slipway-platform-staging',
      'slipway-preview',
      'slipway-publish',
      'slipway-read',
    ]);
    expect(ofType(run, 'aws:iam/rolePolicy:RolePolicy')).toHaveLength(9);
    expect(ofType(run, 'aws:iam/rolePolicyAttachment:RolePolicyAttachment')).toEqual([]);
  });

  it.each(['preview', 'read'])(
    'keeps the %s role read-only: reads, lock files and decryption only',
    (name) => {
      const doc = permissionsOf(run, name);
      const readVerb = /^[a-z0-9-]+:(Describe|Get|List|BatchGet)/;
      for (const s of allows(doc)) {
        const writes = asList(s.Action).filter((action) => !readVerb.test(action));
        if (s.Sid === 'StackLocks' || s.Sid === 'BootstrapLock') {
          // The read role also takes the bootstrap's lock when drift.yml checks it.
          const locks = new RegExp(`^${bucketArn}/\\.pulumi/locks/\\*/slipway(-apps|-bootstrap)?/`);
          expect(asList(s.Resource).every((r) => locks.test(r))).toBe(true);
        } else if (s.Sid === 'StateKeyThroughS3') {
          expect(writes).toEqual(['kms:Decrypt', 'kms:GenerateDataKey']);
          expect(s.Condition).toEqual({ StringLike: { 'kms:ViaService': 's3.*.amazonaws.com' } });
        } else if (s.Sid === 'DecryptStackSecrets') {
          expect(writes).toEqual(['kms:Decrypt']);
        } else {
          expect({ sid: s.Sid, writes }).toEqual({ sid: s.Sid, writes: [] });
        }
      }
      const allowed = allows(doc).flatMap((s) => asList(s.Action));
      expect(
        allowed.some((a) => a.startsWith('secretsmanager:Get') && a !== 'secretsmanager:GetResourcePolicy'),
      ).toBe(false);
      expect(statement(doc, 'NeverSecretValues')).toMatchObject({
        Effect: 'Deny',
        Action: expect.arrayContaining(['secretsmanager:GetSecretValue']),
      });
    },
  );

  it('lets the preview role open only the stacks a pull request may preview: dev and staging, not prod', () => {
    const doc = permissionsOf(run, 'preview');
    const stacks = (env: string, project = 'slipway') => [
      `${bucketArn}/.pulumi/stacks/${project}/${env}.json*`,
      `${bucketArn}/.pulumi/history/${project}/${env}/*`,
      `${bucketArn}/.pulumi/backups/${project}/${env}/*`,
    ];
    // Both projects' stacks: a pull request previews the platform and the apps.
    expect(statement(doc, 'ReadStacks').Resource).toEqual([
      ...stacks('dev'),
      ...stacks('staging'),
      ...stacks('dev', 'slipway-apps'),
      ...stacks('staging', 'slipway-apps'),
    ]);
    expect(statement(doc, 'StackLocks').Resource).toEqual([
      `${bucketArn}/.pulumi/locks/*/slipway/dev/*`,
      `${bucketArn}/.pulumi/locks/*/slipway/staging/*`,
      `${bucketArn}/.pulumi/locks/*/slipway-apps/dev/*`,
      `${bucketArn}/.pulumi/locks/*/slipway-apps/staging/*`,
    ]);
    const stateResources = allows(doc)
      .filter((s) => asList(s.Action).some((a) => a.startsWith('s3:')))
      .flatMap((s) => asList(s.Resource));
    // Neither prod's objects nor a wildcard over the project's stacks.
    expect(stateResources.filter((r) => /\/slipway\/(prod|\*)/.test(r))).toEqual([]);
    expect(JSON.stringify(doc)).not.toContain('prod');
    expect(run.outputs.previewEnvironments).toEqual(['dev', 'staging']);
    // Drift checks and gated previews run on deploy branches with the read role, which opens every stack.
    expect(statement(permissionsOf(run, 'read'), 'ReadStacks').Resource).toEqual([
      ...stacks('*'),
      ...stacks('*', 'slipway-apps'),
    ]);
  });

  it('lets the read role check the bootstrap for drift from its state in the bucket, and the preview role not', async () => {
    const read = permissionsOf(run, 'read');
    const preview = permissionsOf(run, 'preview');
    const state = `${bucketArn}/.pulumi/stacks/slipway-bootstrap/sample.json`;
    const lock = `${bucketArn}/.pulumi/locks/organization/slipway-bootstrap/sample/1.json`;
    // What a refresh of the bootstrap reads back: its state, its lock, the bucket's settings, its roles and key.
    expect(await decide(read, 's3:GetObject', state)).toBe('Allowed');
    expect(await decide(read, 's3:PutObject', lock)).toBe('Allowed');
    expect(await decide(read, 's3:GetBucketPolicy', bucketArn)).toBe('Allowed');
    expect(await decide(read, 's3:GetLifecycleConfiguration', bucketArn)).toBe('Allowed');
    expect(await decide(read, 'iam:GetRole', `arn:aws:iam::${offlineAccountId}:role/slipway-read`)).toBe(
      'Allowed',
    );
    // Reading only: its state is never written, nor the bucket's settings.
    expect(await decide(read, 's3:PutObject', state)).toBe('ImplicitlyDenied');
    expect(await decide(read, 's3:PutBucketPolicy', bucketArn)).toBe('ImplicitlyDenied');
    // A pull request runs its own code with the preview role: the bootstrap's state stays out of its reach.
    expect(await decide(preview, 's3:GetObject', state)).toBe('ImplicitlyDenied');
  });

  it('scopes each platform role to its own stack state and region, and away from the bootstrap', () => {
    const doc = permissionsOf(run, 'platform-prod');
    expect(statement(doc, 'WriteOwnStack').Resource).toEqual([
      `${bucketArn}/.pulumi/stacks/slipway/prod.json*`,
      `${bucketArn}/.pulumi/history/slipway/prod/*`,
      `${bucketArn}/.pulumi/backups/slipway/prod/*`,
    ]);
    expect(statement(doc, 'ManagePlatformInRegion').Condition).toEqual({
      StringEquals: { 'aws:RequestedRegion': 'eu-west-1' },
    });
    // Nothing of prod is allowed to dev's platform role (prod's state is named only to be denied).
    expect(JSON.stringify(allows(permissionsOf(run, 'platform-dev')))).not.toContain('/prod');
    const iamAllowed = asList(statement(doc, 'ManagePlatformIam').Action);
    expect(iamAllowed.filter((a) => /User|AccessKey|LoginProfile/.test(a))).toEqual([]);
    expect(statement(doc, 'NeverTheBootstrapIam')).toMatchObject({
      Effect: 'Deny',
      Action: 'iam:*',
      Resource: expect.arrayContaining([
        `arn:aws:iam::${offlineAccountId}:role/slipway-deploy-prod`,
        `arn:aws:iam::${offlineAccountId}:role/slipway-platform-prod`,
        `arn:aws:iam::${offlineAccountId}:role/slipway-preview`,
        providerArn,
      ]),
    });
    const keys = ofType(run, 'aws:kms/key:Key').map(
      (k) => `arn:aws:kms:eu-west-1:${offlineAccountId}:key/${k.id}`,
    );
    expect(statement(doc, 'NeverTheBootstrapKeys')).toMatchObject({ Effect: 'Deny', Resource: keys });
  });

  it('keeps the apps role of each environment off the platform: no EC2/VPC, EKS cluster or node group, RDS or KMS key write', async () => {
    const doc = permissionsOf(run, 'deploy-prod');
    const arn = (service: string, resource: string) =>
      `arn:aws:${service}:eu-west-1:${offlineAccountId}:${resource}`;
    const platformWrites: [string, string][] = [
      ['ec2:CreateVpc', arn('ec2', 'vpc/*')],
      ['ec2:DeleteSubnet', arn('ec2', 'subnet/subnet-0a1b2c3d')],
      ['ec2:AuthorizeSecurityGroupIngress', arn('ec2', 'security-group/sg-0a1b2c3d')],
      ['ec2:CreateRoute', arn('ec2', 'route-table/rtb-0a1b2c3d')],
      ['eks:UpdateClusterConfig', arn('eks', 'cluster/slipway-prod')],
      ['eks:DeleteCluster', arn('eks', 'cluster/slipway-prod')],
      ['eks:UpdateNodegroupConfig', arn('eks', 'nodegroup/slipway-prod/general/0a1b2c3d')],
      ['eks:CreateAccessEntry', arn('eks', 'cluster/slipway-prod')],
      ['rds:ModifyDBInstance', arn('rds', 'db:slipway-prod')],
      ['rds:DeleteDBInstance', arn('rds', 'db:slipway-prod')],
      ['wafv2:DeleteWebACL', arn('wafv2', 'regional/webacl/slipway-prod/0a1b2c3d')],
      ['s3:DeleteBucket', `arn:aws:s3:::slipway-prod-alb-logs-${offlineAccountId}`],
      ['kms:ScheduleKeyDeletion', arn('kms', 'key/0a1b2c3d-0000-0000-0000-000000000000')],
      ['kms:PutKeyPolicy', arn('kms', 'key/0a1b2c3d-0000-0000-0000-000000000000')],
      ['ecr:DeleteRepository', arn('ecr', 'repository/slipway-prod/api')],
      ['iam:PutRolePolicy', `arn:aws:iam::${offlineAccountId}:role/slipway-prod-load-balancer-controller`],
      ['s3:PutObject', `${bucketArn}/.pulumi/stacks/slipway/prod.json`],
    ];
    for (const [action, resource] of platformWrites)
      expect({
        action,
        decision: await decide(doc, action, resource, { 'aws:RequestedRegion': 'eu-west-1' }),
      }).toEqual({
        action,
        decision: expect.stringMatching(/Denied$/),
      });
    // No allowed write action on those services at all, whatever the resource. Decrypting with the state and
    // secrets keys (opening its own stack) uses a key; it changes none.
    // Its one ECR write is the promotion into its own stack's repositories (prod is gated: nothing else
    // writes them; test/infra/bootstrap/isolation.test.ts evaluates it).
    expect(statement(doc, 'PromoteIntoOwnImages').Resource).toBe(arn('ecr', 'repository/slipway-prod/*'));
    const writes = allows(doc)
      .filter((s) => s.Sid !== 'PromoteIntoOwnImages')
      .flatMap((s) => asList(s.Action))
      .filter(
        (a) =>
          /^(ec2|eks|rds|kms|elasticache|mq|ecr|wafv2):/.test(a) &&
          !/:(Describe|List|Get|BatchGet|BatchCheck)/.test(a),
      )
      .filter((a) => !['kms:Decrypt', 'kms:GenerateDataKey'].includes(a));
    expect(writes).toEqual([]);
    // What it needs: its own apps stack, the platform's outputs, the cluster endpoint, its services' roles.
    const allowed: [string, string][] = [
      ['s3:PutObject', `${bucketArn}/.pulumi/stacks/slipway-apps/prod.json`],
      ['s3:GetObject', `${bucketArn}/.pulumi/stacks/slipway/prod.json`],
      ['eks:DescribeCluster', arn('eks', 'cluster/slipway-prod')],
      ['iam:PutRolePolicy', `arn:aws:iam::${offlineAccountId}:role/slipway-prod-app-worker`],
      ['iam:CreateRole', `arn:aws:iam::${offlineAccountId}:role/slipway-prod-app-worker`],
    ];
    // Its service roles carry the services' boundary (the request names it, or the role has it).
    const servicesBoundary = {
      'iam:PermissionsBoundary': `arn:aws:iam::${offlineAccountId}:policy/slipway-services-boundary-prod`,
    };
    for (const [action, resource] of allowed)
      expect({ action, decision: await decide(doc, action, resource, servicesBoundary) }).toEqual({
        action,
        decision: 'Allowed',
      });
    // Another environment's apps stack and service roles are out of reach.
    expect(await decide(doc, 's3:PutObject', `${bucketArn}/.pulumi/stacks/slipway-apps/dev.json`)).not.toBe(
      'Allowed',
    );
    expect(
      await decide(doc, 'iam:CreateRole', `arn:aws:iam::${offlineAccountId}:role/slipway-dev-app-worker`),
    ).not.toBe('Allowed');
    // The platform role of the same environment can do what the apps role cannot (KMS keys aside: the
    // simulator, like AWS, also wants a key policy, which the platform's keys hand to the account's IAM).
    const platform = permissionsOf(run, 'platform-prod');
    for (const [action, resource] of platformWrites.filter(
      ([a, r]) => /^(ec2|eks|rds|wafv2):/.test(a) || r.includes('alb-logs'),
    ))
      expect({
        action,
        // Tagged as its stack, as every create of the platform is (tag on create).
        decision: await decide(platform, action, resource, {
          'aws:RequestedRegion': 'eu-west-1',
          'aws:RequestTag/stack': 'prod',
        }),
      }).toEqual({
        action,
        decision: 'Allowed',
      });
  });

  it("lets the publish role push only to the ungated stacks' repositories", () => {
    const push = statement(permissionsOf(run, 'publish'), 'PushUngatedStacksImages');
    // The platform's repositories are slipway-<stack>/<service> (infra/registry.ts); prod's are promoted into
    // by prod's own deploy job.
    expect(push.Resource).toEqual(
      ['dev', 'staging'].map(
        (stack) => `arn:aws:ecr:eu-west-1:${offlineAccountId}:repository/slipway-${stack}/*`,
      ),
    );
    expect(asList(push.Action)).toContain('ecr:PutImage');
  });

  it('keeps state in a versioned, KMS-encrypted, private, TLS-only bucket that expires old versions', () => {
    const stateBucket = named(run, 'aws:s3/bucket:Bucket', 'state-bucket');
    expect(stateBucket.inputs.bucket).toBe(bucket);
    const forBucket = (type: string) => ofType(run, type).filter((r) => r.inputs.bucket === bucket);
    expect(forBucket('aws:s3/bucketVersioning:BucketVersioning')[0]?.inputs.versioningConfiguration).toEqual({
      status: 'Enabled',
    });
    const stateKey = named(run, 'aws:kms/key:Key', 'state-key');
    expect(stateKey.inputs.enableKeyRotation).toBe(true);
    expect(
      forBucket('aws:s3/bucketServerSideEncryptionConfiguration:BucketServerSideEncryptionConfiguration')[0]
        ?.inputs.rules,
    ).toEqual([
      {
        applyServerSideEncryptionByDefault: {
          sseAlgorithm: 'aws:kms',
          kmsMasterKeyId: `arn:aws:kms:eu-west-1:${offlineAccountId}:key/${stateKey.id}`,
        },
        bucketKeyEnabled: true,
      },
    ]);
    expect(forBucket('aws:s3/bucketPublicAccessBlock:BucketPublicAccessBlock')[0]?.inputs).toMatchObject({
      blockPublicAcls: true,
      blockPublicPolicy: true,
      ignorePublicAcls: true,
      restrictPublicBuckets: true,
    });
    const tls = jsonInput(
      forBucket('aws:s3/bucketPolicy:BucketPolicy')[0] ?? fail('no bucket policy'),
      'policy',
    );
    expect(tls.Statement).toEqual([
      {
        Sid: 'DenyWithoutTls',
        Effect: 'Deny',
        Principal: { AWS: '*' },
        Action: 's3:*',
        Resource: [bucketArn, `${bucketArn}/*`],
        Condition: { Bool: { 'aws:SecureTransport': 'false' } },
      },
    ]);
    const [rule] = (forBucket('aws:s3/bucketLifecycleConfiguration:BucketLifecycleConfiguration')[0]?.inputs
      .rules ?? []) as Record<string, unknown>[];
    expect(rule).toMatchObject({ status: 'Enabled', noncurrentVersionExpiration: { noncurrentDays: 90 } });
  });

  it("exports the backend URL and each environment's own awskms:// secrets provider", () => {
    expect(run.outputs.backendUrl).toBe(`s3://${bucket}?region=eu-west-1`);
    expect(run.outputs.secretsProviders).toEqual({
      dev: 'awskms://alias/slipway-dev-pulumi-secrets?region=eu-west-1',
      staging: 'awskms://alias/slipway-staging-pulumi-secrets?region=eu-west-1',
      prod: 'awskms://alias/slipway-prod-pulumi-secrets?region=eu-west-1',
    });
    for (const env of ['dev', 'staging', 'prod'])
      expect(named(run, 'aws:kms/key:Key', `secrets-${env}-key`).inputs.enableKeyRotation).toBe(true);
    for (const [output, kind] of [
      ['deployRoleArns', 'deploy'],
      ['platformRoleArns', 'platform'],
    ] as const)
      expect(run.outputs[output]).toEqual({
        dev: `arn:aws:iam::${offlineAccountId}:role/slipway-${kind}-dev`,
        staging: `arn:aws:iam::${offlineAccountId}:role/slipway-${kind}-staging`,
        prod: `arn:aws:iam::${offlineAccountId}:role/slipway-${kind}-prod`,
      });
  });
});

describe('the bootstrap config: its stack file, slipway.yaml and pipeline.yaml', () => {
  const sample = readStackFiles(projectDir, 'sample').config;
  const root = join(projectDir, '..', '..');
  const settingsText = readFileSync(join(root, 'slipway.yaml'), 'utf8');
  const pipelineText = readFileSync(join(root, 'pipeline.yaml'), 'utf8');
  const sourcesOf = (settingsYaml = settingsText, pipelineYaml = pipelineText) => {
    const settings = loadSettings(settingsYaml);
    return { settings, pipeline: loadPipeline(pipelineYaml, 'pipeline.yaml', settings) };
  };
  const problemsOf = (values: Record<string, string>, sources = sourcesOf()) => {
    try {
      loadBootstrapConfig('sample', values, sources);
    } catch (error) {
      if (error instanceof ConfigError) return error.problems;
      throw error;
    }
    throw new Error('the config loaded, but problems were expected');
  };

  it('refuses in its stack file what slipway.yaml and pipeline.yaml now say, naming where it lives', () => {
    const values = {
      ...sample,
      'aws:region': 'us-east-1',
      'slipway-bootstrap:repository': JSON.stringify('someone/else'),
      'slipway-bootstrap:environments': JSON.stringify({ dev: { region: 'eu-west-1' } }),
      'slipway-bootstrap:reviewers': '[]',
      'slipway-bootstrap:noncurrentVersionDays': '0',
    };
    expect(problemsOf(values)).toEqual([
      'Pulumi.sample.yaml: slipway-bootstrap:repository: set in slipway.yaml (github.repository), not here',
      'Pulumi.sample.yaml: slipway-bootstrap:environments: set in pipeline.yaml (environments) and slipway.yaml (environments), not here',
      'Pulumi.sample.yaml: slipway-bootstrap:reviewers: unknown key',
      'Pulumi.sample.yaml: aws:region: us-east-1 differs from slipway.yaml aws.region eu-west-1',
      'Pulumi.sample.yaml: slipway-bootstrap:noncurrentVersionDays: Too small: expected number to be >=1',
    ]);
  });

  it('names a gated environment without reviewers and an environment slipway.yaml lacks, and takes another account', () => {
    const settingsYaml = settingsText
      .replace(/ {4}reviewers:\n {6}users: \[[^\]]*\]\n {6}teams: \[[^\]]*\]\n/, '')
      .replace(/ {2}staging:\n( {4}.*\n)+/, '')
      .replace('  dev:\n', "  dev:\n    account: '210987654321'\n");
    const settings = loadSettings(settingsYaml);
    const pipeline = loadPipeline(
      pipelineText.replace(
        'stack: staging\n',
        'stack: staging\n    region: eu-west-1\n    role: arn:aws:iam::210987654321:role/x\n    platformRole: arn:aws:iam::210987654321:role/y\n',
      ),
      'pipeline.yaml',
      settings,
    );
    expect(problemsOf(sample, { settings, pipeline })).toEqual([
      'slipway.yaml: environments.staging: missing (pipeline.yaml deploys the stack staging: staging)',
      'slipway.yaml: environments.prod.reviewers: required, pipeline.yaml gates prod with approval',
    ]);
  });

  it('names the reviewers a stack lacks when only its second environment is gated, and keys the stack once', () => {
    const sharing = pipelineText
      .replace('approval: true', 'approval: false')
      .replace(
        '\n# First matching rule wins.',
        '  prod-hotfix:\n    stack: prod\n    approval: true\n    promoteFrom: staging\n\n# First matching rule wins.',
      )
      .replace('branch: hotfix/*\n    deploy: [prod]', 'branch: hotfix/*\n    deploy: [prod-hotfix]');
    const unreviewed = settingsText.replace(
      / {4}reviewers:\n {6}users: \[[^\]]*\]\n {6}teams: \[[^\]]*\]\n/,
      '',
    );
    expect(problemsOf(sample, sourcesOf(unreviewed, sharing))).toEqual([
      'slipway.yaml: environments.prod.reviewers: required, pipeline.yaml gates prod-hotfix with approval',
    ]);
    expect(loadBootstrapConfig('sample', sample, sourcesOf(settingsText, sharing))).toMatchObject({
      stacks: { prod: { approval: true, environments: ['prod', 'prod-hotfix'] } },
      github: {
        prod: { deployBranches: ['release-*'] },
        'prod-hotfix': { deployBranches: ['hotfix/*'], reviewers: { users: ['acme-release-manager'] } },
      },
    });
  });

  it('names an unknown preview stack', () => {
    const values = { ...sample, 'slipway-bootstrap:previewEnvironments': JSON.stringify(['dev', 'qa']) };
    expect(problemsOf(values)).toEqual([
      'Pulumi.sample.yaml: slipway-bootstrap:previewEnvironments[1]: qa is not a stack pipeline.yaml deploys (dev, staging, prod)',
    ]);
  });

  it('previews what it is told, else every environment without approval', () => {
    expect(previewEnvironmentsOf(loadBootstrapConfig('sample', sample, sourcesOf()))).toEqual([
      'dev',
      'staging',
    ]);
    const devOnly = { ...sample, 'slipway-bootstrap:previewEnvironments': JSON.stringify(['dev']) };
    expect(previewEnvironmentsOf(loadBootstrapConfig('sample', devOnly, sourcesOf()))).toEqual(['dev']);
    const noneGated = sourcesOf(settingsText, pipelineText.replace('approval: true', 'approval: false'));
    expect(previewEnvironmentsOf(loadBootstrapConfig('sample', sample, noneGated))).toEqual([
      'dev',
      'staging',
      'prod',
    ]);
  });

  it('takes the repository from slipway.yaml and the environments, approvals and deploying branches from pipeline.yaml', () => {
    expect(loadBootstrapConfig('sample', sample, sourcesOf())).toMatchObject({
      repository: 'acme/slipway',
      project: 'slipway',
      defaultBranch: 'main',
      stacks: {
        dev: { region: 'eu-west-1', approval: false, environments: ['dev'] },
        staging: { region: 'eu-west-1', approval: false, environments: ['staging'] },
        prod: { region: 'eu-west-1', approval: true, environments: ['prod'] },
      },
      publishBranches: ['develop', 'main', 'release-*', 'hotfix/*'],
      github: {
        dev: { deployBranches: ['develop', 'main'] },
        staging: { deployBranches: ['main'] },
        prod: {
          deployBranches: ['release-*', 'hotfix/*'],
          reviewers: { users: ['acme-release-manager'], teams: ['platform'] },
        },
      },
    });
  });
});
