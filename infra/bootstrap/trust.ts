import { policy, type PolicyDocument } from './policy-document';

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
  branch: (repository: string, branch: string) => `repo:${repository}:ref:refs/heads/${branch}`,
};

/** Trust for GitHub jobs whose `sub` equals one exact value. */
export function exactSubjectTrust(providerArn: string, subject: string): PolicyDocument {
  return policy({
    Sid: 'GitHubActionsExactSubject',
    Effect: 'Allow',
    Principal: { Federated: providerArn },
    Action: 'sts:AssumeRoleWithWebIdentity',
    Condition: { StringEquals: { [audClaim]: stsAudience, [subClaim]: subject } },
  });
}

/** Trust for pushes to any of some branches, which may be globs (`release-*`), as StringLike reads them. */
export function branchTrust(providerArn: string, repository: string, branches: string[]): PolicyDocument {
  return policy({
    Sid: 'GitHubActionsBranches',
    Effect: 'Allow',
    Principal: { Federated: providerArn },
    Action: 'sts:AssumeRoleWithWebIdentity',
    Condition: {
      StringEquals: { [audClaim]: stsAudience },
      StringLike: { [subClaim]: branches.map((branch) => subjects.branch(repository, branch)) },
    },
  });
}
