import * as aws from '@pulumi/aws';
import * as pulumi from '@pulumi/pulumi';
import * as random from '@pulumi/random';
import type { Tier } from '../config/tiers';
import { accountAndTlsOnly } from '../resource-policy';

/** Days a deleted secret stays recoverable; dev lets a stack be torn down and rebuilt at once. */
export const recoveryWindowDays: Record<Tier, number> = { dev: 0, staging: 7, prod: 30 };

/**
 * A generated password: letters and digits only, so it needs no escaping in a URL, a shell, SQL or
 * Amazon MQ (which refuses `,:=`), and 32 of them (190 bits) make up for the smaller alphabet.
 * Rotate it with `pulumi up --replace <its URN>`.
 */
export function generatedPassword(name: string, opts: pulumi.CustomResourceOptions): random.RandomPassword {
  return new random.RandomPassword(name, { length: 32, special: false, minNumeric: 2, minUpper: 2 }, opts);
}

export interface StoredSecretArgs {
  /** Secrets Manager name, `<prefix>/data/<store>/<service>`. */
  secretName: string;
  description: string;
  /** The JSON the secret holds; a secret Output, since it carries a password. */
  value: pulumi.Input<string>;
  kmsKeyArn: pulumi.Input<string>;
  accountId: string;
  tier: Tier;
  tags: Record<string, string>;
}

/**
 * A Secrets Manager secret encrypted with the data key, closed to other accounts and to plain HTTP,
 * holding one value. Returns the secret and the version the value was written as (which changes
 * when the value does, so readers can tell a rotation).
 */
export function storedSecret(
  name: string,
  args: StoredSecretArgs,
  opts: pulumi.CustomResourceOptions,
): { secret: aws.secretsmanager.Secret; version: aws.secretsmanager.SecretVersion } {
  const secret = new aws.secretsmanager.Secret(
    name,
    {
      name: args.secretName,
      description: args.description,
      kmsKeyId: args.kmsKeyArn,
      recoveryWindowInDays: recoveryWindowDays[args.tier],
      tags: args.tags,
    },
    opts,
  );
  new aws.secretsmanager.SecretPolicy(
    `${name}-policy`,
    {
      secretArn: secret.arn,
      blockPublicPolicy: true,
      policy: JSON.stringify({
        Version: '2012-10-17',
        Statement: accountAndTlsOnly('secretsmanager', '*', args.accountId),
      }),
    },
    opts,
  );
  const version = new aws.secretsmanager.SecretVersion(
    `${name}-value`,
    { secretId: secret.id, secretString: pulumi.secret(args.value) },
    opts,
  );
  return { secret, version };
}

/**
 * What a service's credential secret holds, in the shape AWS's own rotation functions use
 * (`engine`, `host`, `port`, `username`, `password`, `dbname`), plus `vhost` for RabbitMQ.
 */
export interface CredentialDocument {
  engine: string;
  host: string;
  port: number;
  username: string;
  password: string;
  dbname?: string;
  vhost?: string;
}
