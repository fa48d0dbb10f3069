import { join } from 'node:path';
import { startFakeGitHub, stopFakeGitHubs, type FakeGitHub } from './support/fake-github';
import { pushEvent } from './support/events';
import { logWithDiagnostics } from './support/event-logs';
import { eventLog, runAction, Workspace, type Scenario } from './support/run-action';

// Each test has its own fake GitHub and runs concurrently: most of a run is spent waiting (GitHub's
// one-second spacing of writes, the engine's event-log polling), not computing.
afterAll(async () => {
  await stopFakeGitHubs();
  Workspace.removeAll();
});

const runningDigest = `sha256:${'e'.repeat(64)}`;
const newDigest = `sha256:${'a'.repeat(64)}`;
const outputs = {
  url: { value: 'https://dev.shop.example.com', secret: false },
  dbPassword: { value: 'pw-123456', secret: true },
  // What the apps stack runs now: the last update's record of each service's digest.
  appsImageDigests: { value: { web: `sha256:${'b'.repeat(64)}`, api: runningDigest }, secret: false },
};
const images = JSON.stringify({
  api: `123456789012.dkr.ecr.eu-west-1.amazonaws.com/slipway-dev/api@${newDigest}`,
});
/**
 * A fake GitHub whose ECR holds `newDigest` in dev's and prod's repositories, attested as the deploy workflow's
 * attest step records it: deploy verifies a passed digest's provenance before it touches the stack.
 */
async function githubWithImages(): Promise<FakeGitHub> {
  const github = await startFakeGitHub();
  for (const stack of ['dev', 'prod']) github.images.set(`slipway-${stack}/api:f3c9a1b2`, newDigest);
  github.attest(newDigest);
  return github;
}
const push = (branch: string) => ({
  eventName: 'push',
  event: pushEvent(branch),
  ref: `refs/heads/${branch}`,
});
const protectedEnvironment = (preventSelfReview: boolean) => ({
  name: 'prod',
  protection_rules: [
    { id: 1, type: 'wait_timer', wait_timer: 0 },
    {
      id: 2,
      type: 'required_reviewers',
      prevent_self_review: preventSelfReview,
      reviewers: [{ type: 'Team', reviewer: { slug: 'platform' } }],
    },
  ],
});
const engineCalls = (workspace: Workspace) =>
  workspace.calls('pulumi').filter((c) => c.args[0] === 'preview' || c.args[0] === 'up');
const writes = (github: FakeGitHub) =>
  github.requests.filter((r) => r.method === 'POST' && r.path.includes('/deployments'));

function workspaceFor(scenario: Scenario): Workspace {
  return new Workspace({ outputs, ...scenario });
}

test.concurrent('a push to develop resolves dev and deploys it, recording a GitHub deployment', async () => {
  const github = await githubWithImages();
  const workspace = workspaceFor({ previewLogs: [eventLog('up.json')], upLogs: [eventLog('up.json')] });
  const resolved = await runAction(workspace, github, { inputs: { command: 'resolve' }, ...push('develop') });
  expect(JSON.parse(resolved.outputs.environments ?? '')).toEqual(['dev']);
  expect(JSON.parse(resolved.outputs.approval ?? '')).toEqual({ dev: false });

  const deployed = await runAction(workspace, github, {
    inputs: { command: 'deploy', environment: 'dev', images },
    ...push('develop'),
  });
  expect(deployed.stderr).toBe('');
  expect(deployed.code).toBe(0);
  expect(deployed.outputs.url).toBe('https://dev.shop.example.com');
  expect(JSON.parse(deployed.outputs.outputs ?? '')).toEqual({
    url: 'https://dev.shop.example.com',
    appsImageDigests: outputs.appsImageDigests.value,
  });
  expect(deployed.outputs['rolled-back']).toBe('false');
  expect(deployed.outputs['has-changes']).toBe('true');
  // The secret stack output and a token the runner did not issue are masked; neither is an output.
  expect(deployed.stdout).toContain('::add-mask::pw-123456');
  expect(deployed.stdout).toContain('::add-mask::ghs_faketoken');
  expect(deployed.stdout).toContain('Updating (dev):');
  // The apps stack was the one deployed, and the digest went in by nested path, as a plain string: only
  // the service passed; web keeps the digest it runs.
  const set = workspace.calls('pulumi').filter((c) => c.args[0] === 'config' && c.args[1]?.startsWith('set'));
  expect(set.map((c) => c.args)).toEqual([
    expect.arrayContaining(['set-all', '--path', '--plaintext', `slipway:images.api=${newDigest}`]),
  ]);
  expect(workspace.pulumiConfig()).toEqual({ 'slipway:images.api': newDigest });
  expect(
    workspace
      .calls('pulumi')
      .filter((c) => c.args[0] === 'up')
      .map((c) => c.cwd),
  ).toEqual([join(workspace.project, 'infra', 'apps')]);
  expect(engineCalls(workspace).map((c) => c.args[0])).toEqual(['preview', 'up']);
  const statuses = writes(github).map(
    (r) =>
      (r.body as { state?: string; environment?: string }).state ??
      (r.body as { environment: string }).environment,
  );
  expect(statuses).toEqual(['dev', 'in_progress', 'success']);
  expect((writes(github)[2]?.body as { environment_url: string }).environment_url).toBe(
    'https://dev.shop.example.com',
  );
  // The commit belongs to no pull request: there is nothing to comment on.
  expect(github.requests.filter((r) => r.path.includes('/comments'))).toEqual([]);
  // No GitHub environment lookup for an environment that needs no approval.
  expect(github.requests.some((r) => r.path.includes('/environments/'))).toBe(false);
});

