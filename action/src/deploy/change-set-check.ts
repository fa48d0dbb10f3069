/**
 * Whether deploy may apply the fresh preview's change set. An approval was given to what a reviewer saw, so
 * an environment that needs approval must be told which change set that was, and anything else is refused
 * unless the workflow opts out (`allow-change-set-drift`).
 */
export function changeSetRefusal(
  environment: string,
  check: { approvalRequired: boolean; expected?: string; fresh: string; allowDrift: boolean },
): string | undefined {
  if (check.allowDrift) return undefined;
  if (check.expected === undefined) {
    return check.approvalRequired
      ? `deploy to ${environment} refused: ${environment} requires approval, so pass the approved preview's change-set as expected-change-set (or set allow-change-set-drift: true)`
      : undefined;
  }
  if (check.expected !== check.fresh) {
    return `deploy to ${environment} refused: the change set (${check.fresh}) differs from the approved one (${check.expected}); something changed after approval. Preview again and get a new approval.`;
  }
  return undefined;
}
