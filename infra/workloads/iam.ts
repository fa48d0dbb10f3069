import * as pulumi from '@pulumi/pulumi';
import type { ServiceSpec } from '../config/services';

export interface ServicePolicyInputs {
  service: ServiceSpec;
  region: string;
  /** The service's own Secrets Manager secret, when it declares secret keys. */
  secretArn?: pulumi.Input<string>;
  /** The KMS key its secret (and its queues' messages) are encrypted with. */
  secretsKeyArn: pulumi.Input<string>;
  /** The SQS queues it uses, and what it does with each. */
  queues?: { store: string; arn: pulumi.Input<string>; access: ('send' | 'receive')[] }[];
}

/** What each kind of queue access needs: the SQS calls, and the data key through SQS. */
export const queueActions = {
  send: {
    sqs: ['sqs:SendMessage', 'sqs:GetQueueAttributes', 'sqs:GetQueueUrl'],
    kms: ['kms:GenerateDataKey', 'kms:Decrypt'],
  },
  receive: {
    sqs: [
      'sqs:ReceiveMessage',
      'sqs:DeleteMessage',
      'sqs:ChangeMessageVisibility',
      'sqs:GetQueueAttributes',
      'sqs:GetQueueUrl',
    ],
    kms: ['kms:Decrypt'],
  },
} as const;

/**
 * The permissions of a service's IRSA role: read its own secret (and decrypt it only through Secrets
 * Manager, only for that secret) plus whatever the catalog declares. Undefined when that is nothing.
 */
export function servicePolicyDocument(inputs: ServicePolicyInputs): pulumi.Output<string> | undefined {
  const { service } = inputs;
  const readsSecret = service.secrets.length > 0 && inputs.secretArn !== undefined;
  const queues = inputs.queues ?? [];
  if (!readsSecret && service.aws.length === 0 && queues.length === 0) return undefined;
  const queueArns = pulumi.all(queues.map((queue) => queue.arn));
  return pulumi
    .all([inputs.secretArn ?? '', inputs.secretsKeyArn, queueArns])
    .apply(([secretArn, keyArn, arns]) =>
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
          ...queues.map((queue, index) => ({
            Sid: `Queue${index}`,
            Effect: 'Allow',
            Action: [...new Set(queue.access.flatMap((access) => queueActions[access].sqs))],
            Resource: arns[index],
          })),
          ...(queues.length > 0
            ? [
                {
                  // SQS encrypts with the data key on the sender's behalf and decrypts on the receiver's.
                  Sid: 'QueueMessagesKey',
                  Effect: 'Allow',
                  Action: [
                    ...new Set(
                      queues.flatMap((queue) => queue.access.flatMap((access) => queueActions[access].kms)),
                    ),
                  ].sort(),
                  Resource: keyArn,
                  Condition: { StringEquals: { 'kms:ViaService': `sqs.${inputs.region}.amazonaws.com` } },
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
