import { changeSetRefusal } from '../../../action/src/deploy/change-set-check';

const approved = 'sha256:aaa';

test('an approval environment needs the approved change set, and deploys only when the fresh one equals it', () => {
  const prod = { approvalRequired: true, fresh: approved, allowDrift: false };
  expect(changeSetRefusal('prod', prod)).toBe(
    "deploy to prod refused: prod requires approval, so pass the approved preview's change-set as expected-change-set (or set allow-change-set-drift: true)",
  );
  expect(changeSetRefusal('prod', { ...prod, expected: approved })).toBeUndefined();
  expect(changeSetRefusal('prod', { ...prod, expected: approved, fresh: 'sha256:bbb' })).toBe(
    'deploy to prod refused: the change set (sha256:bbb) differs from the approved one (sha256:aaa); something changed after approval. Preview again and get a new approval.',
  );
});

test('without approval a change set is checked only when one is given', () => {
  const dev = { approvalRequired: false, fresh: 'sha256:bbb', allowDrift: false };
  expect(changeSetRefusal('dev', dev)).toBeUndefined();
  expect(changeSetRefusal('dev', { ...dev, expected: approved })).toMatch(
    /^deploy to dev refused: the change set/,
  );
});

test('allow-change-set-drift opts out of both checks', () => {
  const optedOut = { approvalRequired: true, fresh: 'sha256:bbb', allowDrift: true };
  expect(changeSetRefusal('prod', optedOut)).toBeUndefined();
  expect(changeSetRefusal('prod', { ...optedOut, expected: approved })).toBeUndefined();
});
