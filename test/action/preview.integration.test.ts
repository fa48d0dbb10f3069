import { FakeGitHub } from './support/fake-github';
import { pullRequestEvent } from './support/events';
import { eventLog, runAction, Workspace } from './support/run-action';

const github = new FakeGitHub();
beforeAll(() => github.start());
afterAll(() => github.stop());

const prEvent = pullRequestEvent({ number: 7, base: 'main', head: 'feature-login' });
const previewInputs = { command: 'preview', environment: 'dev' };
const pr = { eventName: 'pull_request', event: prEvent, ref: 'refs/pull/7/merge' };

test('a pull request preview creates one sticky comment, then updates it in place on every run', async () => {
  // 120 earlier comments: the sticky one lands on the second page and must still be found there.
  github.comments.set(
    7,
    Array.from({ length: 120 }, (_, i) => ({ id: i + 1, body: `chatter ${i}` })),
  );
  const workspace = new Workspace({
    previewLogs: [eventLog('up.json'), eventLog('template-body.json'), eventLog('up-2.json')],
  });

  const first = await runAction(workspace, github, { inputs: previewInputs, ...pr });
  expect(first.stderr).toBe('');
  expect(first.code).toBe(0);
  expect(first.outputs['has-changes']).toBe('true');
  expect(JSON.parse(first.outputs.changes ?? '')).toEqual({ same: 5, create: 1 });
  expect(first.outputs['create-count']).toBe('1');
  expect(first.outputs.outcome).toBe('changes');
  expect(first.outputs['change-set']).toMatch(/^sha256:[0-9a-f]{64}$/);
  // Progress streams to the log while the preview runs.
  expect(first.stdout).toContain('Previewing (dev):');
  // The CLI already on PATH is used as it is: asked its version, never installed.
  expect(workspace.calls('pulumi')[0]?.args).toEqual(['version']);
  expect(first.stdout).not.toContain('installing');
  const created = github.comments.get(7)?.at(-1);
  expect(created?.body).toContain('<!-- slipway-preview project=slipway stack=dev -->');
  expect(created?.body).toContain('1 to create (5 unchanged)');
  expect(created?.body).toContain('| create | aws:eks/cluster:Cluster | eks-cluster |');
  expect(created?.body).not.toContain('eks-role'); // unchanged resources are never listed
  expect(first.outputs['comment-id']).toBe(String(created?.id));
  expect(first.summary).toContain('eks-cluster');

  const second = await runAction(workspace, github, { inputs: previewInputs, ...pr });
  expect(second.code).toBe(0);
  expect(github.comments.get(7)).toHaveLength(121);
  expect(second.outputs['comment-id']).toBe(String(created?.id));
  expect(github.comments.get(7)?.at(-1)?.body).toContain(
    '| update | aws:cloudformation/stack:Stack | cluster-nodes | templateBody |',
  );
  expect(second.outputs['change-set']).not.toBe(first.outputs['change-set']);

  // A run with no changes still refreshes the comment: it never goes stale.
  const third = await runAction(workspace, github, { inputs: previewInputs, ...pr });
  expect(third.outputs['has-changes']).toBe('false');
  expect(third.outputs.outcome).toBe('no-changes');
  const body = github.comments.get(7)?.at(-1)?.body ?? '';
  expect(body).toContain('No changes');
  expect(body).toContain('commit f3c9a1b2d4e5');
  expect(body).toMatch(/at \d{4}-\d\d-\d\dT\d\d:\d\d:\d\dZ/);
  expect(github.comments.get(7)).toHaveLength(121);
  const writes = github.requests.filter((r) => r.method !== 'GET' && r.path.includes('/comments'));
  expect(writes.map((r) => r.method)).toEqual(['POST', 'PATCH', 'PATCH']);
});
