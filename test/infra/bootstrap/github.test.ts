import { readFileSync, rmSync } from 'node:fs';
import { join } from 'node:path';
import { parse as parseYaml } from 'yaml';
import { resolveEnvironments } from '../../../action/src/resolve/resolve';
import { githubVariables } from '../../../infra/bootstrap/github-variables';
import { bootstrapProgram } from '../../../infra/bootstrap/program';
import { readBootstrapSources } from '../../../infra/bootstrap/sources';
import { offlineGitHubId } from '../../../offline/cloud';
import { runOffline, type OfflineRun } from '../../../offline/engine';
import { bootstrapCheckout } from '../../support/bootstrap-checkout';
import { ofType } from '../../support/resources';

const repoRoot = join(__dirname, '..', '..', '..');

interface PipelineFile {
  environments: Record<string, { approval?: boolean }>;
  branches: { branch: string; deploy?: string[] }[];
}
interface SettingsFile {
  environments: Record<string, { reviewers?: { users?: string[]; teams?: string[] } }>;
}

const render = (dir: string) =>
  runOffline({ projectDir: join(dir, 'infra', 'bootstrap'), stack: 'sample', program: bootstrapProgram });

const environmentsOf = (run: OfflineRun) =>
  ofType(run, 'github:index/repositoryEnvironment:RepositoryEnvironment').map((r) => r.inputs);

/** Environment → its deployment branch patterns, as rendered. */
function branchPolicies(run: OfflineRun): Record<string, string[]> {
  const policies: Record<string, string[]> = {};
  for (const policy of ofType(
    run,
    'github:index/repositoryEnvironmentDeploymentPolicy:RepositoryEnvironmentDeploymentPolicy',
  )) {
    const environment = String(policy.inputs.environment);
    (policies[environment] ??= []).push(String(policy.inputs.branchPattern));
  }
  return policies;
}

/**
 * Environment → the branch globs whose rules deploy there, read straight from a pipeline.yaml; the platform's
 * twin of each environment (`platform-<name>`, where its platform deploys run) has the same. The publish
 * role's environment admits every branch that deploys somewhere, the read role's those and the default
 * branch (main, where drift runs).
 */
function branchRules(pipelineText: string): Record<string, string[]> {
  const pipeline = parseYaml(pipelineText) as PipelineFile;
  const deploying = pipeline.branches.filter((rule) => (rule.deploy ?? []).length > 0).map((r) => r.branch);
  return {
    ...Object.fromEntries(
      Object.keys(pipeline.environments).flatMap((env) => {
        const branches = pipeline.branches
          .filter((rule) => rule.deploy?.includes(env))
          .map((rule) => rule.branch);
        return [
          [env, branches],
          [`platform-${env}`, branches],
        ];
      }),
    ),
    'slipway-publish': deploying,
    'slipway-read': [...new Set([...deploying, 'main'])],
  };
}

/** The pipeline.yaml environment a GitHub environment serves: itself, or the one its platform twin deploys. */
const pipelineEnvironmentOf = (githubEnvironment: string) => githubEnvironment.replace(/^platform-/, '');

