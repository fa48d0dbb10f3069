import { resourceKey, type OutputChange, type ResourceChange, type StackPlan } from './model';
import { stringPaths } from './paths';
import { redactSecrets } from './redact';
import { forcesReplacement } from './replacement';

/**
 * What a replacement does to the resources that read it. The offline engine derives IDs from type and
 * name, so a replaced subnet keeps its offline ID and nothing that references it would show a change;
 * the engine instead knows the new subnet's ID only once it exists, and `pulumi preview` shows every
 * input holding it as unknown: an update, or a replacement where the input cannot change in place (a
 * NAT gateway's subnet), which in turn reaches that one's readers. This does the same with the values the
 * offline engine assigned (`PlanResource.assigned`, and `secretReads` for what a secret holds), until nothing more changes, so the counts and the
 * blast radius are what a preview would report. Resources created or deleted are left as they are.
 */
export function withReplacementEffects(
  changes: ResourceChange[],
  base: StackPlan,
  current: StackPlan,
): ResourceChange[] {
  const queue = changes.filter((change) => change.kind === 'replace').map(resourceKey);
  // Most diffs replace nothing: then no reader's inputs need flattening.
  if (queue.length === 0) return changes;
  const existed = new Set(base.resources.map(resourceKey));
  const byKey = new Map(changes.map((c) => [resourceKey(c), { ...c, properties: [...c.properties] }]));
  const readers = current.resources
    .filter((resource) => existed.has(resourceKey(resource)))
    .map((resource) => ({ resource, paths: stringPaths(redactSecrets(resource.inputs)) }));
  const currentByKey = new Map(current.resources.map((resource) => [resourceKey(resource), resource]));
  const followed = new Set<string>();

  while (queue.length > 0) {
    const key = queue.shift() ?? '';
    if (followed.has(key)) continue;
    followed.add(key);
    const replaced = currentByKey.get(key);
    const assigned = replaced?.assigned ?? [];
    if (!replaced || assigned.length === 0) continue;
    const unknown = `[known after ${replaced.name} is replaced]`;
    for (const { resource, paths } of readers) {
      const readerKey = resourceKey(resource);
      if (readerKey === key) continue;
      for (const [path, value] of paths) {
        const held = assigned.filter((one) => value.includes(one));
        const inSecret = resource.secretReads?.[path]?.includes(key) ?? false;
        if (held.length === 0 && !inSecret) continue;
        let change = byKey.get(readerKey);
        if (!change) {
          change = { kind: 'update', type: resource.type, name: resource.name, properties: [] };
          byKey.set(readerKey, change);
        }
        // A property that changes anyway already shows its new value.
        if (change.properties.some((property) => property.path === path)) continue;
        const forces = forcesReplacement(resource.type, path);
        change.properties.push({
          path,
          old: value,
          // A secret shows no part of its value: only that it changes.
          new: inSecret ? unknown : held.reduce((text, one) => text.split(one).join(unknown), value),
          forcesReplacement: forces,
          after: key,
        });
        if (forces && change.kind === 'update') {
          change.kind = 'replace';
          queue.push(readerKey);
        }
      }
    }
  }
  return [...byKey.values()];
}

/**
 * The stack outputs that hold a replaced resource's assigned values (a replaced subnet's ID in
 * `networkPrivateSubnetIds`): unknown until the engine has replaced it, and what the apps stack reads
 * next. `changed` are the outputs that differ anyway, which keep their new values.
 */
export function outputReplacementEffects(
  changes: ResourceChange[],
  current: StackPlan,
  changed: OutputChange[],
): OutputChange[] {
  const currentByKey = new Map(current.resources.map((resource) => [resourceKey(resource), resource]));
  const replaced = changes
    .filter((change) => change.kind === 'replace')
    .flatMap((change) => {
      const resource = currentByKey.get(resourceKey(change));
      return resource?.assigned?.length ? [resource] : [];
    });
  if (replaced.length === 0) return [];
  const known = new Set(changed.map((change) => change.path));
  const effects: OutputChange[] = [];
  for (const [path, value] of stringPaths(redactSecrets(current.outputs))) {
    if (known.has(path)) continue;
    const by = replaced.filter((resource) => resource.assigned?.some((one) => value.includes(one)));
    const first = by[0];
    if (!first) continue;
    const unknown = (resource: (typeof by)[number]) => `[known after ${resource.name} is replaced]`;
    const now = by.reduce(
      (text, resource) =>
        (resource.assigned ?? []).reduce((inner, one) => inner.split(one).join(unknown(resource)), text),
      value,
    );
    effects.push({ path, old: value, new: now, after: resourceKey(first) });
  }
  return effects;
}
