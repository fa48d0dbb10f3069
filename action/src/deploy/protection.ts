/** The parts of GitHub's "get an environment" answer the approval check reads. */
export interface EnvironmentInfo {
  protection_rules?: {
    type: string;
    prevent_self_review?: boolean;
    reviewers?: unknown[];
  }[];
}

export type ProtectionVerdict = { allowed: true; warnings: string[] } | { allowed: false; reason: string };

/**
 * Fails closed: an environment that needs approval in pipeline.yaml must have a required-reviewers rule with
 * at least one reviewer in GitHub. `info` undefined means GitHub's answer could not be had.
 */
export function checkProtection(
  environment: string,
  approvalRequired: boolean,
  info: EnvironmentInfo | undefined,
): ProtectionVerdict {
  if (!approvalRequired) return { allowed: true, warnings: [] };
  const fix = `add required reviewers to the GitHub environment "${environment}" (Settings → Environments)`;
  if (!info) {
    return {
      allowed: false,
      reason: `${environment} requires approval but its GitHub environment could not be read (it may not exist, or the token cannot read it); ${fix}`,
    };
  }
  const rule = info.protection_rules?.find((r) => r.type === 'required_reviewers');
  if (!rule || (rule.reviewers ?? []).length === 0) {
    return {
      allowed: false,
      reason: `${environment} requires approval but its GitHub environment has no required reviewers; ${fix}`,
    };
  }
  const warnings = rule.prevent_self_review
    ? []
    : [
        `the GitHub environment "${environment}" lets whoever started the run approve it: turn on "Prevent self-review"`,
      ];
  return { allowed: true, warnings };
}
