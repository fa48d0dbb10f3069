import { checkProtection } from '../../../action/src/deploy/protection';

const reviewers = (preventSelfReview: boolean) => ({
  protection_rules: [
    { type: 'required_reviewers', prevent_self_review: preventSelfReview, reviewers: [{ type: 'User' }] },
  ],
});

test('an environment without approval in pipeline.yaml needs no protection rule', () => {
  expect(checkProtection('dev', false, undefined)).toEqual({ allowed: true, warnings: [] });
});

test('fails closed when the environment cannot be read, has no reviewers rule, or the rule lists nobody', () => {
  for (const info of [
    undefined,
    { unreadable: 'HTTP 403: Resource not accessible by integration' },
    {},
    { protection_rules: [{ type: 'wait_timer' }] },
    { protection_rules: [{ type: 'required_reviewers', reviewers: [] }] },
  ]) {
    const verdict = checkProtection('prod', true, info);
    expect(verdict.allowed).toBe(false);
    if (!verdict.allowed)
      expect(verdict.reason).toContain('add required reviewers to the GitHub environment "prod"');
  }
  expect(checkProtection('prod', true, { unreadable: 'HTTP 403: Resource not accessible' })).toEqual({
    allowed: false,
    reason:
      'prod requires approval but its GitHub environment could not be read (HTTP 403: Resource not accessible); add required reviewers to the GitHub environment "prod" (Settings → Environments)',
  });
});

test('required reviewers allow the deploy; a missing prevent-self-review is a warning', () => {
  expect(checkProtection('prod', true, reviewers(true))).toEqual({ allowed: true, warnings: [] });
  expect(checkProtection('prod', true, reviewers(false))).toEqual({
    allowed: true,
    warnings: [
      'the GitHub environment "prod" lets whoever started the run approve it: turn on "Prevent self-review"',
    ],
  });
});
