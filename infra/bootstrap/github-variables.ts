/**
 * The repository's Actions variables the bootstrap writes and the workflows read (`vars.<NAME>`), shared by
 * the bootstrap and the check command, so a workflow that reads a variable nothing writes is caught.
 */
export const githubVariables = {
  SLIPWAY_AWS_ACCOUNT_ID: "slipway.yaml's aws.account",
  SLIPWAY_AWS_REGION: "slipway.yaml's aws.region",
  SLIPWAY_BACKEND_URL: 'the state bucket, as the Pulumi CLI logs in to it',
  SLIPWAY_PUBLISH_ROLE: 'the role that pushes images, trusted on the branches that deploy',
  SLIPWAY_READ_ROLE: 'the read-only role of gated previews and drift checks',
  SLIPWAY_PREVIEW_ROLE: "the read-only role of same-repository pull requests' previews",
} as const;

export type GitHubVariable = keyof typeof githubVariables;

/**
 * Variables the bootstrap writes per GitHub environment (an environment's variable is what `vars.<NAME>`
 * reads in a job running there): each deploy environment's, the apps' and the platform's alike.
 */
export const githubEnvironmentVariables = {
  SLIPWAY_SECRETS_PROVIDER: "the awskms:// secrets provider of the environment's stacks (its own key)",
  SLIPWAY_BACKEND_URL: "the state bucket of the environment's account, where its stacks' state is",
} as const;

export type GitHubEnvironmentVariable = keyof typeof githubEnvironmentVariables;
