import type * as pulumi from '@pulumi/pulumi';

/**
 * The ARN of the master-user secret RDS or DocumentDB manages in Secrets Manager (`manageMasterUserPassword`):
 * the first of the `masterUserSecrets` the service reports. None is an error naming the store, not an empty ARN.
 */
export function managedMasterSecretArn(
  secrets: pulumi.Output<{ secretArn: string }[]>,
  service: 'RDS' | 'DocumentDB',
  identifier: string,
): pulumi.Output<string> {
  return secrets.apply((reported) => {
    const secret = reported[0];
    if (!secret) throw new Error(`${identifier}: ${service} reported no managed master-user secret`);
    return secret.secretArn;
  });
}
