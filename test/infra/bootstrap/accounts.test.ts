import { readFileSync, rmSync } from 'node:fs';
import { runSimulation } from '@cloud-copilot/iam-simulate';
import { join } from 'node:path';
import { bootstrapProgram } from '../../../infra/bootstrap/program';
import { crossAccountPolicy } from '../../../infra/registry';
import { stackDefaults } from '../../../infra/settings/derive';
import { loadSettings } from '../../../infra/settings/load';
import type { PolicyDocument, PolicyStatement } from '../../../infra/bootstrap/policy-document';
import { offlineAccountId } from '../../../offline/cloud';
import { runOffline, type OfflineRun } from '../../../offline/engine';
import { bootstrapCheckout } from '../../support/bootstrap-checkout';
import { jsonInput, named, ofType } from '../../support/resources';

/** prod's own account, as slipway.yaml places it; dev and staging stay in the home account (aws.account). */
const prodAccount = '210987654321';
const repoRoot = join(__dirname, '..', '..', '..');

/** slipway.yaml with prod in its own account. */
const prodApart = (settings: string) =>
  settings.replace('  prod:\n', `  prod:\n    account: '${prodAccount}'\n`);

const render = (dir: string, accountId: string) =>
  runOffline({
    projectDir: join(dir, 'infra', 'bootstrap'),
    stack: 'sample',
    program: bootstrapProgram,
    accountId,
  });

const roleNamesOf = (run: OfflineRun) =>
  ofType(run, 'aws:iam/role:Role')
    .map((role) => String(role.inputs.name))
    .sort();
const permissionsOf = (run: OfflineRun, logicalName: string) =>
  jsonInput(
    named(run, 'aws:iam/rolePolicy:RolePolicy', `${logicalName}-policy`),
    'policy',
  ) as unknown as PolicyDocument;
const statement = (doc: PolicyDocument, sid: string): PolicyStatement | undefined =>
  doc.Statement.find((s) => s.Sid === sid);
const githubEnvironments = (run: OfflineRun) =>
  ofType(run, 'github:index/repositoryEnvironment:RepositoryEnvironment')
    .map((r) => String(r.inputs.environment))
    .sort();
const environmentVariables = (run: OfflineRun, environment: string) =>
  Object.fromEntries(
    ofType(run, 'github:index/actionsEnvironmentVariable:ActionsEnvironmentVariable')
      .filter((r) => r.inputs.environment === environment)
      .map((r) => [String(r.inputs.variableName), r.inputs.value]),
  );

let dir: string;
let home: OfflineRun;
let prod: OfflineRun;
beforeAll(async () => {
  dir = bootstrapCheckout({ settings: prodApart });
  home = await render(dir, offlineAccountId);
  prod = await render(dir, prodAccount);
});
afterAll(() => rmSync(dir, { recursive: true, force: true }));

describe('one AWS account per environment: the bootstrap run once per account', () => {
  it("makes each stack's roles in its own account, and the publish role in the home account only", () => {
    expect(roleNamesOf(home)).toEqual([
      'slipway-deploy-dev',
      'slipway-deploy-staging',
      'slipway-platform-dev',
      'slipway-platform-staging',
      'slipway-preview',
      'slipway-publish',
      'slipway-read',
    ]);
    expect(roleNamesOf(prod)).toEqual([
      'slipway-deploy-prod',
      'slipway-platform-prod',
      'slipway-preview',
      'slipway-read',
    ]);
  });

  it("keeps each account's state, OIDC provider and secrets keys in that account", () => {
    const bucketOf = (run: OfflineRun) => ofType(run, 'aws:s3/bucket:Bucket').map((b) => b.inputs.bucket);
    expect(bucketOf(home)).toEqual([`slipway-pulumi-state-${offlineAccountId}-eu-west-1`]);
    expect(bucketOf(prod)).toEqual([`slipway-pulumi-state-${prodAccount}-eu-west-1`]);
    expect(ofType(prod, 'aws:iam/openIdConnectProvider:OpenIdConnectProvider')).toHaveLength(1);
    const aliases = (run: OfflineRun) =>
      ofType(run, 'aws:kms/alias:Alias')
        .map((a) => String(a.inputs.name))
        .filter((name) => name.endsWith('-pulumi-secrets'))
        .sort();
    expect(aliases(home)).toEqual([
      'alias/slipway-dev-pulumi-secrets',
      'alias/slipway-staging-pulumi-secrets',
    ]);
    expect(aliases(prod)).toEqual(['alias/slipway-prod-pulumi-secrets']);
    // The role that deploys prod trusts the OIDC provider of prod's account.
    const deployProd = ofType(prod, 'aws:iam/role:Role').find((r) => r.inputs.name === 'slipway-deploy-prod');
    if (!deployProd) throw new Error('no slipway-deploy-prod role');
    const trust = jsonInput(deployProd, 'assumeRolePolicy') as unknown as PolicyDocument;
    expect(trust.Statement[0]?.Principal).toEqual({
      Federated: `arn:aws:iam::${prodAccount}:oidc-provider/token.actions.githubusercontent.com`,
    });
  });

  it("lets prod's deploy job promote from staging's repositories in the home account, and publish write only dev's and staging's", () => {
    expect(statement(permissionsOf(prod, 'deploy-prod'), 'ReadPromotionSources')?.Resource).toEqual([
      `arn:aws:ecr:eu-west-1:${offlineAccountId}:repository/slipway-staging/*`,
    ]);
    expect(statement(permissionsOf(prod, 'deploy-prod'), 'PromoteIntoOwnImages')?.Resource).toBe(
      `arn:aws:ecr:eu-west-1:${prodAccount}:repository/slipway-prod/*`,
    );
    expect(statement(permissionsOf(home, 'publish'), 'PushUngatedStacksImages')?.Resource).toEqual([
      `arn:aws:ecr:eu-west-1:${offlineAccountId}:repository/slipway-dev/*`,
      `arn:aws:ecr:eu-west-1:${offlineAccountId}:repository/slipway-staging/*`,
    ]);
  });

  it("writes each account's GitHub environments with its own state bucket, and what the repository shares only from home", () => {
    expect(githubEnvironments(prod)).toEqual(['platform-prod', 'prod']);
    expect(githubEnvironments(home)).toEqual([
      'dev',
      'platform-dev',
      'platform-staging',
      'slipway-publish',
      'slipway-read',
      'staging',
    ]);
    for (const environment of ['prod', 'platform-prod'])
      expect(environmentVariables(prod, environment)).toMatchObject({
        SLIPWAY_BACKEND_URL: `s3://slipway-pulumi-state-${prodAccount}-eu-west-1?region=eu-west-1`,
      });
    expect(environmentVariables(home, 'staging')).toMatchObject({
      SLIPWAY_BACKEND_URL: `s3://slipway-pulumi-state-${offlineAccountId}-eu-west-1?region=eu-west-1`,
    });
    expect(ofType(prod, 'github:index/actionsVariable:ActionsVariable')).toEqual([]);
    expect(ofType(prod, 'github:index/repositoryRuleset:RepositoryRuleset')).toEqual([]);
    expect(ofType(home, 'github:index/actionsVariable:ActionsVariable').length).toBeGreaterThan(0);
    expect(ofType(home, 'github:index/repositoryRuleset:RepositoryRuleset')).toHaveLength(1);
    expect(prod.outputs).not.toHaveProperty('publishRoleArn');
  });

  it('refuses credentials of an account slipway.yaml does not name', async () => {
    await expect(render(dir, '999999999999')).rejects.toThrow(
      `slipway.yaml: aws.account: the bootstrap runs with credentials of account 999999999999, which neither aws.account nor any environments.<stack>.account names (${offlineAccountId}, ${prodAccount})`,
    );
  });
});

