import { isStackLocked, lockHolder } from '../../../action/src/deploy/lock';

const diy =
  'error: the stack is currently locked by 1 lock(s). Either wait for the other process(es) to end or delete the lock file with `pulumi cancel`.\n' +
  '  s3://state/.pulumi/locks/organization/slipway/prod/5a1b.json: created by bob@runner-12 (pid 881) at 2026-11-24T10:00:00Z';

test('recognises the Pulumi Cloud 409 and the DIY backend lock, and nothing else', () => {
  expect(isStackLocked('error: [409] Conflict: Another update is currently in progress.')).toBe(true);
  expect(isStackLocked(diy)).toBe(true);
  expect(isStackLocked('error: update failed: AccessDenied')).toBe(false);
});

test('names who holds the lock when the backend says', () => {
  expect(lockHolder(diy)).toBe('bob@runner-12 (pid 881)');
  expect(lockHolder('error: [409] Conflict: Another update is currently in progress.')).toBeUndefined();
});
