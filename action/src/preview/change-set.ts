import { createHash } from 'node:crypto';
import type { ChangeSummary } from './change-summary';

/**
 * A digest of what a preview would change: the sorted list of URN, operation and changed paths. Approval is
 * given to a preview; deploy recomputes this and refuses if what it is about to apply is different.
 */
export function changeSetDigest(summary: Pick<ChangeSummary, 'changes'>): string {
  const lines = summary.changes.map((c) => `${c.urn}\t${c.op}\t${[...c.paths].sort().join(',')}`).sort();
  return `sha256:${createHash('sha256').update(lines.join('\n')).digest('hex')}`;
}
