/**
 * Names of the pipeline's roles, shared by the bootstrap that creates them and by everything that derives
 * their ARNs from slipway.yaml (the action's pipeline loader, the check command), so the two cannot drift.
 */
export const roleNames = {
  deploy: (project: string, environment: string) => `${project}-deploy-${environment}`,
  preview: (project: string) => `${project}-preview`,
  read: (project: string) => `${project}-read`,
  publish: (project: string) => `${project}-publish`,
};
