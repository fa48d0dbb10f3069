import * as pulumi from '@pulumi/pulumi';
import type { ServiceSpec } from '../config/services';

/** A queue the service uses, and what it does with it. */
export interface QueueGrant {
  store: string;
  arn: pulumi.Input<string>;
  access: ('send' | 'receive')[];
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

/** The queues' side of a role: each queue's calls on that queue alone, and the data key through SQS only. */
export interface QueueAccess {
  queues: QueueGrant[];
  region: string;
  /** The data key the queues encrypt their messages with. */
  dataKeyArn: pulumi.Input<string>;
}

/**
 * The permissions of the role a service's pods run as: exactly the grants its catalog entry declares
 * under `aws`, and the access it declared to each queue it uses. Undefined when that is nothing, and
 * then the service gets no role at all: a role without permissions would only give its pods an
 * identity to reach STS with. Its secrets are not here: the secrets operator fetches them (see
 * external-secrets.ts), the pods never call Secrets Manager.
 */
export function podPolicyDocument(
  service: ServiceSpec,
  access: QueueAccess = { queues: [], region: '', dataKeyArn: '' },
): pulumi.Output<string> | undefined {
  const { queues } = access;
  if (service.aws.length === 0 && queues.length === 0) return undefined;
  return pulumi
    .all([pulumi.all(queues.map((queue) => queue.arn)), access.dataKeyArn])
    .apply(([arns, keyArn]) =>
      JSON.stringify({
        Version: '2012-10-17',
        Statement: [
          ...service.aws.map((grant, index) => ({
            Sid: `Declared${index}`,
            Effect: 'Allow',
            Action: grant.actions,
            Resource: grant.resources,
          })),
          ...queues.map((queue, index) => ({
            Sid: `Queue${index}`,
            Effect: 'Allow',
            Action: [...new Set(queue.access.flatMap((kind) => queueActions[kind].sqs))],
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
                      queues.flatMap((queue) => queue.access.flatMap((kind) => queueActions[kind].kms)),
                    ),
                  ].sort(),
                  Resource: keyArn,
                  Condition: { StringEquals: { 'kms:ViaService': `sqs.${access.region}.amazonaws.com` } },
                },
              ]
            : []),
        ],
      }),
    );
}
