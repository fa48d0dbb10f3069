import type { RecordedResource } from '../offline/engine';
import { childPath, isRecord } from './paths';
import { isSecretEnvelope, redactSecrets } from './redact';

/**
 * Attributes that name or locate a resource (its ID, ARN, endpoint, URL, generated name): what other
 * resources read from it. Anything else the provider computes (a generated password's `result`, a
 * kubeconfig) is left out, so no computed secret can reach the plan through this list.
 */
const identityKey = /^(id|arn|name|bucket|url|address|endpoints?)$|(Id|Arn|Url|Address|Issuer|Endpoints?)$/;

// Shorter values (a port, "active") would match inside unrelated strings.
const shortest = 8;

/**
 * The values the provider assigns to a resource that none of its inputs state: its ID and the identity
 * attributes it computes. When the resource is replaced these are unknown until the engine has made the
 * new one; a value an input states (a fixed name) is known in the preview and is left out.
 */
export function assignedValues(
  resource: RecordedResource,
  redactedInputs: Record<string, unknown>,
): string[] {
  if (resource.type === 'pulumi:pulumi:StackReference') return [];
  const stated = new Set(stringLeaves(redactedInputs).map(([, value]) => value));
  const candidates = [
    ...(resource.id === undefined ? [] : [resource.id]),
    ...stringLeaves(resource.computed ?? {})
      .filter(([key]) => identityKey.test(key))
      .map(([, value]) => value),
  ];
  const assigned = new Set<string>();
  for (const value of candidates) {
    // Redaction would change a value that looks like a credential: such a value is not listed at all.
    if (value.length < shortest || stated.has(value) || redactSecrets(value) !== value) continue;
    assigned.add(value);
  }
  return [...assigned];
}

/** Every string in a value with the key it is under (the parent's key for array items). */
function stringLeaves(value: unknown, key = ''): [string, string][] {
  if (typeof value === 'string') return [[key, value]];
  if (Array.isArray(value)) return value.flatMap((item) => stringLeaves(item, key));
  if (typeof value === 'object' && value !== null) {
    return Object.entries(value).flatMap(([child, item]) => stringLeaves(item, child));
  }
  return [];
}

/**
 * For each secret input (a value the program marked secret), the resources whose assigned values it
 * holds. Read from the raw inputs, before redaction, and only names of resources leave this function.
 */
export function secretReads(
  inputs: Record<string, unknown>,
  assignedByResource: Map<string, string[]>,
  self: string,
): Record<string, string[]> {
  const reads: Record<string, string[]> = {};
  const visit = (value: unknown, path: string): void => {
    if (isSecretEnvelope(value)) {
      const text = JSON.stringify(value.value) ?? '';
      const read = [...assignedByResource]
        .filter(([key, values]) => key !== self && values.some((one) => text.includes(one)))
        .map(([key]) => key);
      if (read.length > 0) reads[path] = read;
    } else if (Array.isArray(value)) value.forEach((item, index) => visit(item, `${path}[${index}]`));
    else if (isRecord(value)) {
      for (const [key, item] of Object.entries(value))
        if (!key.startsWith('__')) visit(item, childPath(path, key));
    }
  };
  visit(inputs, '');
  return reads;
}
