import type { ResourceChange } from '../preview/change-summary';

/**
 * What the engine writes into its events where a value is known only once the update runs (pulumi/pulumi,
 * sdk/go/common/resource/stack/deployment.go, computedValuePlaceholder).
 */
export const unknownValue = '04da6b54-80e4-46f7-96ec-b56ff0331ba9';

/**
 * How what `up` applied differs from the change set that was approved (the preview deploy compared with the
 * approval), one line per resource; empty when they agree. A value the preview could not know matches
 * whatever up applied; anything else must be equal: the resources, their operations and their inputs.
 */
export function appliedDifferences(
  approved: readonly ResourceChange[],
  applied: readonly ResourceChange[],
): string[] {
  const expected = new Map(approved.map((change) => [change.urn, change]));
  const differences: string[] = [];
  for (const change of applied) {
    const wanted = expected.get(change.urn);
    expected.delete(change.urn);
    if (!wanted) {
      differences.push(`${change.name} (${change.type}): ${change.op} was applied but not approved`);
    } else if (wanted.op !== change.op) {
      differences.push(`${change.name} (${change.type}): approved ${wanted.op}, applied ${change.op}`);
    } else {
      const path = firstDifference(wanted.inputs, change.inputs, '');
      if (path !== undefined)
        differences.push(
          `${change.name} (${change.type}): ${path ? `input ${path} differs from the approved value` : 'its inputs differ from the approved ones'}`,
        );
    }
  }
  for (const missing of expected.values())
    differences.push(`${missing.name} (${missing.type}): approved ${missing.op} was not applied`);
  return differences;
}

/** The first property path where `applied` differs from `approved` (unknowns match anything), or undefined. */
function firstDifference(approved: unknown, applied: unknown, path: string): string | undefined {
  if (approved === unknownValue) return undefined;
  if (Array.isArray(approved)) {
    if (!Array.isArray(applied) || applied.length !== approved.length) return path;
    for (const [index, item] of approved.entries()) {
      const found = firstDifference(item, applied[index], `${path}[${index}]`);
      if (found !== undefined) return found;
    }
    return undefined;
  }
  if (approved && typeof approved === 'object') {
    if (!applied || typeof applied !== 'object' || Array.isArray(applied)) return path;
    const a = approved as Record<string, unknown>;
    const b = applied as Record<string, unknown>;
    for (const key of new Set([...Object.keys(a), ...Object.keys(b)])) {
      const found = firstDifference(a[key], b[key], path ? `${path}.${key}` : key);
      if (found !== undefined) return found;
    }
    return undefined;
  }
  return approved === applied ? undefined : path;
}
