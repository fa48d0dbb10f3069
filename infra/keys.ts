import * as aws from '@pulumi/aws';
import * as pulumi from '@pulumi/pulumi';
import { ownSecretKeys, readsOwnSecret } from './config/secret-uses';
import type { ServiceSpec } from './config/services';
import type { Tier } from './config/tiers';
import { accountAndTlsOnly } from './resource-policy';

export interface KeysArgs {
  /** Prefix of every name (`slipway-<stack>`); secret names are `<prefix>/<service>`. */
  prefix: string;
  tier: Tier;
  region: string;
  accountId: string;
  partition: string;
  services: ServiceSpec[];
  tags: Record<string, string>;
}

/** Days a deleted secret stays recoverable; dev lets a stack be torn down and rebuilt at once. */
const recoveryWindowDays: Record<Tier, number> = { dev: 0, staging: 7, prod: 30 };

/** What a principal needs to use a key for envelope encryption (not to manage it). */
export const keyUseActions = [
  'kms:Encrypt',
  'kms:Decrypt',
  'kms:ReEncrypt*',
  'kms:GenerateDataKey*',
  'kms:DescribeKey',
];

/**
 * Customer-managed keys and the services' secrets. Two keys, so that the cluster's key guards only
 * Kubernetes Secrets (its grants go to the EKS service alone) while the data key covers everything
 * at rest that belongs to the environment: RDS, ECR, CloudWatch Logs, Secrets Manager and node volumes.
 */
export class Keys extends pulumi.ComponentResource {
  readonly clusterKeyArn: pulumi.Output<string>;
  readonly dataKeyArn: pulumi.Output<string>;
  readonly dataKeyId: pulumi.Output<string>;
  /** Secret ARN per service that declares secrets; the values are put there out of band. */
  readonly secretArns: Record<string, pulumi.Output<string>>;

  constructor(name: string, args: KeysArgs, opts?: pulumi.ComponentResourceOptions) {
    super('slipway:platform:Keys', name, {}, opts);
    const child = { parent: this };
    const root = `arn:${args.partition}:iam::${args.accountId}:root`;
    const accountAdmin = {
      Sid: 'AccountAdministers',
      Effect: 'Allow',
      Principal: { AWS: root },
      Action: 'kms:*',
      Resource: '*',
    };

    const clusterKey = new aws.kms.Key(
      `${name}-cluster`,
      {
        description: `${args.prefix}: envelope encryption of Kubernetes Secrets`,
        enableKeyRotation: true,
        deletionWindowInDays: 30,
        policy: JSON.stringify({ Version: '2012-10-17', Statement: [accountAdmin] }),
        tags: args.tags,
      },
      child,
    );
    const dataKey = new aws.kms.Key(
      `${name}-data`,
      {
        description: `${args.prefix}: RDS, ECR, logs, Secrets Manager and node volumes`,
        enableKeyRotation: true,
        deletionWindowInDays: 30,
        policy: JSON.stringify({
          Version: '2012-10-17',
          Statement: [
            accountAdmin,
            {
              // CloudWatch Logs encrypts log groups itself, but only log groups of this account.
              Sid: 'CloudWatchLogsEncrypt',
              Effect: 'Allow',
              Principal: { Service: `logs.${args.region}.amazonaws.com` },
              Action: [
                'kms:Encrypt*',
                'kms:Decrypt*',
                'kms:ReEncrypt*',
                'kms:GenerateDataKey*',
                'kms:Describe*',
              ],
              Resource: '*',
              Condition: {
                ArnLike: {
                  'kms:EncryptionContext:aws:logs:arn': `arn:${args.partition}:logs:${args.region}:${args.accountId}:log-group:*`,
                },
              },
            },
            {
              // EC2 Auto Scaling launches the node groups' encrypted volumes with its service-linked role.
              Sid: 'AutoScalingUsesKeyForVolumes',
              Effect: 'Allow',
              Principal: {
                AWS: `arn:${args.partition}:iam::${args.accountId}:role/aws-service-role/autoscaling.amazonaws.com/AWSServiceRoleForAutoScaling`,
              },
              Action: [...keyUseActions, 'kms:CreateGrant'],
              Resource: '*',
            },
          ],
        }),
        tags: args.tags,
      },
      child,
    );
    new aws.kms.Alias(
      `${name}-cluster-alias`,
      { name: `alias/${args.prefix}-cluster`, targetKeyId: clusterKey.keyId },
      child,
    );
    new aws.kms.Alias(
      `${name}-data-alias`,
      { name: `alias/${args.prefix}-data`, targetKeyId: dataKey.keyId },
      child,
    );

    this.secretArns = {};
    for (const service of args.services.filter(readsOwnSecret)) {
      const secret = new aws.secretsmanager.Secret(
        `${name}-${service.name}`,
        {
          name: `${args.prefix}/${service.name}`,
          description: `Keys ${ownSecretKeys(service).join(', ')} for ${service.name}; values are set out of band`,
          kmsKeyId: dataKey.arn,
          recoveryWindowInDays: recoveryWindowDays[args.tier],
          tags: { ...args.tags, service: service.name },
        },
        child,
      );
      new aws.secretsmanager.SecretPolicy(
        `${name}-${service.name}-policy`,
        {
          secretArn: secret.arn,
          blockPublicPolicy: true,
          policy: pulumi.jsonStringify({
            Version: '2012-10-17',
            Statement: accountAndTlsOnly('secretsmanager', '*', args.accountId),
          }),
        },
        child,
      );
      this.secretArns[service.name] = secret.arn;
    }

    this.clusterKeyArn = clusterKey.arn;
    this.dataKeyArn = dataKey.arn;
    this.dataKeyId = dataKey.keyId;
    this.registerOutputs({
      clusterKeyArn: this.clusterKeyArn,
      dataKeyArn: this.dataKeyArn,
      secretArns: this.secretArns,
    });
  }
}