describe("images across accounts, as IAM decides it: the role's policy and boundary, and the repository's policy", () => {
  /** The registry policy the platform of `stack` puts on its repositories (derived from slipway.yaml). */
  const repositoryPolicy = (stack: string) => {
    const settings = loadSettings(prodApart(readFileSync(join(repoRoot, 'slipway.yaml'), 'utf8')));
    const grants = stackDefaults(settings, stack, 'slipway')?.sections.registry as {
      otherAccounts: Parameters<typeof crossAccountPolicy>[0];
    };
    return JSON.parse(crossAccountPolicy(grants.otherAccounts) ?? '{}') as unknown;
  };
  /** What IAM decides for `role` of `run` (its inline policy within its boundary) on another account's image. */
  async function decideAcross(
    run: OfflineRun,
    roleName: string,
    action: string,
    stack: string,
    account: string,
  ) {
    const role = ofType(run, 'aws:iam/role:Role').find((r) => r.inputs.name === roleName);
    if (!role) throw new Error(`no role ${roleName}`);
    const boundaryArn = role.inputs.permissionsBoundary as string | undefined;
    const boundary = ofType(run, 'aws:iam/policy:Policy').find((p) =>
      boundaryArn?.endsWith(`/${String(p.inputs.name)}`),
    );
    const response = await runSimulation(
      {
        request: {
          principal: `arn:aws:iam::${run === prod ? prodAccount : offlineAccountId}:role/${roleName}`,
          action,
          resource: {
            resource: `arn:aws:ecr:eu-west-1:${account}:repository/slipway-${stack}/api`,
            accountId: account,
          },
          contextVariables: { 'aws:RequestedRegion': 'eu-west-1', 'aws:ResourceTag/stack': stack },
        },
        identityPolicies: [{ name: 'inline', policy: permissionsOf(run, role.name.replace(/-role$/, '')) }],
        permissionBoundaryPolicies: boundary
          ? [{ name: 'boundary', policy: jsonInput(boundary, 'policy') }]
          : undefined,
        serviceControlPolicies: [],
        resourceControlPolicies: [],
        resourcePolicy: repositoryPolicy(stack),
      },
      {},
    );
    if (response.resultType === 'error') throw new Error(JSON.stringify(response.errors));
    return response.overallResult;
  }

  it("lets prod's apps role read staging's images in the home account, and no other stack's", async () => {
    expect(
      await decideAcross(prod, 'slipway-deploy-prod', 'ecr:BatchGetImage', 'staging', offlineAccountId),
    ).toBe('Allowed');
    expect(
      await decideAcross(prod, 'slipway-deploy-prod', 'ecr:BatchGetImage', 'dev', offlineAccountId),
    ).not.toBe('Allowed');
    expect(
      await decideAcross(prod, 'slipway-deploy-prod', 'ecr:PutImage', 'staging', offlineAccountId),
    ).not.toBe('Allowed');
  });

  it("keeps the home account's publish role out of prod's repositories though prod's policy names it", async () => {
    expect(await decideAcross(home, 'slipway-publish', 'ecr:PutImage', 'prod', prodAccount)).not.toBe(
      'Allowed',
    );
  });
});
