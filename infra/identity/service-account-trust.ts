import * as pulumi from '@pulumi/pulumi';

/**
 * Trust policy for an IAM role that exactly one Kubernetes service account may assume (IRSA):
 * the OIDC token's subject and audience must both match.
 */
export function serviceAccountTrustPolicy(
  oidcProviderArn: pulumi.Input<string>,
  oidcProviderUrl: pulumi.Input<string>,
  namespace: string,
  serviceAccount: string,
): pulumi.Output<string> {
  return pulumi.all([oidcProviderArn, oidcProviderUrl]).apply(([arn, url]) => {
    const issuer = url.replace(/^https:\/\//, '');
    return JSON.stringify({
      Version: '2012-10-17',
      Statement: [
        {
          Effect: 'Allow',
          Principal: { Federated: arn },
          Action: 'sts:AssumeRoleWithWebIdentity',
          Condition: {
            StringEquals: {
              [`${issuer}:sub`]: `system:serviceaccount:${namespace}:${serviceAccount}`,
              [`${issuer}:aud`]: 'sts.amazonaws.com',
            },
          },
        },
      ],
    });
  });
}
