import * as pulumi from '@pulumi/pulumi';
import { boundaryName, iamArn } from './bootstrap/role-names';

/**
 * Gives every IAM role this program creates the permissions boundary the bootstrap made for its environment
 * (`<project>-boundary-<stack>`): the platform role may create and write roles only within that boundary, so
 * no role it makes reaches beyond the environment. Roles made inside the `@pulumi/eks` component run in its
 * provider, out of this transformation's reach; the bootstrap admits those by name (docs/security.md).
 */
export function applyPermissionsBoundary(partition: string, accountId: string, stack: string): void {
  const arn = iamArn(partition, accountId, `policy/${boundaryName(pulumi.getProject(), stack)}`);
  pulumi.runtime.registerStackTransformation((args) =>
    args.type === 'aws:iam/role:Role' && !args.props.permissionsBoundary
      ? { props: { ...args.props, permissionsBoundary: arn }, opts: args.opts }
      : undefined,
  );
}
