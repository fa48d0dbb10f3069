import { policy, type PolicyDocument } from './policy-document';

/** A key policy that hands the key to the account's IAM, so each role's own policy decides its use. */
export function accountKeyPolicy(partition: string, accountId: string): PolicyDocument {
  return policy({
    Sid: 'AccountAdministers',
    Effect: 'Allow',
    Principal: { AWS: `arn:${partition}:iam::${accountId}:root` },
    Action: 'kms:*',
    Resource: '*',
  });
}

/** What using a key means: encrypting, decrypting and wrapping data keys. */
export const keyUseActions = [
  'kms:Decrypt',
  'kms:Encrypt',
  'kms:GenerateDataKey',
  'kms:GenerateDataKeyWithoutPlaintext',
  'kms:ReEncryptFrom',
  'kms:ReEncryptTo',
];

/**
 * The policy of one environment's stack-secrets key. The account's IAM administers it, but only the named
 * principals can use it, whatever IAM policy any other identity of the account holds: prod's secure config
 * values stay undecryptable by every non-prod role even in a shared account. The principals are matched
 * by `aws:PrincipalArn`, so the key can be created before the roles exist.
 */
export function stackSecretsKeyPolicy(partition: string, accountId: string, users: string[]): PolicyDocument {
  const root = `arn:${partition}:iam::${accountId}:root`;
  return policy(
    {
      Sid: 'AccountAdministers',
      Effect: 'Allow',
      Principal: { AWS: root },
      NotAction: keyUseActions,
      Resource: '*',
    },
    {
      Sid: 'OnlyItsUsersUseIt',
      Effect: 'Allow',
      Principal: { AWS: root },
      Action: [...keyUseActions, 'kms:DescribeKey'],
      Resource: '*',
      Condition: { ArnLike: { 'aws:PrincipalArn': users } },
    },
  );
}