test.concurrent(
  'a release branch resolves prod with approval, and deploys what was previewed when reviewers are required',
  async () => {
    const github = await githubWithImages();
    const workspace = workspaceFor({ previewLogs: [eventLog('up.json')], upLogs: [eventLog('up.json')] });
    const resolved = await runAction(workspace, github, {
      inputs: { command: 'resolve' },
      ...push('release-2.4'),
    });
    expect(JSON.parse(resolved.outputs.environments ?? '')).toEqual(['prod']);
    expect(JSON.parse(resolved.outputs.approval ?? '')).toEqual({ prod: true });

    const previewed = await runAction(workspace, github, {
      inputs: { command: 'preview', environment: 'prod', images },
      ...push('release-2.4'),
    });
    const approved = previewed.outputs['change-set'] ?? '';
    expect(approved).toMatch(/^sha256:/);

    github.environments.set('prod', protectedEnvironment(false));
    const deployed = await runAction(workspace, github, {
      inputs: { command: 'deploy', environment: 'prod', images, 'expected-change-set': approved },
      ...push('release-2.4'),
    });
    expect(deployed.code).toBe(0);
    expect(deployed.outputs['change-set']).toBe(approved);
    expect(deployed.stdout).toContain(
      '::warning::the GitHub environment "prod" lets whoever started the run approve it',
    );
    expect((writes(github)[0]?.body as { production_environment: boolean }).production_environment).toBe(
      true,
    );
  },
);

test.concurrent(
  'deploy to prod is refused when its GitHub environment has no required reviewers, before anything runs',
  async () => {
    const github = await githubWithImages();
    const workspace = workspaceFor({ previewLogs: [eventLog('up.json')], upLogs: [eventLog('up.json')] });
    github.environments.set('prod', {
      name: 'prod',
      protection_rules: [{ id: 1, type: 'wait_timer', wait_timer: 5 }],
    });
    const result = await runAction(workspace, github, {
      inputs: { command: 'deploy', environment: 'prod', images, 'expected-change-set': 'sha256:whatever' },
      ...push('release-2.4'),
    });
    expect(result.code).toBe(1);
    expect(result.stdout).toContain(
      '::error::deploy to prod refused: prod requires approval but its GitHub environment has no required reviewers',
    );
    expect(workspace.calls('pulumi')).toEqual([]);
    expect(writes(github)).toEqual([]);
  },
);

test.concurrent(
  'deploy to prod is refused when its GitHub environment does not exist (a misspelt name)',
  async () => {
    const github = await githubWithImages();
    const workspace = workspaceFor({ previewLogs: [eventLog('up.json')], upLogs: [eventLog('up.json')] });
    const result = await runAction(workspace, github, {
      inputs: { command: 'deploy', environment: 'prod', images, 'expected-change-set': 'sha256:whatever' },
      ...push('release-2.4'),
    });
    expect(result.code).toBe(1);
    expect(result.stdout).toContain(
      '::error::deploy to prod refused: prod requires approval but its GitHub environment could not be read (there is no GitHub environment "prod"',
    );
    expect(workspace.calls('pulumi')).toEqual([]);
    expect(writes(github)).toEqual([]);
  },
);

test.concurrent('deploy refuses when the fresh preview differs from the approved change set', async () => {
  const github = await githubWithImages();
  const workspace = workspaceFor({
    previewLogs: [eventLog('up.json'), eventLog('template-body.json')],
    upLogs: [eventLog('up.json')],
  });
  github.environments.set('prod', protectedEnvironment(true));
  const previewed = await runAction(workspace, github, {
    inputs: { command: 'preview', environment: 'prod', images },
    ...push('hotfix/login'),
  });
  const result = await runAction(workspace, github, {
    inputs: {
      command: 'deploy',
      environment: 'prod',
      images,
      'expected-change-set': previewed.outputs['change-set'] ?? '',
    },
    ...push('hotfix/login'),
  });
  expect(result.code).toBe(1);
  expect(result.stdout).toMatch(
    /::error::deploy to prod refused: the change set \(sha256:\w+\) differs from the approved one/,
  );
  expect(result.stdout).not.toContain('::warning::'); // prevent_self_review is on
  expect(engineCalls(workspace).map((c) => c.args[0])).toEqual(['preview', 'preview']);
  expect(writes(github)).toEqual([]);
});

