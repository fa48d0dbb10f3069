import type { ServiceSpec } from './services';

/** One key a service reads from Secrets Manager and where it lands in the pod. */
export interface SecretUse {
  /** The key (JSON property) in the Secrets Manager secret. */
  key: string;
  /** The existing secret it comes from (name or ARN); the service's own secret when undefined. */
  from?: string;
  /** The key of the Kubernetes Secret the operator writes: the variable name, or the file's. */
  secretKey: string;
}

const uses = (service: ServiceSpec) =>
  service.secrets.map((secret) =>
    typeof secret === 'string' ? { key: secret, env: secret, from: undefined, file: undefined } : secret,
  );

/** Keys that become environment variables (through the `<svc>-secrets` Secret and envFrom). */
export const secretEnvNames = (service: ServiceSpec): SecretUse[] =>
  uses(service).flatMap((use) =>
    use.env === undefined ? [] : [{ key: use.key, from: use.from, secretKey: use.env }],
  );

/** Keys that become read-only files (through the `<svc>-secret-files` Secret), by mount path. */
export const secretFiles = (service: ServiceSpec): (SecretUse & { file: string })[] =>
  uses(service).flatMap((use) =>
    use.file === undefined
      ? []
      : [{ key: use.key, from: use.from, file: use.file, secretKey: use.file.slice(1).replaceAll('/', '_') }],
  );

/** Whether the service reads any key of its own Secrets Manager secret (so the platform creates it). */
export const readsOwnSecret = (service: ServiceSpec) => uses(service).some((use) => use.from === undefined);

/** The keys a service reads from its own secret, each once. */
export const ownSecretKeys = (service: ServiceSpec): string[] => [
  ...new Set(uses(service).flatMap((use) => (use.from === undefined ? [use.key] : []))),
];

/** The existing secrets (names or ARNs) a service names, each once, in the order it names them. */
export const referencedSecrets = (service: ServiceSpec): string[] => [
  ...new Set(uses(service).flatMap((use) => (use.from === undefined ? [] : [use.from]))),
];

/**
 * The IAM resource of a referenced secret. An ARN is exact; a name matches the ARN Secrets Manager
 * gives it, which ends in `-` and six random characters.
 */
export function referencedSecretArn(
  reference: string,
  where: { partition: string; region: string; accountId: string },
): string {
  if (reference.startsWith('arn:')) return reference;
  return `arn:${where.partition}:secretsmanager:${where.region}:${where.accountId}:secret:${reference}-??????`;
}
