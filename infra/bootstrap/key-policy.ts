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
