import {
  resourceKey,
  type ChangeKind,
  type PlanDiff,
  type OutputChange,
  type PlanResource,
  type PropertyChange,
  type ResourceChange,
  type StackPlan,
} from './model';
import { childPath, isRecord } from './paths';
import { outputReplacementEffects, withReplacementEffects } from './propagation';
import { redactSecrets } from './redact';
import { forcesReplacement } from './replacement';

/**
 * What changes from the stack at `base` to `current`: resources matched by identity (type and name),
 * then their inputs compared property by property, then what each replacement changes in the resources
 * that read it (propagation.ts). Both sides are redacted again here: the base side
 * comes from another revision's plan, which may redact less than this one.
 */
export function diffPlans(base: StackPlan, current: StackPlan, baseRef: string): PlanDiff {
  const before = new Map(base.resources.map((r) => [resourceKey(r), r]));
  const after = new Map(current.resources.map((r) => [resourceKey(r), r]));
  const changes: ResourceChange[] = [];

  for (const [key, resource] of after) {
    const old = before.get(key);
    if (!old) {
      changes.push({ kind: 'create', type: resource.type, name: resource.name, properties: [] });
      continue;
    }
    const properties = propertyChanges(old, resource);
    if (properties.length === 0) continue;
    const kind = properties.some((p) => p.forcesReplacement) ? 'replace' : 'update';
    changes.push({ kind, type: resource.type, name: resource.name, properties });
  }
  for (const [key, resource] of before) {
    if (!after.has(key)) {
      changes.push({ kind: 'delete', type: resource.type, name: resource.name, properties: [] });
    }
  }

  const all = withReplacementEffects(changes, base, current);
  all.sort((a, b) => kindOrder.indexOf(a.kind) - kindOrder.indexOf(b.kind) || byIdentity(a, b));
  const counts = Object.fromEntries(kindOrder.map((k) => [k, 0])) as Record<ChangeKind, number>;
  for (const change of all) counts[change.kind] += 1;
  const changedOutputs: OutputChange[] = [];
  walk(redactSecrets(base.outputs), redactSecrets(current.outputs), '', (path, old, now) =>
    changedOutputs.push({
      path,
      ...(old === undefined ? {} : { old }),
      ...(now === undefined ? {} : { new: now }),
    }),
  );
  const outputs = [...changedOutputs, ...outputReplacementEffects(all, current, changedOutputs)].sort(
    (a, b) => a.path.localeCompare(b.path),
  );
  return {
    project: current.project,
    stack: current.stack,
    base: baseRef,
    changes: all,
    counts,
    ...(outputs.length > 0 ? { outputs } : {}),
  };
}

export const kindOrder: ChangeKind[] = ['create', 'update', 'replace', 'delete'];

const byIdentity = (a: ResourceChange, b: ResourceChange) =>
  a.type.localeCompare(b.type) || a.name.localeCompare(b.name);

function propertyChanges(old: PlanResource, current: PlanResource): PropertyChange[] {
  const changes: PropertyChange[] = [];
  walk(redactSecrets(old.inputs), redactSecrets(current.inputs), '', (path, before, after) =>
    changes.push({
      path,
      ...(before === undefined ? {} : { old: before }),
      ...(after === undefined ? {} : { new: after }),
      forcesReplacement: forcesReplacement(current.type, path),
    }),
  );
  return changes;
}

/**
 * Compares two values and reports each differing leaf with its path (`spec.template.spec.containers[0].image`).
 * Objects compare key by key and arrays index by index; where one side is not a container the whole
 * value is the change.
 */
function walk(
  before: unknown,
  after: unknown,
  path: string,
  report: (path: string, before: unknown, after: unknown) => void,
): void {
  if (Array.isArray(before) && Array.isArray(after)) {
    for (let i = 0; i < Math.max(before.length, after.length); i++) {
      walk(before[i], after[i], `${path}[${i}]`, report);
    }
    return;
  }
  if (isRecord(before) && isRecord(after)) {
    for (const key of new Set([...Object.keys(before), ...Object.keys(after)])) {
      walk(before[key], after[key], childPath(path, key), report);
    }
    return;
  }
  if (!equal(before, after)) report(path, before, after);
}

function equal(a: unknown, b: unknown): boolean {
  return JSON.stringify(a) === JSON.stringify(b);
}
