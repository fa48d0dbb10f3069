import * as aws from '@pulumi/aws';
import * as pulumi from '@pulumi/pulumi';
import { isAbsolute, join } from 'node:path';
import { ConfigError } from '../config/errors';
import { loadBootstrapConfig, previewEnvironmentsOf, type BootstrapSources } from './config';
import { readBootstrapSources } from './sources';
import { withBootstrapReads } from './bootstrap-read';
import { GitHubOidc } from './github-oidc';
import { GitHubRepository } from './github-repository';
import {
  appsDeployPolicy,
  platformDeployPolicy,
  publishPolicy,
  readOnlyPolicy,
  type PolicyContext,
} from './permissions';
import { PipelineRole } from './pipeline-role';
import { platformEnvironmentName, roleNames } from './role-names';
import { SecretsKey } from './secrets-key';
import { StateBackend } from './state-backend';
import { branchTrust, exactSubjectTrust, subjects } from './trust';

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
 * GitHub may do what. Config is validated before any resource is registered.
 */
export async function bootstrapProgram(): Promise<Record<string, unknown>> {
  const config = loadBootstrapConfig(pulumi.getStack(), pulumi.runtime.allConfig(), readSources());
  const [identity, partition] = await Promise.all([aws.getCallerIdentity({}), aws.getPartition({})]);
  const { accountId } = identity;
  // Credentials of another account would set up the wrong one, and every derived role ARN would be wrong.
  if (accountId !== config.accountId)
    throw new ConfigError([
      `slipway.yaml: aws.account: ${config.accountId}, but the bootstrap runs with credentials of account ${accountId}`,
    ]);
  const tags = { project: config.project, 'managed-by': pulumi.getProject() };
  const common = {
    project: config.project,
    accountId,
    partition: partition.partition,
    region: config.region,
    tags,
  };

  const state = new StateBackend('state', { ...common, noncurrentVersionDays: config.noncurrentVersionDays });
  const secrets = new SecretsKey('secrets', common);
  const oidc = new GitHubOidc('github', { tags });

  const iamArn = (name: string) => `arn:${partition.partition}:iam::${accountId}:role/${name}`;
  const environments = Object.entries(config.environments);
  const ownRoles = [
    ...environments.map(([env]) => roleNames.deploy(config.project, env)),
    ...environments.map(([env]) => roleNames.platform(config.project, env)),
    roleNames.preview(config.project),
    roleNames.read(config.project),
    roleNames.publish(config.project),
  ];
  const context: pulumi.Output<PolicyContext> = pulumi
    .all([state.bucketArn, state.keyArn, secrets.keyArn, oidc.providerArn])
    .apply(([stateBucketArn, stateKeyArn, secretsKeyArn, providerArn]) => ({
      partition: partition.partition,
      accountId,
      project: config.project,
      stateBucketArn,
      stateKeyArn,
      secretsKeyArn,
      protectedIamArns: [...ownRoles.map(iamArn), providerArn],
    }));
  const provider = oidc.providerArn;

  // Two roles per environment, one per lifecycle (docs/two-lifecycles.md), each trusted by its own GitHub
  // environment: a service merge deploys the apps and cannot assume the role that changes the platform.
  const deployRoleArns: Record<string, pulumi.Output<string>> = {};
  const platformRoleArns: Record<string, pulumi.Output<string>> = {};
  for (const [env, settings] of environments) {
    deployRoleArns[env] = new PipelineRole(`deploy-${env}`, {
      roleName: roleNames.deploy(config.project, env),
      description: `Deploys the ${env} apps stack; only jobs running in the GitHub environment ${env} of ${config.repository}`,
      trust: provider.apply((arn) => exactSubjectTrust(arn, subjects.environment(config.repository, env))),
      permissions: context.apply((ctx) => appsDeployPolicy(ctx, env, settings.region)),
      tags,
    }).roleArn;
    const platformEnvironment = platformEnvironmentName(env);
    platformRoleArns[env] = new PipelineRole(`platform-${env}`, {
      roleName: roleNames.platform(config.project, env),
      description: `Deploys the ${env} platform stack; only jobs running in the GitHub environment ${platformEnvironment} of ${config.repository}`,
      trust: provider.apply((arn) =>
        exactSubjectTrust(arn, subjects.environment(config.repository, platformEnvironment)),
      ),
      permissions: context.apply((ctx) => platformDeployPolicy(ctx, env, settings.region)),
      tags,
    }).roleArn;
  }
  // A pull request runs its own code under this role: only the stacks it may preview, never a gated one.
  const previewStacks = previewEnvironmentsOf(config);
  const preview = new PipelineRole('preview', {
    roleName: roleNames.preview(config.project),
    description: `Read-only previews of ${previewStacks.join(', ') || 'no stack'} for pull requests of ${config.repository}`,
    trust: provider.apply((arn) => exactSubjectTrust(arn, subjects.pullRequest(config.repository))),
    permissions: context.apply((ctx) => readOnlyPolicy(ctx, previewStacks)),
    tags,
  });
  // Pushes to deploy branches preview a gated environment before approval, and scheduled drift checks
  // run on the default branch; both only read, so they share one role.
  const readBranches = [...new Set([...config.publishBranches, config.defaultBranch])];
  const read = new PipelineRole('read', {
    roleName: roleNames.read(config.project),
    description: `Read-only previews and drift checks on ${readBranches.join(', ')} of ${config.repository}`,
    trust: provider.apply((arn) => branchTrust(arn, config.repository, readBranches)),
    // Drift checks read the bootstrap too (drift.yml), from its state in the bucket.
    permissions: context.apply((ctx) =>
      withBootstrapReads(readOnlyPolicy(ctx, ['*']), ctx, pulumi.getProject()),
    ),
    tags,
  });
  const publish = new PipelineRole('publish', {
    roleName: roleNames.publish(config.project),
    description: `Pushes images built on ${config.publishBranches.join(', ')} of ${config.repository}`,
    trust: provider.apply((arn) => branchTrust(arn, config.repository, config.publishBranches)),
    permissions: context.apply((ctx) => publishPolicy(ctx, config.region)),
    tags,
  });

  const backendUrl = pulumi.interpolate`s3://${state.bucketName}?region=${config.region}`;
  // The GitHub side: environments exactly as pipeline.yaml names them, their reviewers and branch policies,
  // the variables the workflows read, and the deploying branches protected.
  new GitHubRepository('github-repository', {
    repository: config.repository,
    environments: config.github,
    variables: {
      SLIPWAY_AWS_ACCOUNT_ID: accountId,
      SLIPWAY_AWS_REGION: config.region,
      SLIPWAY_BACKEND_URL: backendUrl,
      SLIPWAY_SECRETS_PROVIDER: secrets.secretsProvider,
      SLIPWAY_PUBLISH_ROLE: publish.roleArn,
      SLIPWAY_READ_ROLE: read.roleArn,
      SLIPWAY_PREVIEW_ROLE: preview.roleArn,
    },
    deployBranches: config.publishBranches,
  });

  return {
    backendUrl,
    secretsProvider: secrets.secretsProvider,
    stateBucket: state.bucketName,
    githubOidcProviderArn: oidc.providerArn,
    deployRoleArns,
    platformRoleArns,
    previewRoleArn: preview.roleArn,
    previewEnvironments: previewStacks,
    readRoleArn: read.roleArn,
    publishRoleArn: publish.roleArn,
  };
}
