import * as pulumi from '@pulumi/pulumi';
import { secretPlaceholder } from '../offline/stack-files';

/**
 * Key names whose values are credentials. The offline engine never sees a real secret (secure config
 * is already the placeholder), but a program can still write a literal or derived value under such a
 * key, and the plan's output goes to PR comments; matching names costs nothing and fails safe. Anchored
 * at the end, so names and references *of* secrets (secretArn, secretName, secretKeyRef) stay readable.
 */
const secretKeyPattern =
  /(password|passwd|secret|token|api[-_]?key|private[-_]?key|secret[-_]?(access[-_]?)?key|credentials?|kubeconfig)$/i;

// A password written into a URL (`postgres://app:hunter2@db/app`) hides under any key name, DATABASE_URL
// say: the scheme, user and host stay readable, the password goes.
const urlPassword = /(\b[a-z][\w+.-]*:\/\/[^/\s:@]*:)[^@\s/]+@/gi;

export function looksSecret(key: string): boolean {
  return secretKeyPattern.test(key);
}

/**
 * Returns a copy with every value that could hold a secret replaced by the placeholder: values of
 * secret-looking keys, `value` next to a secret-looking `name` (container env entries), passwords inside
 * URLs, the data
 * of Kubernetes Secrets, and every value the program marked secret (`pulumi.secret`, which reaches the
 * mocks wrapped in Pulumi's secret envelope). Internal Pulumi bookkeeping keys (`__defaults`) are dropped.
 */
export function redactSecrets(value: unknown): unknown {
  return redact(value, undefined);
}

function redact(value: unknown, key: string | undefined): unknown {
  if (Array.isArray(value)) return value.map((item) => redact(item, key));
  if (value === null || typeof value !== 'object') {
    if (key !== undefined && looksSecret(key) && isScalarSecret(value)) return secretPlaceholder;
    return typeof value === 'string' ? value.replace(urlPassword, `$1${secretPlaceholder}@`) : value;
  }
  const object = value as Record<string, unknown>;
  if (isSecretEnvelope(object)) return secretPlaceholder;
  const isKubernetesSecret = object.kind === 'Secret' && typeof object.apiVersion === 'string';
  const namedSecret = typeof object.name === 'string' && looksSecret(object.name);
  const result: Record<string, unknown> = {};
  for (const [childKey, child] of Object.entries(object)) {
    if (childKey.startsWith('__')) continue;
    if (isKubernetesSecret && (childKey === 'data' || childKey === 'stringData')) {
      // The keys say which secrets the object carries and are kept; only the values go.
      const data = isSecretEnvelope(child) ? child.value : child;
      result[childKey] = redactValues(data);
    } else if (namedSecret && childKey === 'value' && isScalarSecret(child)) {
      result[childKey] = secretPlaceholder;
    } else {
      result[childKey] = redact(child, childKey);
    }
  }
  return result;
}

function isSecretEnvelope(value: unknown): value is { value: unknown } {
  return (
    typeof value === 'object' &&
    value !== null &&
    (value as Record<string, unknown>)[pulumi.runtime.specialSigKey] === pulumi.runtime.specialSecretSig
  );
}

/** Booleans, numbers and empty strings carry no secret: `manageMasterUserPassword: true` stays readable. */
function isScalarSecret(value: unknown): boolean {
  return typeof value === 'string' && value.length > 0;
}

function redactValues(value: unknown): unknown {
  if (value === null || typeof value !== 'object' || Array.isArray(value)) return secretPlaceholder;
  return Object.fromEntries(Object.keys(value).map((k) => [k, secretPlaceholder]));
}
