import { createHash } from 'node:crypto';
import type { ChangeSummary } from './change-summary';

/** A stack config value as the CLI lists it; secret ones enter the change set only as a hash. */
export interface ConfigEntry {
  key: string;
  value: string;
  secret: boolean;
}

/**
 * A digest of what a preview would change: per changed resource its URN, operation, changed paths and a
 * hash of the inputs it will have, plus a hash of every config value. Approval is given to a preview;
 * deploy recomputes this and refuses if what it is about to apply is different, so an approved "image
 * changed" pins the image, not only the fact that one changes.
 */
export function changeSetDigest(
  summary: Pick<ChangeSummary, 'changes'>,
  config: readonly ConfigEntry[] = [],
): string {
  const lines = summary.changes
    .map(
      (c) =>
        `${c.urn}\t${c.op}\t${[...c.paths].sort().join(',')}\t${c.inputs ? sha256(canonicalJson(c.inputs)) : '-'}`,
    )
    .sort();
  // Secret values are hashed like the rest: the digest never carries a value, and a changed secret still
  // changes it although the engine's events show only "[secret]".
  const configLines = config.map((entry) => `config\t${entry.key}\t${sha256(entry.value)}`).sort();
  return `sha256:${sha256([...lines, ...configLines].join('\n'))}`;
}

const sha256 = (text: string) => createHash('sha256').update(text).digest('hex');

/** JSON with object keys sorted at every level, so equal values always hash the same. */
export function canonicalJson(value: unknown): string {
  return JSON.stringify(value, (_key, v: unknown) =>
    v && typeof v === 'object' && !Array.isArray(v)
      ? Object.fromEntries(Object.entries(v as Record<string, unknown>).sort(([a], [b]) => (a < b ? -1 : 1)))
      : v,
  );
}
