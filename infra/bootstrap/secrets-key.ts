import * as aws from '@pulumi/aws';
import * as pulumi from '@pulumi/pulumi';
import { stackSecretsKeyPolicy } from './key-policy';
import { stackTagKey } from './permissions';

export interface SecretsKeyArgs {
  project: string;
  /** The environment whose stack's secrets this key encrypts; its name is in the alias and the tags. */
  environment: string;
  /** ARNs (or ARN patterns) of the principals that may use the key: its deploy role, readers, people. */
  users: string[];
  accountId: string;
  partition: string;
  region: string;
  tags: Record<string, string>;
}

/**
 * The key one environment's stack encrypts its secret config with (`--secrets-provider awskms://…`), so
 * no passphrase has to be shared and no Pulumi Cloud account is needed. One key per environment: the awskms
 * provider wraps a stack's data key with no encryption context, so only separate keys keep one
 * environment's secrets from another's readers.
 */
export class SecretsKey extends pulumi.ComponentResource {
  readonly keyArn: pulumi.Output<string>;
  readonly aliasName: pulumi.Output<string>;
  /** What `pulumi stack init --secrets-provider` takes. */
  readonly secretsProvider: pulumi.Output<string>;

  constructor(name: string, args: SecretsKeyArgs, opts?: pulumi.ComponentResourceOptions) {
    super('slipway:bootstrap:SecretsKey', name, {}, opts);
    const key = new aws.kms.Key(
      `${name}-key`,
      {
        description: `${args.project}: Pulumi stack secrets of ${args.environment}`,
        enableKeyRotation: true,
        deletionWindowInDays: 30,
        policy: JSON.stringify(stackSecretsKeyPolicy(args.partition, args.accountId, args.users)),
        tags: { ...args.tags, [stackTagKey]: args.environment },
      },
      // Losing this key loses every stack's secrets.
      { parent: this, protect: true },
    );
    const alias = new aws.kms.Alias(
      `${name}-alias`,
      { name: `alias/${args.project}-${args.environment}-pulumi-secrets`, targetKeyId: key.keyId },
      { parent: this },
    );
    this.keyArn = key.arn;
    this.aliasName = alias.name;
    this.secretsProvider = pulumi.interpolate`awskms://${alias.name}?region=${args.region}`;
    this.registerOutputs({
      keyArn: this.keyArn,
      aliasName: this.aliasName,
      secretsProvider: this.secretsProvider,
    });
  }
}
