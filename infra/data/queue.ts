import * as aws from '@pulumi/aws';
import * as pulumi from '@pulumi/pulumi';
import type { DataStoreOf } from '../config/data-stores';
import { accountAndTlsOnly } from '../resource-policy';

export interface MessageQueueArgs {
  /** The queue name, `<prefix>-<store>` (`.fifo` is added for a FIFO queue). */
  identifier: string;
  store: DataStoreOf<'sqs'>;
  /** Encrypts messages at rest; senders and receivers need it through SQS. */
  kmsKeyArn: pulumi.Input<string>;
  accountId: string;
  tags: Record<string, string>;
}

/**
 * An SQS queue and its dead-letter queue, both encrypted with the data key, closed to other accounts
 * and to plain HTTP. A service's access (send, receive) is granted on its own IAM role by the apps.
 */
export class MessageQueue extends pulumi.ComponentResource {
  readonly url: pulumi.Output<string>;
  readonly arn: pulumi.Output<string>;
  readonly queueName: string;

  constructor(name: string, args: MessageQueueArgs, opts?: pulumi.ComponentResourceOptions) {
    super('slipway:data:MessageQueue', name, {}, opts);
    const { spec, settings } = args.store;
    const child = { parent: this };
    const suffix = spec.fifo ? '.fifo' : '';
    const encryption = { kmsMasterKeyId: args.kmsKeyArn, kmsDataKeyReusePeriodSeconds: 300 };

    const deadLetters = new aws.sqs.Queue(
      `${name}-dlq`,
      {
        name: `${args.identifier}-dlq${suffix}`,
        fifoQueue: spec.fifo,
        messageRetentionSeconds: 1209600,
        ...encryption,
        tags: args.tags,
      },
      child,
    );
    this.queueName = `${args.identifier}${suffix}`;
    const queue = new aws.sqs.Queue(
      `${name}-queue`,
      {
        name: this.queueName,
        fifoQueue: spec.fifo,
        visibilityTimeoutSeconds: spec.visibilityTimeoutSeconds,
        messageRetentionSeconds: settings.messageRetentionSeconds,
        redrivePolicy: pulumi.jsonStringify({
          deadLetterTargetArn: deadLetters.arn,
          maxReceiveCount: settings.maxReceiveCount,
        }),
        ...encryption,
        tags: args.tags,
      },
      child,
    );
    for (const [suffixName, target] of [
      ['queue', queue],
      ['dlq', deadLetters],
    ] as const) {
      new aws.sqs.QueuePolicy(
        `${name}-${suffixName}-policy`,
        {
          queueUrl: target.url,
          policy: pulumi.jsonStringify({
            Version: '2012-10-17',
            Statement: accountAndTlsOnly('sqs', target.arn, args.accountId),
          }),
        },
        child,
      );
    }
    this.url = queue.url;
    this.arn = queue.arn;
    this.registerOutputs({ url: this.url, arn: this.arn });
  }
}
