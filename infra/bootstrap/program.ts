import * as aws from '@pulumi/aws';
import * as pulumi from '@pulumi/pulumi';
import { isAbsolute, join } from 'node:path';
import {
  accountPlan,
  loadBootstrapConfig,
  previewEnvironmentsOf,
  stackAccounts,
  type BootstrapSources,
} from './config';
import { readBootstrapSources } from './sources';
import { withBootstrapReads } from './bootstrap-read';
import { GitHubOidc } from './github-oidc';
import { GitHubRepository } from './github-repository';
import {
  appsDeployPolicy,
  boundaryPolicy,
  platformDeployPolicy,
  publishPolicy,
  readOnlyPolicy,
  servicesBoundaryPolicy,
  stackTagKey,
  type PolicyContext,
} from './permissions';
import { policy } from './policy-document';
import { PipelineRole } from './pipeline-role';
import {
  boundaryName,
  iamArn,
  pipelineEnvironments,
  platformEnvironmentName,
  roleNames,
  servicesBoundaryName,
  stateBackendUrl,
} from './role-names';
import { SecretsKey } from './secrets-key';
import { StateBackend } from './state-backend';
import { pipelineTrusts } from './trust';

/** Names of the pipeline's roles; pipeline.yaml's `role:` ARNs end in these. */
export { roleNames };

/**
 * slipway.yaml and pipeline.yaml at the repository root, two folders above the bootstrap project (the
 * engine says where that is; this checkout when nothing does).
 */
function readSources(): BootstrapSources {
  const projectDir = pulumi.runtime.getRootDirectory();
  return readBootstrapSources(
    isAbsolute(projectDir) ? join(projectDir, '..', '..') : join(__dirname, '..', '..'),
  );
}

/**
 * The one-time setup of an AWS account for Slipway: where state and stack secrets live, and who in
 * GitHub may do what. It sets up the account its credentials are in: the stacks slipway.yaml places there,
 * and in the home account (aws.account) also what the whole repository shares. Config is validated before
 * any resource is registered.
 */