test.concurrent(
  'a failed up that changed the stack rolls back, and says so on the merged pull request',
  async () => {
    const github = await githubWithImages();
    github.pullsForCommit = [{ number: 42 }];
    const workspace = workspaceFor({});
    const failedLog = logWithDiagnostics(workspace.dir, 'up-interrupted.json', [
      'timeout while waiting for state to become available',
    ]);
    workspace.setScenario({
      outputs,
      previewLogs: [eventLog('up.json')],
      upLogs: [failedLog, eventLog('up.json')],
      upFailures: [
        'error: update failed: aws:rds/instance:Instance interrupted-db: timeout while waiting for state',
        null,
      ],
    });
    const result = await runAction(workspace, github, {
      inputs: { command: 'deploy', environment: 'dev', images },
      ...push('develop'),
    });
    expect(result.code).toBe(1);
    expect(result.outputs['rolled-back']).toBe('true');
    expect(result.outputs.outcome).toBe('failed');
    expect(result.stdout).toContain(`rolled back to the previous image digests (api=${runningDigest})`);
    expect(result.summary).toContain('rolled back to the previous image digests');
    expect(engineCalls(workspace).map((c) => c.args[0])).toEqual(['preview', 'up', 'up']);
    expect(workspace.pulumiConfig()['slipway:images.api']).toBe(runningDigest);
    expect((writes(github).at(-1)?.body as { state: string }).state).toBe('failure');
    const comment = github.comments.get(42)?.[0]?.body ?? '';
    expect(comment).toContain('<!-- slipway-preview project=slipway-apps stack=dev -->');
    expect(comment).toContain('### Slipway deploy of slipway-apps / dev: failed');
    expect(comment).toContain('The **up** step failed for stack slipway-apps / dev');
    expect(comment).toContain(`rolled back to the previous image digests (api=${runningDigest})`);
    expect(comment).toContain('timeout while waiting for state to become available');
  },
);

test.concurrent(
  'a locked stack is retried with backoff, naming who holds the lock, then fails clearly past the limit',
  async () => {
    const github = await githubWithImages();
    const fast = { 'lock-retry-delay': '0.05' };
    const retried = workspaceFor({ locked: 2, previewLogs: [eventLog('up.json')] });
    const ok = await runAction(retried, github, {
      inputs: { command: 'preview', environment: 'dev', 'lock-retries': '3', ...fast },
      ...push('develop'),
    });
    expect(ok.code).toBe(0);
    expect(ok.stdout).toContain(
      '::warning::The stack is locked by another update (held by alice@ci-runner-7 (pid 4242)); preview retry 1 of 3',
    );
    expect(ok.stdout).toContain('preview retry 2 of 3');
    expect(ok.outputs['create-count']).toBe('1');

    const stuck = workspaceFor({ locked: 5, previewLogs: [eventLog('up.json')] });
    const failed = await runAction(stuck, github, {
      inputs: { command: 'preview', environment: 'dev', 'lock-retries': '1', ...fast },
      ...push('develop'),
    });
    expect(failed.code).toBe(1);
    expect(failed.outputs.outcome).toBe('failed');
    expect(failed.stdout).toContain(
      'the stack is still locked by another update (held by alice@ci-runner-7 (pid 4242)) after 1 retries',
    );
    expect(stuck.calls('pulumi').filter((c) => c.args[0] === 'preview')).toHaveLength(2);
  },
);

test.concurrent(
  'drift opens one labelled issue per stack, updates it, tells changes from failure, and closes it when clean',
  async () => {
    const github = await githubWithImages();
    const workspace = new Workspace();
    const push = { eventName: 'schedule', event: {}, ref: 'refs/heads/main' };
    workspace.setScenario({
      previewLogs: [eventLog('template-body.json'), eventLog('template-body.json'), eventLog('up-2.json')],
    });

    const drifted = await runAction(workspace, github, {
      inputs: { command: 'drift', project: 'platform', environment: 'prod' },
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
      inputs: { command: 'drift', project: 'platform', environment: 'prod', 'expect-no-changes': 'true' },
      ...push,
    });
    expect(strict.code).toBe(2);
    expect(strict.outputs.outcome).toBe('changes');
    expect(github.issues).toHaveLength(1);

    const clean = await runAction(workspace, github, {
      inputs: { command: 'drift', project: 'platform', environment: 'prod', 'expect-no-changes': 'true' },
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
      inputs: { command: 'drift', project: 'platform', environment: 'prod', 'expect-no-changes': 'true' },
      ...push,
    });
    expect(broken.code).toBe(1);
    expect(broken.outputs.outcome).toBe('failed');
    expect(broken.stdout).toContain('::error::drift check of stack prod failed');
  },
);

