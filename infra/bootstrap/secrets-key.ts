import * as aws from '@pulumi/aws';
import * as pulumi from '@pulumi/pulumi';
import { accountKeyPolicy } from './key-policy';

export interface SecretsKeyArgs {
  project: string;
  accountId: string;
  partition: string;
  region: string;
  tags: Record<string, string>;
}

/**
 * The key the platform's stacks encrypt their secret config with (`--secrets-provider awskms://…`), so
 * no passphrase has to be shared and no Pulumi Cloud account is needed.
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
        description: `${args.project}: Pulumi stack secrets`,
        enableKeyRotation: true,
        deletionWindowInDays: 30,
        policy: JSON.stringify(accountKeyPolicy(args.partition, args.accountId)),
        tags: args.tags,
      },
      // Losing this key loses every stack's secrets.
      { parent: this, protect: true },
    );
    const alias = new aws.kms.Alias(
      `${name}-alias`,
      { name: `alias/${args.project}-pulumi-secrets`, targetKeyId: key.keyId },
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
