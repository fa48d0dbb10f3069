import { existsSync, readdirSync } from 'node:fs';
import { join } from 'node:path';
import { actionsBot, startFakeGitHub, stopFakeGitHubs } from './support/fake-github';
import { logWithDiagnostics } from './support/event-logs';
import { pullRequestEvent, pushEvent } from './support/events';
import { eventLog, runAction, Workspace } from './support/run-action';

afterAll(async () => {
  await stopFakeGitHubs();
  Workspace.removeAll();
});

const nasty =
  'feature-$(touch${IFS}pwned)`id`;rm -rf .|<img src=x onerror=alert(1)>[x](javascript:alert(1))@admins';
const secret = 'db-pass-Zq81x7';
const prEvent = pullRequestEvent({ number: 7, base: 'main', head: 'feature-login' });
// The recorded engine logs are a platform's (a cluster, a bucket): the platform project is previewed.
const previewInputs = { command: 'preview', project: 'platform', environment: 'dev' };
const pr = { eventName: 'pull_request', event: prEvent, ref: 'refs/pull/7/merge' };

test.concurrent(
  'a failed preview updates the sticky comment with the step, the error and the last diagnostics, secrets removed',
  async () => {
    const github = await startFakeGitHub();
    const workspace = new Workspace();
    workspace.setScenario({
      secrets: { 'slipway:database.password': secret },
      previewLogs: [
        logWithDiagnostics(workspace.dir, 'up.json', [
          `RDS rejected master password ${secret}`,
          'creating EKS cluster: AccessDenied',
        ]),
      ],
      previewFailures: [`error: preview failed: 2 errors occurred (password ${secret})`],
    });
    const event = pullRequestEvent({ number: 12, base: 'develop', head: 'feature-db' });
    github.comments.set(12, [
      { id: 77, body: '<!-- slipway-preview project=slipway stack=dev -->\nold preview', user: actionsBot },
    ]);
    const result = await runAction(workspace, github, {
      inputs: { command: 'preview', project: 'platform', environment: 'dev' },
      eventName: 'pull_request',
      event,
      ref: 'refs/pull/12/merge',
    });
    expect(result.code).toBe(1);
    expect(result.outputs.outcome).toBe('failed');
    expect(result.stdout).toContain(`::add-mask::${secret}`);
    const body = github.comments.get(12)?.[0]?.body ?? '';
    expect(github.comments.get(12)).toHaveLength(1);
    expect(body).toContain('Slipway preview of slipway / dev: failed');
    expect(body).toContain('The **preview** step failed for stack slipway / dev');
    expect(body).toContain('creating EKS cluster: AccessDenied');
    expect(body).toContain('error: preview failed: 2 errors occurred (password ***)');
    expect(body).not.toContain(secret);
    expect(result.summary).not.toContain(secret);
  },
);

test.concurrent('a comment someone else wrote with the sticky marker is never rewritten', async () => {
  const github = await startFakeGitHub();
  const forged = {
    id: 5,
    body: '<!-- slipway-preview project=slipway stack=dev -->\nLooks good, merge it',
    user: { login: 'mallory', type: 'User' as const },
  };
  github.comments.set(9, [{ ...forged }]);
  const workspace = new Workspace({ previewLogs: [eventLog('up.json')] });
  const result = await runAction(workspace, github, {
    inputs: previewInputs,
    eventName: 'pull_request',
    event: pullRequestEvent({ number: 9, base: 'develop', head: 'feature-y' }),
    ref: 'refs/pull/9/merge',
  });
  expect(result.code).toBe(0);
  expect(github.comments.get(9)?.[0]).toEqual(forged);
  expect(github.comments.get(9)).toHaveLength(2);
  expect(github.comments.get(9)?.[1]?.user).toEqual(actionsBot);
  expect(result.outputs['comment-id']).toBe(String(github.comments.get(9)?.[1]?.id));
});

test.concurrent('a failure to post the comment is a warning, not a failed preview', async () => {
  const github = await startFakeGitHub();
  github.commentWriteStatus = 422;
  const workspace = new Workspace({ previewLogs: [eventLog('up.json')] });
  const event = pullRequestEvent({ number: 3, base: 'main', head: 'feature-x' });
  const result = await runAction(workspace, github, {
    inputs: { command: 'preview', project: 'platform', environment: 'staging' },
    eventName: 'pull_request',
    event,
    ref: 'refs/pull/3/merge',
  });
  expect(result.code).toBe(0);
  expect(result.stdout).toContain(
    '::warning::could not post the preview comment for staging on pull request #3 (HTTP 422)',
  );
  expect(result.outputs['has-changes']).toBe('true');
});

