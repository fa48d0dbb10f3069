/**
 * Names of the pipeline's roles, shared by the bootstrap that creates them and by everything that derives
 * their ARNs from slipway.yaml (the action's pipeline loader, the check command), so the two cannot drift.
 */
export const roleNames = {
  /** Deploys the environment's apps stack: Kubernetes objects and the services' own roles, nothing else. */
  deploy: (project: string, environment: string) => `${project}-deploy-${environment}`,
  /** Deploys the environment's platform stack (network, cluster, data services, keys, registries). */
  platform: (project: string, environment: string) => `${project}-platform-${environment}`,
  preview: (project: string) => `${project}-preview`,
  read: (project: string) => `${project}-read`,
  publish: (project: string) => `${project}-publish`,
};

/**
 * The GitHub environment a platform deploy of `environment` runs in. The platform role trusts only jobs in
 * it, so a job in the apps' environment (every merge that changes a service) cannot assume the platform role.
 */
export const platformEnvironmentName = (environment: string) => `platform-${environment}`;

/** The apps project of a platform project: `infra/apps/Pulumi.yaml` names it so. */
export const appsProjectName = (project: string) => `${project}-apps`;

/**
 * Prefix of the IAM roles the apps stack creates for its services (`<prefix>-<service>`). Distinct from the
 * platform's own roles (`<project>-<stack>-<add-on>`), so the apps' deploy role can manage its services'
 * roles and no platform role.
 */
export const serviceRolePrefix = (project: string, stack: string) => `${project}-${stack}-app`;
