import * as pulumi from '@pulumi/pulumi';
import { readsOwnSecret, referencedSecretArn, referencedSecrets } from '../config/secret-uses';
import type { ServiceSpec } from '../config/services';
import { credentialedUses, type DataAccess } from './data-access';
import { externalSecretsApiVersion } from './external-secrets';
import { serviceLabels } from './names';

/**
 * One secret store per service. A ClusterSecretStore would authenticate every ExternalSecret as one
 * identity that reads every service's secret; here each service's SecretStore authenticates as a
 * reader account of its own, whose IRSA role reads exactly the secrets that service's ExternalSecrets
 * name. The operator itself then holds no AWS identity and can read nothing, the data stores' master
 * secrets included.
 */

/** The SecretStore of a service: named after it, in its namespace. */
export const secretStoreName = (service: string) => service;

/**
 * The service account a service's SecretStore authenticates as; no pod runs as it. The dot keeps it
 * apart from every service's own account: service names are DNS labels, which have no dot.
 */
export const secretReaderAccountName = (service: string) => `${service}.secret-reader`;

/** Its IAM role's name: `<rolePrefix>-<service>.secret-reader`, beside the pods' `<rolePrefix>-<service>`. */
export const secretReaderRoleName = (rolePrefix: string, service: string) =>
  `${rolePrefix}-${secretReaderAccountName(service)}`;

/** The account and partition the stack runs in, where a secret named without its ARN lives. */
export interface SecretAccount {
  partition: string;
  accountId: string;
  region: string;
}

/** The partition and account of an ARN (`arn:<partition>:<service>:<region>:<account>:…`). */
export function accountOfArn(arn: string): { partition: string; accountId: string } {
  const [prefix, partition, , , accountId] = arn.split(':');
  if (prefix !== 'arn' || !partition || !accountId) throw new Error(`${arn}: not an ARN with an account`);
  return { partition, accountId };
}

/**
 * Every Secrets Manager secret the service's ExternalSecrets name: its own secret when it reads a key
 * of it, each existing secret it names (`from`), and its own credential for each data store it uses.
 * Empty when it pulls no secret: then it gets no store, no reader account and no role.
 */
export function secretsReadBy(
  service: ServiceSpec,
  sources: { ownSecretArn?: pulumi.Input<string>; data: DataAccess; account: SecretAccount },
): pulumi.Input<string>[] {
  const own = readsOwnSecret(service) ? [ownSecretArnOf(service, sources.ownSecretArn)] : [];
  const named = referencedSecrets(service).map((reference) =>
    referencedSecretArn(reference, sources.account),
  );
  const credentials = credentialedUses(service, sources.data).map((store) => {
    const credential = sources.data.credentials[service.name]?.[store];
    if (!credential)
      throw new Error(`${service.name} uses ${store} but the platform has no credential for it`);
    return credential.secretArn;
  });
  return [...own, ...named, ...credentials];
}

function ownSecretArnOf(service: ServiceSpec, arn: pulumi.Input<string> | undefined) {
  if (!arn) throw new Error(`${service.name} declares secrets but has no secret ARN`);
  return arn;
}

export interface SecretReaderAccess {
  secretArns: pulumi.Input<string>[];
  /** The KMS key the secrets are encrypted with. */
  secretsKeyArn: pulumi.Input<string>;
  region: string;
}

/**
 * The permissions of a service's secret-reader role: read exactly its secrets, and decrypt with the
 * shared data key only through Secrets Manager and only for those secrets (Secrets Manager puts the
 * secret's ARN in the encryption context), so the key opens no other service's secret for it. A secret
 * named without its ARN matches as `<name>-??????` (Secrets Manager's random suffix), hence StringLike.
 */
export function secretReaderPolicyDocument(access: SecretReaderAccess): pulumi.Output<string> {
  return pulumi.all([pulumi.all(access.secretArns), access.secretsKeyArn]).apply(([arns, keyArn]) => {
    const secrets = [...new Set(arns)].sort();
    return JSON.stringify({
      Version: '2012-10-17',
      Statement: [
        {
          Sid: 'ReadOwnSecrets',
          Effect: 'Allow',
          Action: ['secretsmanager:GetSecretValue', 'secretsmanager:DescribeSecret'],
          Resource: secrets,
        },
        {
          Sid: 'DecryptOwnSecrets',
          Effect: 'Allow',
          Action: 'kms:Decrypt',
          Resource: keyArn,
          Condition: {
            StringEquals: { 'kms:ViaService': `secretsmanager.${access.region}.amazonaws.com` },
            StringLike: { 'kms:EncryptionContext:SecretARN': secrets },
          },
        },
      ],
    });
  });
}

/** The reader account: annotated with its role for the operator's token exchange, no token mounted. */
export function secretReaderAccountManifest(
  service: string,
  namespace: string,
  environment: string,
  roleArn: pulumi.Input<string>,
) {
  return {
    apiVersion: 'v1' as const,
    kind: 'ServiceAccount' as const,
    metadata: {
      name: secretReaderAccountName(service),
      namespace,
      labels: serviceLabels(service, environment),
      annotations: { 'eks.amazonaws.com/role-arn': roleArn },
    },
    automountServiceAccountToken: false,
  };
}

/**
 * The service's SecretStore: Secrets Manager in the stack's region, authenticated as the service's
 * reader account. The operator asks the API server for that account's token (audience
 * `sts.amazonaws.com`) and trades it at STS for the role the account's annotation names (IRSA).
 */
export function secretStoreManifest(service: string, namespace: string, environment: string, region: string) {
  return {
    apiVersion: externalSecretsApiVersion,
    kind: 'SecretStore',
    metadata: { name: secretStoreName(service), namespace, labels: serviceLabels(service, environment) },
    spec: {
      provider: {
        aws: {
          service: 'SecretsManager',
          region,
          auth: { jwt: { serviceAccountRef: { name: secretReaderAccountName(service) } } },
        },
      },
    },
  };
}