test.concurrent(
  'a preview on a push with no pull request (before a prod approval) writes the summary and outputs, never a comment',
  async () => {
    const github = await startFakeGitHub();
    // The commit belongs to a merged pull request: that one must not be commented on either.
    github.pullsForCommit = [{ number: 42 }];
    const workspace = new Workspace({ previewLogs: [eventLog('up.json')] });
    const result = await runAction(workspace, github, {
      inputs: { command: 'preview', project: 'platform', environment: 'prod' },
      eventName: 'push',
      event: pushEvent('release-1.4'),
      ref: 'refs/heads/release-1.4',
    });
    expect(result.code).toBe(0);
    expect(result.outputs.outcome).toBe('changes');
    expect(result.outputs['change-set']).toMatch(/^sha256:[0-9a-f]{64}$/);
    expect(result.outputs['comment-id']).toBeUndefined();
    expect(result.summary).toContain('Slipway preview of slipway / prod');
    expect(result.stdout).toContain('No pull request in this event');
    expect(github.requests.filter((r) => !r.target)).toEqual([]);
    expect(github.comments.size).toBe(0);
  },
);

test.concurrent(
  'a branch name and title full of shell and Markdown metacharacters run nothing and render inert',
  async () => {
    const github = await startFakeGitHub();
    const workspace = new Workspace({ previewLogs: [eventLog('up.json')] });
    const resolved = await runAction(workspace, github, {
      inputs: { command: 'resolve' },
      eventName: 'push',
      event: pushEvent(nasty),
      ref: `refs/heads/${nasty}`,
    });
    expect(resolved.code).toBe(0);
    // feature-* previews dev; the branch deploys nowhere.
    expect(JSON.parse(resolved.outputs.environments ?? '')).toEqual([]);
    expect(JSON.parse(resolved.outputs['preview-environments'] ?? '')).toEqual(['dev']);
    expect(JSON.parse(resolved.outputs['online-preview-environments'] ?? '')).toEqual(['dev']);
    expect(JSON.parse(resolved.outputs['offline-preview-environments'] ?? '')).toEqual([]);
    expect(JSON.parse(resolved.outputs.stacks ?? '')).toEqual({
      dev: 'dev',
      staging: 'staging',
      prod: 'prod',
    });
    expect(resolved.summary).not.toContain('<img');
    expect(resolved.summary).not.toMatch(/[^\\]\[x\]\(/);
    expect(resolved.summary).toContain('&lt;img src=x onerror=alert\\(1\\)&gt;');
    expect(resolved.summary).toContain('&#64;admins');

    const event = pullRequestEvent({ number: 9, base: 'main', head: nasty, title: nasty });
    const previewed = await runAction(workspace, github, {
      inputs: { command: 'preview', project: 'platform', environment: 'dev' },
      eventName: 'pull_request',
      event,
      ref: 'refs/pull/9/merge',
    });
    expect(previewed.code).toBe(0);
    for (const call of workspace.calls()) expect(call.args.join(' ')).not.toContain('pwned');
    expect(existsSync(join(workspace.project, 'pwned'))).toBe(false);
    expect(readdirSync(workspace.project).sort()).toEqual([
      'Pulumi.yaml',
      'apps',
      'infra',
      'node_modules',
      'pipeline.yaml',
      'slipway.yaml',
    ]);
  },
);

test.concurrent(
  'an invalid pipeline.yaml fails with one line per problem naming the file and the key, before anything runs',
  async () => {
    const github = await startFakeGitHub();
    const workspace = new Workspace();
    const { writeFileSync, readFileSync } = await import('node:fs');
    const file = join(workspace.project, 'pipeline.yaml');
    writeFileSync(
      file,
      readFileSync(file, 'utf8')
        .replace('    stack: dev\n', '    stack: dev\n    region: mars-1\n')
        .replace('deploy: [dev, staging]', 'deploy: [dev, qa]'),
    );
    const result = await runAction(workspace, github, {
      inputs: { command: 'preview', project: 'platform', environment: 'dev' },
      eventName: 'push',
      event: pushEvent('main'),
      ref: 'refs/heads/main',
    });
    expect(result.code).toBe(1);
    expect(result.stdout).toContain(
      '::error::pipeline.yaml: environments.dev.region: must be an AWS region such as eu-west-1',
    );
    expect(workspace.calls()).toEqual([]);
  },
);

test.concurrent(
  'a pull request preview creates one sticky comment, then updates it in place on every run',
  async () => {
    const github = await startFakeGitHub();
    // 120 earlier comments: the sticky one lands on the second page and must still be found there.
    github.comments.set(
      7,
      Array.from({ length: 120 }, (_, i) => ({
        id: i + 1,
        body: `chatter ${i}`,
        user: { login: `reviewer-${i % 3}`, type: 'User' as const },
      })),
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
    // The CLI already on PATH (the workflow installed it) is used as it is, never installed by the action.
    expect(workspace.calls('pulumi')[0]?.args.slice(0, 2)).toEqual(['stack', 'select']);
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
  },
);
