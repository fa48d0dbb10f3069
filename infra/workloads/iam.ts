import * as pulumi from '@pulumi/pulumi';
import { readsOwnSecret, referencedSecretArn, referencedSecrets } from '../config/secret-uses';
import type { ServiceSpec } from '../config/services';

export interface ServicePolicyInputs {
  service: ServiceSpec;
  region: string;
  /** Where a secret the service names by name lives: `arn:<partition>:…:<accountId>:secret:<name>-??????`. */
  partition: string;
  accountId: string;
  /** The service's own Secrets Manager secret, when it declares secret keys. */
  secretArn?: pulumi.Input<string>;
  /** The KMS key its secret is encrypted with. */
  secretsKeyArn: pulumi.Input<string>;
}

/**
 * The permissions of a service's IRSA role: read its own secret (and decrypt it only through Secrets
 * Manager, only for that secret), read the existing secrets it names (each by its exact ARN, or by
 * its name's ARN pattern), plus whatever the catalog declares. Undefined when that is nothing.
 */
export function servicePolicyDocument(inputs: ServicePolicyInputs): pulumi.Output<string> | undefined {
  const { service } = inputs;
  const readsSecret = readsOwnSecret(service) && inputs.secretArn !== undefined;
  const referenced = referencedSecrets(service).map((reference) => referencedSecretArn(reference, inputs));
  if (!readsSecret && referenced.length === 0 && service.aws.length === 0) return undefined;
  return pulumi.all([inputs.secretArn ?? '', inputs.secretsKeyArn]).apply(([secretArn, keyArn]) =>
    JSON.stringify({
      Version: '2012-10-17',
      Statement: [
        ...(readsSecret
          ? [
              {
                Sid: 'ReadOwnSecret',
                Effect: 'Allow',
                Action: ['secretsmanager:GetSecretValue', 'secretsmanager:DescribeSecret'],
                Resource: secretArn,
              },
              {
                Sid: 'DecryptOwnSecret',
                Effect: 'Allow',
                Action: 'kms:Decrypt',
                Resource: keyArn,
                Condition: {
                  StringEquals: {
                    'kms:ViaService': `secretsmanager.${inputs.region}.amazonaws.com`,
                    'kms:EncryptionContext:SecretARN': secretArn,
                  },
                },
              },
            ]
          : []),
        ...(referenced.length > 0
          ? [
              {
                Sid: 'ReadNamedSecrets',
                Effect: 'Allow',
                Action: ['secretsmanager:GetSecretValue', 'secretsmanager:DescribeSecret'],
                Resource: referenced,
              },
            ]
          : []),
        ...service.aws.map((grant, index) => ({
          Sid: `Declared${index}`,
          Effect: 'Allow',
          Action: grant.actions,
          Resource: grant.resources,
        })),
      ],
    }),
  );
}
