import type { BootstrapConfig } from './config';
import { policy, type PolicyDocument } from './policy-document';
import { pipelineEnvironments, platformEnvironmentName, roleNames } from './role-names';

/** The issuer of GitHub Actions' OIDC tokens, and the claim keys IAM exposes for it. */
export const githubIssuerHost = 'token.actions.githubusercontent.com';
const audClaim = `${githubIssuerHost}:aud`;
const subClaim = `${githubIssuerHost}:sub`;
/** The audience aws-actions/configure-aws-credentials asks GitHub for. */
export const stsAudience = 'sts.amazonaws.com';

/**
 * The `sub` claims GitHub puts in a job's token (the default claim template). A job that runs in an
 * environment presents the environment form, whatever its branch, which is why a deploy role can
 * insist on it: only a job that passed the environment's protection rules gets such a token.
 */
export const subjects = {
  environment: (repository: string, environment: string) => `repo:${repository}:environment:${environment}`,
  pullRequest: (repository: string) => `repo:${repository}:pull_request`,
};

/**
 * Trust for GitHub jobs whose `sub` equals one exact value: the only trust the bootstrap writes. There is no
 * branch trust: a glob (`release-*`) lets anyone who can push a branch name one that matches it.
 */
export function exactSubjectTrust(providerArn: string, subject: string): PolicyDocument {
  return policy({
    Sid: 'GitHubActionsExactSubject',
    Effect: 'Allow',
    Principal: { Federated: providerArn },
    Action: 'sts:AssumeRoleWithWebIdentity',
    Condition: { StringEquals: { [audClaim]: stsAudience, [subClaim]: subject } },
  });
}

/**
 * Whom each of the pipeline's roles trusts, by role name: each environment's apps role its GitHub
 * environment, its platform role `platform-<env>`, the preview role pull requests, the read and publish roles
 * their own GitHub environments. Shared by the bootstrap and the workflow rehearsal, so what is rehearsed is
 * what is created.
 */
export function pipelineTrusts(
  config: Pick<BootstrapConfig, 'project' | 'repository' | 'environments'>,
  providerArn: string,
): Record<string, PolicyDocument> {
  const inEnvironment = (environment: string) =>
    exactSubjectTrust(providerArn, subjects.environment(config.repository, environment));
  return {
    ...Object.fromEntries(
      Object.keys(config.environments).flatMap((env) => [
        [roleNames.deploy(config.project, env), inEnvironment(env)],
        [roleNames.platform(config.project, env), inEnvironment(platformEnvironmentName(env))],
      ]),
    ),
    [roleNames.preview(config.project)]: exactSubjectTrust(
      providerArn,
      subjects.pullRequest(config.repository),
    ),
    [roleNames.read(config.project)]: inEnvironment(pipelineEnvironments.read),
    [roleNames.publish(config.project)]: inEnvironment(pipelineEnvironments.publish),
  };
}
