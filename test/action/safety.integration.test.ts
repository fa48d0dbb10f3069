import { existsSync, readdirSync } from 'node:fs';
import { join } from 'node:path';
import { FakeGitHub } from './support/fake-github';
import { logWithDiagnostics } from './support/event-logs';
import { pullRequestEvent, pushEvent } from './support/events';
import { eventLog, runAction, Workspace } from './support/run-action';

const servers: FakeGitHub[] = [];
async function fakeGitHub(): Promise<FakeGitHub> {
  const github = new FakeGitHub();
  await github.start();
  servers.push(github);
  return github;
}
afterAll(() => Promise.all(servers.map((s) => s.stop())));

const nasty =
  'feature-$(touch${IFS}pwned)`id`;rm -rf .|<img src=x onerror=alert(1)>[x](javascript:alert(1))@admins';
const secret = 'db-pass-Zq81x7';

test.concurrent(
  'a failed preview updates the sticky comment with the step, the error and the last diagnostics, secrets removed',
  async () => {
    const github = await fakeGitHub();
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
      { id: 77, body: '<!-- slipway-preview project=slipway stack=dev -->\nold preview' },
    ]);
    const result = await runAction(workspace, github, {
      inputs: { command: 'preview', environment: 'dev' },
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

test.concurrent('a failure to post the comment is a warning, not a failed preview', async () => {
  const github = await fakeGitHub();
  github.commentWriteStatus = 422;
  const workspace = new Workspace({ previewLogs: [eventLog('up.json')] });
  const event = pullRequestEvent({ number: 3, base: 'main', head: 'feature-x' });
  const result = await runAction(workspace, github, {
    inputs: { command: 'preview', environment: 'staging' },
    eventName: 'pull_request',
    event,
    ref: 'refs/pull/3/merge',
  });
  expect(result.code).toBe(0);
  expect(result.stdout).toContain(
    '::warning::could not post the preview comment on pull request #3 (HTTP 422)',
  );
  expect(result.outputs['has-changes']).toBe('true');
});

test.concurrent(
  'a branch name and title full of shell and Markdown metacharacters run nothing and render inert',
  async () => {
    const github = await fakeGitHub();
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
    expect(resolved.summary).not.toContain('<img');
    expect(resolved.summary).not.toMatch(/[^\\]\[x\]\(/);
    expect(resolved.summary).toContain('&lt;img src=x onerror=alert\\(1\\)&gt;');
    expect(resolved.summary).toContain('&#64;admins');

    const event = pullRequestEvent({ number: 9, base: 'main', head: nasty, title: nasty });
    const previewed = await runAction(workspace, github, {
      inputs: { command: 'preview', environment: 'dev' },
      eventName: 'pull_request',
      event,
      ref: 'refs/pull/9/merge',
    });
    expect(previewed.code).toBe(0);
    for (const call of workspace.calls()) expect(call.args.join(' ')).not.toContain('pwned');
    expect(existsSync(join(workspace.project, 'pwned'))).toBe(false);
    expect(readdirSync(workspace.project).sort()).toEqual(['Pulumi.yaml', 'apps', 'pipeline.yaml']);
  },
);

test.concurrent(
  'drift opens one labelled issue per stack, updates it, tells changes from failure, and closes it when clean',
  async () => {
    const github = await fakeGitHub();
    const workspace = new Workspace();
    const push = { eventName: 'schedule', event: {}, ref: 'refs/heads/main' };
    workspace.setScenario({
      previewLogs: [eventLog('template-body.json'), eventLog('template-body.json'), eventLog('up-2.json')],
    });

    const drifted = await runAction(workspace, github, {
      inputs: { command: 'drift', environment: 'prod' },
      ...push,
    });
    expect(drifted.code).toBe(0);
    expect(drifted.outputs.outcome).toBe('changes');
    expect(drifted.outputs['update-count']).toBe('1');
    expect(workspace.calls('pulumi').find((c) => c.args[0] === 'preview')?.args).toContain('--refresh');
    expect(github.issues).toHaveLength(1);
    const issue = github.issues[0];
    expect(issue?.labels).toEqual([{ name: 'slipway-drift' }]);
    expect(issue?.title).toBe('Drift in slipway/prod: 1 to update (57 unchanged)');
    expect(issue?.body).toContain('<!-- slipway-drift project=slipway stack=prod -->');
    expect(drifted.outputs['drift-issue']).toBe(String(issue?.number));

    const strict = await runAction(workspace, github, {
      inputs: { command: 'drift', environment: 'prod', 'expect-no-changes': 'true' },
      ...push,
    });
    expect(strict.code).toBe(2);
    expect(strict.outputs.outcome).toBe('changes');
    expect(github.issues).toHaveLength(1);

    const clean = await runAction(workspace, github, {
      inputs: { command: 'drift', environment: 'prod', 'expect-no-changes': 'true' },
      ...push,
    });
    expect(clean.code).toBe(0);
    expect(clean.outputs.outcome).toBe('no-changes');
    expect(github.issues[0]?.state).toBe('closed');

    // The fake counts previews across runs: this is the fourth.
    workspace.setScenario({
      previewLogs: [eventLog('up-2.json')],
      previewFailures: [null, null, null, 'error: getting AWS credentials: no valid credential sources'],
    });
    const broken = await runAction(workspace, github, {
      inputs: { command: 'drift', environment: 'prod', 'expect-no-changes': 'true' },
      ...push,
    });
    expect(broken.code).toBe(1);
    expect(broken.outputs.outcome).toBe('failed');
    expect(broken.stdout).toContain('::error::drift check of stack prod failed');
  },
);

test.concurrent(
  'an invalid pipeline.yaml fails with one line per problem naming the file and the key, before anything runs',
  async () => {
    const github = await fakeGitHub();
    const workspace = new Workspace();
    const { writeFileSync, readFileSync } = await import('node:fs');
    const file = join(workspace.project, 'pipeline.yaml');
    writeFileSync(
      file,
      readFileSync(file, 'utf8')
        .replace('region: eu-west-1\n    role', 'region: mars-1\n    role')
        .replace('deploy: [dev, staging]', 'deploy: [dev, qa]'),
    );
    const result = await runAction(workspace, github, {
      inputs: { command: 'preview', environment: 'dev' },
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
