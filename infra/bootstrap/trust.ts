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
 * Trust for GitHub jobs whose `sub` equals one of the exact values given (IAM's StringEquals matches any
 * value of a list): the only trust the bootstrap writes. There is no branch trust: a glob (`release-*`) lets
 * anyone who can push a branch name one that matches it.
 */
export function exactSubjectTrust(providerArn: string, subject: string | string[]): PolicyDocument {
  return policy({
    Sid: 'GitHubActionsExactSubject',
    Effect: 'Allow',
    Principal: { Federated: providerArn },
    Action: 'sts:AssumeRoleWithWebIdentity',
    Condition: { StringEquals: { [audClaim]: stsAudience, [subClaim]: subject } },
  });
}

/**
 * Whom each of the pipeline's roles trusts, by role name: each stack's apps role the GitHub environments
 * that deploy the stack, its platform role their `platform-<env>` twins, the preview role pull requests, the
 * read and publish roles their own GitHub environments. Shared by the bootstrap and the workflow rehearsal,
 * so what is rehearsed is what is created.
 */
export function pipelineTrusts(
  config: Pick<BootstrapConfig, 'project' | 'repository' | 'stacks'>,
  providerArn: string,
): Record<string, PolicyDocument> {
  const inEnvironments = (environments: string[]) =>
    exactSubjectTrust(
      providerArn,
      // One subject stays a string, so a stack deployed by one environment keeps the trust it always had.
      environments.length === 1
        ? subjects.environment(config.repository, environments[0] ?? '')
        : environments.map((environment) => subjects.environment(config.repository, environment)),
    );
  const inEnvironment = (environment: string) => inEnvironments([environment]);
  return {
    ...Object.fromEntries(
      Object.entries(config.stacks).flatMap(([stack, { environments }]) => [
        [roleNames.deploy(config.project, stack), inEnvironments(environments)],
        [
          roleNames.platform(config.project, stack),
          inEnvironments(environments.map(platformEnvironmentName)),
        ],
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
