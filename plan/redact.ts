import * as pulumi from '@pulumi/pulumi';
import { secretPlaceholder } from '../offline/stack-files';
import { looksGenerated, redactSecretValues } from './secret-values';

/**
 * Key names whose values are credentials. The offline engine never sees a real secret (secure config
 * is already the placeholder), but a program can still write a literal or derived value under such a
 * key, and the plan's output goes to PR comments; matching names costs nothing and fails safe. Anchored
 * at the end, so names and references *of* secrets (secretArn, secretName, secretKeyRef) stay readable.
 */
const secretKeyPattern =
  /(password|passwd|(^|[^a-z])pass|pwd|secret|token|api[-_]?key|private[-_]?key|(tls|ssl|signing|encryption)[-_]?key|secret[-_]?(access[-_]?)?key|credentials?|kubeconfig)$/i;

/**
 * Keys under which a generated credential is likely even when the key's name does not say so: a value
 * there that looks generated (long, mixed, high entropy) is redacted. Environment values and ConfigMap
 * data are such places too.
 */
const secretPlacePattern = /(key|auth|signing|salt|hmac|cookie|session|seed|cert|credential)/i;

export function looksSecret(key: string): boolean {
  return secretKeyPattern.test(key);
}

/**
 * Returns a copy with every value that could hold a secret replaced by the placeholder: values of
 * secret-looking keys, `value` next to a secret-looking `name` (container env entries), secrets found by
 * value under any key (token formats, PEM keys, URL passwords, their URL-encoded and base64 spellings;
 * see secret-values.ts), generated-looking values in environment entries and ConfigMap data, the data
 * of Kubernetes Secrets, and every value the program marked secret (`pulumi.secret`, which reaches the
 * mocks wrapped in Pulumi's secret envelope). Internal Pulumi bookkeeping keys (`__defaults`) are dropped.
 */
export function redactSecrets(value: unknown): unknown {
  return redact(value, undefined, false);
}

/** Whether `key` names a secret (not merely the name of one: see nameFields). */
function secretUnder(key: string | undefined, object?: Record<string, unknown>): boolean {
  if (key === undefined || !looksSecret(key)) return false;
  // An ExternalSecret's `data[].secretKey` is the name of a key in the Secret it makes, not a secret:
  // rewriting it made `kubectl apply` of the plan's manifests create duplicated, invalid keys.
  return !(key === 'secretKey' && object !== undefined && 'remoteRef' in object);
}

function redact(
  value: unknown,
  key: string | undefined,
  secretPlace: boolean,
  parent?: Record<string, unknown>,
): unknown {
  if (Array.isArray(value)) return value.map((item) => redact(item, key, secretPlace));
  if (value === null || typeof value !== 'object') {
    if (secretUnder(key, parent) && isScalarSecret(value)) return secretPlaceholder;
    if (typeof value !== 'string') return value;
    const place = secretPlace || (key !== undefined && secretPlacePattern.test(key) && key !== 'secretKey');
    if (place && looksGenerated(value)) return secretPlaceholder;
    return redactSecretValues(value);
  }
  const object = value as Record<string, unknown>;
  if (isSecretEnvelope(object)) return secretPlaceholder;
  const isKubernetesSecret = object.kind === 'Secret' && typeof object.apiVersion === 'string';
  const isConfigMap = object.kind === 'ConfigMap' && typeof object.apiVersion === 'string';
  const namedSecret = typeof object.name === 'string' && looksSecret(object.name);
  // `{name, value}` is a container environment entry: its value is where secrets get pasted.
  const isEnvEntry = typeof object.name === 'string' && 'value' in object;
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
      const place =
        (isEnvEntry && childKey === 'value') ||
        (isConfigMap && (childKey === 'data' || childKey === 'binaryData'));
      result[childKey] = redact(child, childKey, place || (secretPlace && typeof child === 'object'), object);
    }
  }
  return result;
}

/** A value the program marked secret, as it reaches the mocks: Pulumi's envelope around the value. */
export function isSecretEnvelope(value: unknown): value is { value: unknown } {
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
