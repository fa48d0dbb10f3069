/**
 * Names of the pipeline's roles, shared by the bootstrap that creates them and by everything that derives
 * their ARNs from slipway.yaml (the action's pipeline loader, the check command), so the two cannot drift.
 */
/** The ARN of an IAM role or policy by its name (`role/<name>`, `policy/<name>`), as every side derives it. */
export const iamArn = (partition: string, accountId: string, resource: `${'role' | 'policy'}/${string}`) =>
  `arn:${partition}:iam::${accountId}:${resource}`;

export const roleNames = {
  /**
   * Deploys a stack's apps: Kubernetes objects and the services' own roles, nothing else. Named by the stack,
   * which is the environment's name unless several pipeline.yaml environments deploy one stack.
   */
  deploy: (project: string, stack: string) => `${project}-deploy-${stack}`,
  /** Deploys a stack's platform (network, cluster, data services, keys, registries). */
  platform: (project: string, stack: string) => `${project}-platform-${stack}`,
  preview: (project: string) => `${project}-preview`,
  read: (project: string) => `${project}-read`,
  publish: (project: string) => `${project}-publish`,
};

/**
 * The GitHub environment a platform deploy of `environment` (a pipeline.yaml environment, i.e. the apps'
 * GitHub environment) runs in. The platform role trusts only jobs in such environments, so a job in the apps'
 * environment (every merge that changes a service) cannot assume the platform role.
 */
export const platformEnvironmentName = (environment: string) => `platform-${environment}`;

/**
 * The state bucket of an account's bootstrap (both projects' stacks of that account): bucket names are
 * global, so the account and region make it unique. The action derives it for a stack in another account.
 */
export const stateBucketName = (project: string, accountId: string, region: string) =>
  `${project}-pulumi-state-${accountId}-${region}`;

/** The Pulumi backend URL of that bucket, as `pulumi login` takes it. */
export const stateBackendUrl = (bucket: string, region: string) => `s3://${bucket}?region=${region}`;

/** The apps project of a platform project: `infra/apps/Pulumi.yaml` names it so. */
export const appsProjectName = (project: string) => `${project}-apps`;

/**
 * Prefix of the IAM roles the apps stack creates for its services (`<prefix>-<service>`). Distinct from the
 * platform's own roles (`<project>-<stack>-<add-on>`), so the apps' deploy role can manage its services'
 * roles and no platform role.
 */
export const serviceRolePrefix = (project: string, stack: string) => `${project}-${stack}-app`;

/**
 * The GitHub environments whose jobs may assume the read role (gated previews, drift) and the publish role
 * (pushing images). The roles trust exactly `repo:<owner>/<repo>:environment:<name>`, never a branch; which
 * branches may run jobs there is the environments' deployment branch policy, which the bootstrap sets.
 */
export const pipelineEnvironments = { read: 'slipway-read', publish: 'slipway-publish' } as const;

/**
 * The permissions boundary every IAM-writing role of a stack carries (its platform and apps roles), and
 * every role the platform creates: the most any of them can ever do, whatever policy they hold.
 */
export const boundaryName = (project: string, stack: string) => `${project}-boundary-${stack}`;

/**
 * The permissions boundary of the roles the apps stack creates for its services: narrower than the
 * stack's, so a service merge cannot give a service role the platform's powers.
 */
export const servicesBoundaryName = (project: string, stack: string) =>
  `${project}-services-boundary-${stack}`;