describe('the bootstrap sets up the GitHub side (sample, offline)', () => {
  let dir: string;
  let run: OfflineRun;
  const pipeline = parseYaml(readFileSync(join(repoRoot, 'pipeline.yaml'), 'utf8')) as PipelineFile;
  const settings = parseYaml(readFileSync(join(repoRoot, 'slipway.yaml'), 'utf8')) as SettingsFile;
  beforeAll(async () => {
    dir = bootstrapCheckout();
    run = await render(dir);
  });
  afterAll(() => rmSync(dir, { recursive: true, force: true }));

  it("creates two GitHub environments per pipeline.yaml environment, the apps' named exactly so and the platform's, and the publish and read roles' environments", () => {
    // Sorted: a gated environment registers once its reviewers' IDs are looked up.
    const names = (list: unknown[][]) => list.map((pair) => pair.join(' ')).sort();
    expect(names(environmentsOf(run).map((e) => [e.repository, e.environment]))).toEqual(
      names([
        ...Object.keys(pipeline.environments).flatMap((env) => [
          ['slipway', env],
          ['slipway', `platform-${env}`],
        ]),
        ['slipway', 'slipway-publish'],
        ['slipway', 'slipway-read'],
      ]),
    );
    const [provider] = ofType(run, 'pulumi:providers:github');
    expect(provider?.inputs.owner).toBe('acme');
    expect(provider?.inputs).not.toHaveProperty('token');
  });

  it("puts slipway.yaml's reviewers on every gated environment, prevents self-review, and lets no admin bypass", () => {
    for (const environment of environmentsOf(run)) {
      const name = pipelineEnvironmentOf(String(environment.environment));
      expect(environment.canAdminsBypass).toBe(false);
      if (!pipeline.environments[name]?.approval) {
        expect({ name, reviewers: environment.reviewers }).toEqual({ name, reviewers: undefined });
        continue;
      }
      const wanted = settings.environments[name]?.reviewers;
      expect(wanted?.users?.length ?? 0).toBeGreaterThan(0);
      expect(environment.reviewers).toEqual([
        {
          users: (wanted?.users ?? []).map((login) => offlineGitHubId('user', login)),
          teams: (wanted?.teams ?? []).map((slug) => offlineGitHubId('team', slug)),
        },
      ]);
      expect(environment.preventSelfReview).toBe(true);
    }
  });

  it('lets only the branches of the branch rules deploy to each environment', () => {
    for (const environment of environmentsOf(run))
      expect(environment.deploymentBranchPolicy).toEqual({
        protectedBranches: false,
        customBranchPolicies: true,
      });
    expect(branchPolicies(run)).toEqual(branchRules(readFileSync(join(repoRoot, 'pipeline.yaml'), 'utf8')));
  });

  it("writes the variables the workflows read, from the bootstrap's own outputs", () => {
    const variables = Object.fromEntries(
      ofType(run, 'github:index/actionsVariable:ActionsVariable').map((v) => [
        v.inputs.variableName,
        v.inputs.value,
      ]),
    );
    expect(Object.keys(variables).sort()).toEqual(Object.keys(githubVariables).sort());
    expect(variables).toMatchObject({
      SLIPWAY_AWS_ACCOUNT_ID: '123456789012',
      SLIPWAY_AWS_REGION: 'eu-west-1',
      SLIPWAY_BACKEND_URL: run.outputs.backendUrl,
      SLIPWAY_PUBLISH_ROLE: run.outputs.publishRoleArn,
      SLIPWAY_READ_ROLE: run.outputs.readRoleArn,
      SLIPWAY_PREVIEW_ROLE: run.outputs.previewRoleArn,
    });
  });

  it("gives each environment's apps and platform jobs that environment's own secrets provider and its account's state", () => {
    const byEnvironment = ofType(
      run,
      'github:index/actionsEnvironmentVariable:ActionsEnvironmentVariable',
    ).map((v) => [v.inputs.environment, v.inputs.variableName, v.inputs.value]);
    const providers = run.outputs.secretsProviders as Record<string, string>;
    const backend = run.outputs.backendUrl;
    expect(backend).toBe('s3://slipway-pulumi-state-123456789012-eu-west-1?region=eu-west-1');
    expect(byEnvironment).toEqual(
      Object.keys(pipeline.environments).flatMap((env) => [
        [env, 'SLIPWAY_SECRETS_PROVIDER', providers[env]],
        [env, 'SLIPWAY_BACKEND_URL', backend],
        [`platform-${env}`, 'SLIPWAY_SECRETS_PROVIDER', providers[env]],
        [`platform-${env}`, 'SLIPWAY_BACKEND_URL', backend],
      ]),
    );
    expect(providers.prod).toBe('awskms://alias/slipway-prod-pulumi-secrets?region=eu-west-1');
  });

  it('protects every branch that deploys: reviewed pull requests only, no force-push, no deletion', () => {
    const rulesets = ofType(run, 'github:index/repositoryRuleset:RepositoryRuleset');
    expect(rulesets).toHaveLength(1);
    expect(rulesets[0]?.inputs).toMatchObject({
      repository: 'slipway',
      target: 'branch',
      enforcement: 'active',
      conditions: {
        refName: {
          includes: ['refs/heads/develop', 'refs/heads/main', 'refs/heads/release-*', 'refs/heads/hotfix/*'],
        },
      },
      rules: {
        nonFastForward: true,
        deletion: true,
        pullRequest: { requiredApprovingReviewCount: 1, requireLastPushApproval: true },
      },
    });
  });
});

