import { readFileSync } from 'node:fs';
import type { EngineEvent } from '@pulumi/pulumi/automation';
import { eventLog } from './run-action';

/** The events of a recorded engine log in test/fixtures/pulumi-events. */
export function readEvents(name: string): EngineEvent[] {
  return readFileSync(eventLog(name), 'utf8')
    .split('\n')
    .filter(Boolean)
    .map((line) => JSON.parse(line) as EngineEvent);
}

/**
 * A preview of `count` changed resources made from the real `update` event of template-body.json, each
 * with its own URN and `pathsPerResource` changed properties: a stack far larger than the recordings.
 */
export function largePreview(count: number, pathsPerResource = 3): EngineEvent[] {
  const update = readEvents('template-body.json').find((e) => e.resourcePreEvent?.metadata.op === 'update');
  if (!update?.resourcePreEvent) throw new Error('template-body.json has no update');
  const ops = ['update', 'create', 'delete', 'replace'] as const;
  return Array.from({ length: count }, (_, i) => {
    const metadata = structuredClone(update.resourcePreEvent?.metadata) as NonNullable<
      EngineEvent['resourcePreEvent']
    >['metadata'];
    metadata.urn = `${metadata.urn}-${i}`;
    metadata.op = ops[i % ops.length] as typeof metadata.op;
    // Same shape as the recorded diff ({diffKind, inputDiff}), one entry per changed path.
    const recorded = Object.values(metadata.detailedDiff ?? {})[0];
    if (!recorded) throw new Error('template-body.json update has no detailed diff');
    metadata.detailedDiff = Object.fromEntries(
      Array.from({ length: pathsPerResource }, (_, p) => [
        `spec.template.containers[${p}].env[${i}].value`,
        recorded,
      ]),
    );
    return { ...update, sequence: i, resourcePreEvent: { metadata } };
  });
}