export async function bootstrapProgram(): Promise<Record<string, unknown>> {
  const layout = loadBootstrapConfig(pulumi.getStack(), pulumi.runtime.allConfig(), readSources());
  const [identity, partition] = await Promise.all([aws.getCallerIdentity({}), aws.getPartition({})]);
  const { accountId } = identity;
  // Credentials of an account slipway.yaml does not name would set up the wrong one.
  const plan = accountPlan(layout, accountId);
  const config = { ...layout, stacks: plan.stacks };
  const tags = { project: config.project, 'managed-by': pulumi.getProject() };
  const common = {
    project: config.project,
    accountId,
    partition: partition.partition,
    region: config.region,
    tags,
  };

  // Roles, boundaries, keys and tags are per stack; one stack may be deployed by several GitHub environments.
  const stacks = Object.entries(config.stacks);
  const previewStacks = previewEnvironmentsOf(layout).filter((stack) => stack in config.stacks);
  const roleArn = (name: string) => iamArn(partition.partition, accountId, `role/${name}`);
  const envTags = (stack: string) => ({ ...tags, [stackTagKey]: stack });

  const state = new StateBackend('state', { ...common, noncurrentVersionDays: config.noncurrentVersionDays });
  // One secrets key per stack (both projects' stacks of that name), usable only by the roles that open them:
  // the awskms provider wraps every stack's data key with no encryption context, so only separate keys keep
  // prod's secure values (their ciphertext is in the repository) from every non-prod identity.
  const secretsKeys = Object.fromEntries(
    stacks.map(([stack]) => [
      stack,
      new SecretsKey(`secrets-${stack}`, {
        ...common,
        environment: stack,
        users: [
          roleArn(roleNames.deploy(config.project, stack)),
          roleArn(roleNames.platform(config.project, stack)),
          // Gated previews and drift read every stack; pull requests only the stacks they may preview.
          roleArn(roleNames.read(config.project)),
          ...(previewStacks.includes(stack) ? [roleArn(roleNames.preview(config.project))] : []),
          // The platform's admins (slipway.yaml), for what people do by hand: a first deploy without the
          // workflow, moving a stack to this key.
          config.adminRoleArn,
        ],
      }),
    ]),
  );
  const oidc = new GitHubOidc('github', { tags });

  const ownRoles = [
    ...stacks.map(([stack]) => roleNames.deploy(config.project, stack)),
    ...stacks.map(([stack]) => roleNames.platform(config.project, stack)),
    roleNames.preview(config.project),
    roleNames.read(config.project),
    ...(plan.home ? [roleNames.publish(config.project)] : []),
  ];
  const keyArns = pulumi.all(
    Object.fromEntries(Object.entries(secretsKeys).map(([env, key]) => [env, key.keyArn])),
  );
  const context: pulumi.Output<PolicyContext> = pulumi
    .all([state.bucketArn, state.keyArn, keyArns, oidc.providerArn])
    .apply(([stateBucketArn, stateKeyArn, secretsKeyArns, providerArn]) => ({
      partition: partition.partition,
      accountId,
      project: config.project,
      stateBucketArn,
      stateKeyArn,
      secretsKeyArns,
      protectedIamArns: [...ownRoles.map(roleArn), providerArn],
      stackAccounts: stackAccounts(layout),
    }));
  const trusts = oidc.providerArn.apply((arn) => pipelineTrusts(config, arn));
  const trustOf = (roleName: string) => trusts.apply((all) => all[roleName] ?? policy());

  // Two roles per stack, one per lifecycle (docs/two-lifecycles.md), each trusted by its own GitHub
  // environments (those that deploy the stack, or their platform twins): a service merge deploys the apps and
  // cannot assume the role that changes the platform. Both write IAM, so both carry the stack's boundary,
  // which neither can edit or drop.
  const deployRoleArns: Record<string, pulumi.Output<string>> = {};
  const platformRoleArns: Record<string, pulumi.Output<string>> = {};
  for (const [stack, settings] of stacks) {
    const inGitHub = (names: string[]) =>
      `the GitHub environment${names.length > 1 ? 's' : ''} ${names.join(', ')}`;
    const deployers = inGitHub(settings.environments);
    const platformDeployers = inGitHub(settings.environments.map(platformEnvironmentName));
    const boundary = new aws.iam.Policy(`boundary-${stack}`, {
      name: boundaryName(config.project, stack),
      description: `The most the ${stack} platform and apps roles, and every role the platform makes, may do`,
      policy: context.apply((ctx) => JSON.stringify(boundaryPolicy(ctx, stack, settings.promoteFrom))),
      tags: envTags(stack),
    });
    new aws.iam.Policy(`services-boundary-${stack}`, {
      name: servicesBoundaryName(config.project, stack),
      description: `The most a role the ${stack} apps stack makes for a service may do`,
      policy: context.apply((ctx) => JSON.stringify(servicesBoundaryPolicy(ctx, stack))),
      tags: envTags(stack),
    });
    deployRoleArns[stack] = new PipelineRole(`deploy-${stack}`, {
      roleName: roleNames.deploy(config.project, stack),
      description: `Deploys the ${stack} apps stack; only jobs running in ${deployers} of ${config.repository}`,
      trust: trustOf(roleNames.deploy(config.project, stack)),
      permissions: context.apply((ctx) =>
        appsDeployPolicy(ctx, stack, settings.region, {
          registryRegion: config.region,
          promoteFrom: settings.promoteFrom,
        }),
      ),
      permissionsBoundary: boundary.arn,
      tags: envTags(stack),
    }).roleArn;
    platformRoleArns[stack] = new PipelineRole(`platform-${stack}`, {
      roleName: roleNames.platform(config.project, stack),
      description: `Deploys the ${stack} platform stack; only jobs running in ${platformDeployers} of ${config.repository}`,
      trust: trustOf(roleNames.platform(config.project, stack)),
      permissions: context.apply((ctx) => platformDeployPolicy(ctx, stack, settings.region)),
      permissionsBoundary: boundary.arn,
      tags: envTags(stack),
    }).roleArn;
  }
  // A pull request runs its own code under this role: only the stacks it may preview, never a gated one.
  const preview = new PipelineRole('preview', {
    roleName: roleNames.preview(config.project),
    description: `Read-only previews of ${previewStacks.join(', ') || 'no stack'} for pull requests of ${config.repository}`,
    trust: trustOf(roleNames.preview(config.project)),
    permissions: context.apply((ctx) => readOnlyPolicy(ctx, previewStacks)),
    tags,
  });
  // Gated previews before approval and scheduled drift checks read every stack: only jobs in the read
  // environment, whose deployment branches the bootstrap sets (the deploying and default branches).
  const read = new PipelineRole('read', {
    roleName: roleNames.read(config.project),
    description: `Read-only previews and drift checks; only jobs in the GitHub environment ${pipelineEnvironments.read} of ${config.repository}`,
    trust: trustOf(roleNames.read(config.project)),
    // Drift checks read the bootstrap too (drift.yml), from its state in the bucket.
    permissions: context.apply((ctx) =>
      withBootstrapReads(readOnlyPolicy(ctx, ['*']), ctx, pulumi.getProject()),
    ),
    tags,
  });
  // One publish role for the repository, in the home account: the build job pushes with it into every
  // ungated stack's repositories, in whichever account (those accounts' repositories let it in).
  const publish = plan.home
    ? new PipelineRole('publish', {
        roleName: roleNames.publish(config.project),
        description: `Pushes images; only jobs in the GitHub environment ${pipelineEnvironments.publish} of ${config.repository}`,
        trust: trustOf(roleNames.publish(config.project)),
        // Only the ungated stacks' repositories: a gated stack's deploy job promotes into its own.
        permissions: context.apply((ctx) =>
          publishPolicy(
            ctx,
            config.region,
            Object.entries(layout.stacks)
              .filter(([, settings]) => !settings.approval)
              .map(([stack]) => stack),
          ),
        ),
        tags,
      })
    : undefined;

  const backendUrl = state.bucketName.apply((bucket) => stateBackendUrl(bucket, config.region));
  // This account's GitHub environments: those that deploy its stacks, and in the home account the read and
  // publish ones too.
  const here = new Set(
    stacks.flatMap(([, settings]) =>
      settings.environments.flatMap((env) => [env, platformEnvironmentName(env)]),
    ),
  );
  const shared = new Set<string>(Object.values(pipelineEnvironments));
  // The GitHub side: environments exactly as pipeline.yaml names them, their reviewers and branch policies,
  // the variables the workflows read, and the deploying branches protected.
  new GitHubRepository('github-repository', {
    repository: config.repository,
    environments: Object.fromEntries(
      Object.entries(config.github).filter(([env]) => here.has(env) || (plan.home && shared.has(env))),
    ),
    // Each deploy job reads its stack's secrets provider and state bucket from its GitHub environment (an
    // environment variable shadows a repository one of the same name): every environment of the stack, apps'
    // and platform's alike.
    environmentVariables: Object.fromEntries(
      Object.entries(secretsKeys).flatMap(([stack, key]) => {
        const variables = { SLIPWAY_SECRETS_PROVIDER: key.secretsProvider, SLIPWAY_BACKEND_URL: backendUrl };
        return (config.stacks[stack]?.environments ?? []).flatMap((env) => [
          [env, variables],
          [platformEnvironmentName(env), variables],
        ]);
      }),
    ),
    ...(publish
      ? {
          repositoryWide: {
            variables: {
              SLIPWAY_AWS_ACCOUNT_ID: accountId,
              SLIPWAY_AWS_REGION: config.region,
              SLIPWAY_BACKEND_URL: backendUrl,
              SLIPWAY_PUBLISH_ROLE: publish.roleArn,
              SLIPWAY_READ_ROLE: read.roleArn,
              SLIPWAY_PREVIEW_ROLE: preview.roleArn,
            },
            deployBranches: config.publishBranches,
          },
        }
      : {}),
  });

  return {
    backendUrl,
    secretsProviders: Object.fromEntries(
      Object.entries(secretsKeys).map(([env, key]) => [env, key.secretsProvider]),
    ),
    stateBucket: state.bucketName,
    githubOidcProviderArn: oidc.providerArn,
    deployRoleArns,
    platformRoleArns,
    previewRoleArn: preview.roleArn,
    previewEnvironments: previewStacks,
    readRoleArn: read.roleArn,
    ...(publish ? { publishRoleArn: publish.roleArn } : {}),
  };
}
