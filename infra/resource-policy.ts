import type * as pulumi from '@pulumi/pulumi';

/**
 * The two fences every resource policy Slipway writes starts from: nobody outside the account, and nothing
 * over plain HTTP. `service` is the IAM prefix (`secretsmanager`, `sqs`); `resource` what the policy covers.
 */
export function accountAndTlsOnly(service: string, resource: pulumi.Input<string>, accountId: string) {
  return [
    {
      Sid: 'DenyOutsideAccount',
      Effect: 'Deny',
      Principal: '*',
      Action: `${service}:*`,
      Resource: resource,
      Condition: { StringNotEquals: { 'aws:PrincipalAccount': accountId } },
    },
    {
      Sid: 'DenyWithoutTls',
      Effect: 'Deny',
      Principal: '*',
      Action: `${service}:*`,
      Resource: resource,
      Condition: { Bool: { 'aws:SecureTransport': 'false' } },
    },
  ];
}