test.concurrent(
  'deploy fails, saying what differed, when up applies another change than the approved preview',
  async () => {
    const github = await githubWithImages();
    // The preview before up matches the approval; up then applies up-3.json's six creations instead.
    const workspace = workspaceFor({
      previewLogs: [eventLog('up.json')],
      upLogs: [eventLog('up-3.json')],
    });
    github.environments.set('prod', protectedEnvironment(true));
    const previewed = await runAction(workspace, github, {
      inputs: { command: 'preview', environment: 'prod', images },
      ...push('hotfix/login'),
    });
    const result = await runAction(workspace, github, {
      inputs: {
        command: 'deploy',
        environment: 'prod',
        images,
        'expected-change-set': previewed.outputs['change-set'] ?? '',
      },
      ...push('hotfix/login'),
    });
    expect(result.code).toBe(1);
    expect(result.stdout).toContain(
      '::error::deploy to prod: pulumi up applied a different change than the approved one on stack prod: eks-dev (pulumi:pulumi:Stack): create was applied but not approved;',
    );
    expect(result.stdout).toContain(
      'eks-cluster (aws:eks/cluster:Cluster): input name differs from the approved value',
    );
    expect(result.outputs.outcome).toBe('failed');
    const states = writes(github)
      .map((r) => (r.body as { state?: string }).state)
      .filter(Boolean);
    expect(states).toEqual(['in_progress', 'failure']);
  },
);

test.concurrent(
  'images go to the apps project only, by digest: the platform deploys at the root and refuses them',
  async () => {
    const github = await githubWithImages();
    const workspace = workspaceFor({ previewLogs: [eventLog('up.json')], upLogs: [eventLog('up.json')] });
    const refused = await runAction(workspace, github, {
      inputs: { command: 'deploy', project: 'platform', environment: 'dev', images },
      ...push('develop'),
    });
    expect(refused.code).toBe(1);
    expect(refused.stdout).toContain(
      '::error::input images: the platform project runs no images; pass them to the apps project (project: apps)',
    );
    const byTag = await runAction(workspace, github, {
      inputs: {
        command: 'deploy',
        environment: 'dev',
        images: JSON.stringify({ api: 'slipway-dev/api:v1' }),
      },
      ...push('develop'),
    });
    expect(byTag.code).toBe(1);
    expect(byTag.stdout).toContain(
      '::error::input images: api: must be an image by digest (<repository>@sha256:<64 hex>), got "slipway-dev/api:v1"',
    );
    // Refused before any stack was selected (or created), before the engine ran, before any config was written.
    expect(workspace.calls('pulumi')).toEqual([]);
    expect(workspace.pulumiConfig()).toEqual({});

    const platform = await runAction(workspace, github, {
      inputs: { command: 'deploy', project: 'platform', environment: 'dev' },
      ...push('develop'),
    });
    expect(platform.code).toBe(0);
    expect(engineCalls(workspace).map((c) => [c.args[0], c.cwd])).toEqual([
      ['preview', workspace.project],
      ['up', workspace.project],
    ]);
    expect(workspace.pulumiConfig()).toEqual({});
  },
);

test.concurrent(
  "a platform deploy is gated by the platform's own GitHub environment, and recorded there",
  async () => {
    const github = await githubWithImages();
    const workspace = workspaceFor({ previewLogs: [eventLog('up.json')], upLogs: [eventLog('up.json')] });
    // The apps' environment is protected, the platform's is not there: the platform deploy does not pass.
    github.environments.set('prod', protectedEnvironment(true));
    const inputs = {
      command: 'deploy',
      project: 'platform',
      environment: 'prod',
      'allow-change-set-drift': 'true',
    };
    const refused = await runAction(workspace, github, { inputs, ...push('release-2.4') });
    expect(refused.code).toBe(1);
    expect(refused.stdout).toContain(
      '::error::deploy to prod refused: platform-prod requires approval but its GitHub environment could not be read',
    );
    expect(engineCalls(workspace)).toEqual([]);

    github.environments.set('platform-prod', { ...protectedEnvironment(true), name: 'platform-prod' });
    const deployed = await runAction(workspace, github, { inputs, ...push('release-2.4') });
    expect(deployed.code).toBe(0);
    expect(engineCalls(workspace).map((c) => c.cwd)).toEqual([workspace.project, workspace.project]);
    expect((writes(github)[0]?.body as { environment: string }).environment).toBe('platform-prod');
  },
);
