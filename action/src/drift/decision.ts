/** What to do with the stack's drift issue after a refresh preview. */
export type DriftAction = 'open' | 'update' | 'close' | 'none';

/** An open drift issue for the stack is updated while drift lasts and closed once the stack is clean. */
export function driftAction(hasChanges: boolean, openIssue: boolean): DriftAction {
  if (hasChanges) return openIssue ? 'update' : 'open';
  return openIssue ? 'close' : 'none';
}

/** The hidden marker naming the stack in its drift issue. */
export function driftMarker(project: string, stack: string): string {
  return `<!-- slipway-drift project=${encodeURIComponent(project)} stack=${encodeURIComponent(stack)} -->`;
}

/** The sentence under the marker that tells a reader what to do. */
const driftPreamble = 'The stack differs from its code. Deploy again, or change the code to match.';

/**
 * The drift issue's body: marker, preamble and the report rendered into what remains of `limit` (UTF-8
 * bytes, never fewer than GitHub's characters), so the whole body fits, not only the report.
 */
export function driftIssueBody(marker: string, report: (budget: number) => string, limit: number): string {
  const head = `${marker}\n${driftPreamble}\n\n`;
  return `${head}${report(limit - Buffer.byteLength(head, 'utf8'))}`;
}
