/** The parts of GitHub's "get an environment" answer the approval check reads. */
export interface EnvironmentInfo {
  protection_rules?: {
    type: string;
    prevent_self_review?: boolean;
    reviewers?: unknown[];
  }[];
}

/** Why GitHub's answer could not be had (a missing environment, a token that may not read it). */
export interface EnvironmentUnreadable {
  unreadable: string;
}

export type ProtectionVerdict = { allowed: true; warnings: string[] } | { allowed: false; reason: string };

/**
 * Fails closed: an environment that needs approval in pipeline.yaml must have a required-reviewers rule with
 * at least one reviewer in GitHub; an environment that cannot be read is refused too.
 */
export function checkProtection(
  environment: string,
  approvalRequired: boolean,
  info: EnvironmentInfo | EnvironmentUnreadable | undefined,
): ProtectionVerdict {
  if (!approvalRequired) return { allowed: true, warnings: [] };
  const fix = `add required reviewers to the GitHub environment "${environment}" (Settings → Environments)`;
  if (!info || 'unreadable' in info) {
    return {
      allowed: false,
      reason: `${environment} requires approval but its GitHub environment could not be read (${info?.unreadable ?? 'no answer'}); ${fix}`,
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
