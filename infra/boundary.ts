import * as pulumi from '@pulumi/pulumi';
import { boundaryName, iamArn } from './bootstrap/role-names';

/** The permissions boundary the bootstrap made for a stack's environment: `<project>-boundary-<stack>`. */
export const permissionsBoundaryArn = (partition: string, accountId: string, stack: string) =>
  iamArn(partition, accountId, `policy/${boundaryName(pulumi.getProject(), stack)}`);

/** What a transform sees of a resource being registered, under both of Pulumi's transform APIs. */
interface Registration {
  type: string;
  props: pulumi.Inputs;
  opts: pulumi.ResourceOptions;
}
/** What a transform returns: the resource's new inputs and options, or nothing to keep them. */
type Transformed = { props: pulumi.Inputs; opts: pulumi.ResourceOptions } | undefined;

/**
 * A transform giving every IAM role registered through it the boundary `arn`, leaving every other resource (and a
 * role that names a boundary of its own) as it is. A role already created without one is updated in place: the
 * provider adds a boundary with PutRolePermissionsBoundary, it does not replace the role.
 */
export function boundRoles(arn: string): (registration: Registration) => Transformed {
  return ({ type, props, opts }) =>
    type === 'aws:iam/role:Role' && !props.permissionsBoundary
      ? { props: { ...props, permissionsBoundary: arn }, opts }
      : undefined;
}

/**
 * Gives every IAM role this program creates the permissions boundary `arn`: the platform role may create and write
 * roles only within that boundary, so no role it makes reaches beyond the environment. A stack transformation runs
 * in this process only; the roles `@pulumi/eks` makes inside its component run in its provider's, which
 * infra/cluster.ts reaches with the same transform as the component's `transforms` option (the engine applies it to
 * the component's children).
 */
export function applyPermissionsBoundary(arn: string): void {
  pulumi.runtime.registerStackTransformation(boundRoles(arn));
}
