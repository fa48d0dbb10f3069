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