describe('a branch rule changed in pipeline.yaml', () => {
  let dir: string;
  afterAll(() => rmSync(dir, { recursive: true, force: true }));

  it('moves the pipeline and the GitHub environment together', async () => {
    dir = bootstrapCheckout({
      pipeline: (text) => text.replace('- branch: release-*', '- branch: release/*'),
    });
    const run = await render(dir);
    const { pipeline } = readBootstrapSources(dir);
    const push = (branch: string) =>
      resolveEnvironments(pipeline, { eventName: 'push', ref: `refs/heads/${branch}` }).environments;
    expect(push('release/2.4')).toEqual(['prod']);
    expect(push('release-2.4')).toEqual([]);
    expect(branchPolicies(run).prod).toEqual(['release/*', 'hotfix/*']);
    expect(branchPolicies(run)).toEqual(branchRules(readFileSync(join(dir, 'pipeline.yaml'), 'utf8')));
  });
});

describe('two GitHub environments deploying one stack (seed 004: release-* on merge, hotfix/* behind approval)', () => {
  let dir: string;
  let run: OfflineRun;
  beforeAll(async () => {
    dir = bootstrapCheckout({
      pipeline: (text) =>
        text
          .replace('approval: true', 'approval: false')
          .replace(
            '\n# First matching rule wins.',
            '  prod-hotfix:\n    stack: prod\n    approval: true\n    promoteFrom: staging\n\n# First matching rule wins.',
          )
          .replace(
            'deploy: [prod]\n  - branch: hotfix/*\n    deploy: [prod]',
            'deploy: [prod]\n  - branch: hotfix/*\n    deploy: [prod-hotfix]',
          ),
    });
    run = await render(dir);
  });
  afterAll(() => rmSync(dir, { recursive: true, force: true }));

  const subjectsOf = (roleName: string) => {
    const role = ofType(run, 'aws:iam/role:Role').find((r) => r.inputs.name === roleName);
    const trust = JSON.parse(String(role?.inputs.assumeRolePolicy)) as {
      Statement: { Condition: { StringEquals: Record<string, unknown> } }[];
    };
    return trust.Statement.map((s) => s.Condition.StringEquals['token.actions.githubusercontent.com:sub']);
  };

  it("lets exactly both environments' jobs assume the prod stack's roles, and makes no role for the second", () => {
    expect(subjectsOf('slipway-deploy-prod')).toEqual([
      ['repo:acme/slipway:environment:prod', 'repo:acme/slipway:environment:prod-hotfix'],
    ]);
    expect(subjectsOf('slipway-platform-prod')).toEqual([
      ['repo:acme/slipway:environment:platform-prod', 'repo:acme/slipway:environment:platform-prod-hotfix'],
    ]);
    // Stacks deployed by one environment keep the trust (and names) they had: nothing churns.
    expect(subjectsOf('slipway-deploy-staging')).toEqual(['repo:acme/slipway:environment:staging']);
    expect(
      ofType(run, 'aws:iam/role:Role')
        .map((r) => String(r.inputs.name))
        .filter((name) => name.includes('hotfix')),
    ).toEqual([]);
    expect(Object.keys(run.outputs.secretsProviders as object)).toEqual(['dev', 'staging', 'prod']);
  });

  it('gives each environment the branches of its own rules, and reviewers only to the gated one', () => {
    const policies = branchPolicies(run);
    expect([policies.prod, policies['platform-prod']]).toEqual([['release-*'], ['release-*']]);
    expect([policies['prod-hotfix'], policies['platform-prod-hotfix']]).toEqual([['hotfix/*'], ['hotfix/*']]);
    const reviewed = environmentsOf(run)
      .filter((e) => e.reviewers !== undefined)
      .map((e) => String(e.environment))
      .sort();
    expect(reviewed).toEqual(['platform-prod-hotfix', 'prod-hotfix']);
  });

  it("hands both the prod stack's secrets provider, and keeps pull requests off the stack approval guards", () => {
    const providers = Object.fromEntries(
      ofType(run, 'github:index/actionsEnvironmentVariable:ActionsEnvironmentVariable')
        .filter((v) => v.inputs.variableName === 'SLIPWAY_SECRETS_PROVIDER')
        .map((v) => [v.inputs.environment, v.inputs.value]),
    );
    const prod = 'awskms://alias/slipway-prod-pulumi-secrets?region=eu-west-1';
    expect([providers.prod, providers['prod-hotfix'], providers['platform-prod-hotfix']]).toEqual([
      prod,
      prod,
      prod,
    ]);
    expect(run.outputs.previewEnvironments).toEqual(['dev', 'staging']);
  });
});
