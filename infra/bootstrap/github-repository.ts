import * as github from '@pulumi/github';
import * as pulumi from '@pulumi/pulumi';
import type { GitHubEnvironmentSettings } from './config';
import type { GitHubEnvironmentVariable, GitHubVariable } from './github-variables';

export interface GitHubRepositoryArgs {
  /** `owner/name`, slipway.yaml's github.repository; the owner is the provider's. */
  repository: string;
  /**
   * Per GitHub environment (each pipeline.yaml environment, named exactly so, and its platform twin): its
   * reviewers and the branch globs that deploy there. Environments sharing a stack each have their own.
   */
  environments: Record<string, GitHubEnvironmentSettings>;
  /** Per GitHub environment, the variables its jobs read in place of the repository's. */
  environmentVariables: Record<string, Record<GitHubEnvironmentVariable, pulumi.Input<string>>>;
  /**
   * What the whole repository shares, written by the home account's bootstrap only (another account's
   * bootstrap writes just its own environments).
   */
  repositoryWide?: {
    /** The Actions variables the workflows read (`vars.<NAME>`), with their values. */
    variables: Record<GitHubVariable, pulumi.Input<string>>;
    /** Branch globs whose pushes deploy (pipeline.yaml's branch rules): reviewed merges only, never rewritten. */
    deployBranches: string[];
  };
}

/**
 * The GitHub side of a Slipway repository, as code: one environment per pipeline.yaml environment (so none is
 * created misspelt and unprotected on first use), with required reviewers and self-review prevented where
 * pipeline.yaml asks for approval, and deployment branch policies equal to the branch rules; the variables
 * the workflows read; a ruleset that protects the branches that deploy. A reviewer removed by hand in
 * GitHub's settings shows as drift in the bootstrap's preview.
 */
export class GitHubRepository extends pulumi.ComponentResource {
  /** Environment name → the GitHub environment's name, as created. */
  readonly environmentNames: Record<string, pulumi.Output<string>> = {};

  constructor(name: string, args: GitHubRepositoryArgs, opts?: pulumi.ComponentResourceOptions) {
    super('slipway:bootstrap:GitHubRepository', name, {}, opts);
    const [owner = '', repository = ''] = args.repository.split('/');
    // An explicit provider: the owner comes from slipway.yaml, the token from GITHUB_TOKEN (never a file).
    const provider = new github.Provider(`${name}-provider`, { owner }, { parent: this });
    const options = { parent: this, provider };
    const invokeOptions = { parent: this, provider };

    for (const [environment, settings] of Object.entries(args.environments)) {
      const reviewers = settings.reviewers;
      // GitHub's API takes reviewer IDs; slipway.yaml names logins and team slugs, looked up here.
      const userIds = (reviewers?.users ?? []).map((username) =>
        github.getUserOutput({ username }, invokeOptions).id.apply(Number),
      );
      const teamIds = (reviewers?.teams ?? []).map((slug) =>
        github.getTeamOutput({ slug, summaryOnly: true }, invokeOptions).id.apply(Number),
      );
      const created = new github.RepositoryEnvironment(
        `${name}-${environment}`,
        {
          repository,
          environment,
          ...(reviewers ? { reviewers: [{ users: userIds, teams: teamIds }], preventSelfReview: true } : {}),
          // Admins approve like everyone else: a bypass would make the gate optional.
          canAdminsBypass: false,
          deploymentBranchPolicy: { protectedBranches: false, customBranchPolicies: true },
        },
        options,
      );
      this.environmentNames[environment] = created.environment;
      for (const [variableName, value] of Object.entries(args.environmentVariables[environment] ?? {})) {
        new github.ActionsEnvironmentVariable(
          `${name}-${environment}-${variableName}`,
          { repository, environment: created.environment, variableName, value },
          options,
        );
      }
      settings.deployBranches.forEach((branchPattern, index) => {
        new github.RepositoryEnvironmentDeploymentPolicy(
          `${name}-${environment}-branch-${index}`,
          { repository, environment: created.environment, branchPattern },
          options,
        );
      });
    }

    if (args.repositoryWide) this.shareWithRepository(name, repository, args.repositoryWide, options);
    this.registerOutputs({ environmentNames: this.environmentNames });
  }

  /** The repository's variables, and the ruleset that protects the branches that deploy. */
  private shareWithRepository(
    name: string,
    repository: string,
    repositoryWide: NonNullable<GitHubRepositoryArgs['repositoryWide']>,
    options: pulumi.CustomResourceOptions,
  ): void {
    for (const [variableName, value] of Object.entries(repositoryWide.variables)) {
      new github.ActionsVariable(`${name}-${variableName}`, { repository, variableName, value }, options);
    }

    // The publish and read roles trust pushes to these branches: only reviewed merges may land there.
    new github.RepositoryRuleset(
      `${name}-deploy-branches`,
      {
        repository,
        name: 'slipway-deploy-branches',
        target: 'branch',
        enforcement: 'active',
        conditions: {
          refName: {
            includes: repositoryWide.deployBranches.map((branch) => `refs/heads/${branch}`),
            excludes: [],
          },
        },
        rules: {
          nonFastForward: true,
          deletion: true,
          pullRequest: {
            requiredApprovingReviewCount: 1,
            dismissStaleReviewsOnPush: true,
            requireLastPushApproval: true,
          },
        },
      },
      options,
    );
  }
}
