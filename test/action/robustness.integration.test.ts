import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { actionsBot, startFakeGitHub, stopFakeGitHubs } from './support/fake-github';
import { pullRequestEvent, pushEvent } from './support/events';
import { logWithDiagnostics } from './support/event-logs';
import { defaultSha, eventLog, runAction, Workspace } from './support/run-action';
import { plantedSecrets, spellings } from '../support/secret-corpus';

// The action run whole (node action/dist/index.js) against bad data: incomplete engine streams, nested
// secrets, missing runner variables, other people's issues, registry failures that retrying cannot fix.
afterAll(async () => {
  await stopFakeGitHubs();
  Workspace.removeAll();
});

const push = (branch: string) => ({
  eventName: 'push',
  event: pushEvent(branch),
  ref: `refs/heads/${branch}`,
});
const schedule = { eventName: 'schedule', event: {}, ref: 'refs/heads/main' };

/** A recorded engine log changed by `edit` (one JSON event per line), written into the workspace. */
function editedLog(workspace: Workspace, fixture: string, name: string, edit: (lines: string[]) => string[]) {
  const lines = readFileSync(eventLog(fixture), 'utf8').split('\n').filter(Boolean);
  const file = join(workspace.dir, name);
  writeFileSync(file, edit(lines).join('\n') + '\n');
  return file;
}
// Each test runs the bundle several times; on a loaded 2-core machine that outlasts jest's default.
const slow = 180_000;
const isEvent = (kind: string) => (line: string) => line.includes(`"${kind}"`);

test.concurrent(
  'deploy drops a secret nested in a stack output from its outputs and masks it',
  async () => {
    const github = await startFakeGitHub();
    const nested = 'nested-db-password-9876';
    const workspace = new Workspace({
      previewLogs: [eventLog('up.json')],
      upLogs: [eventLog('up.json')],
      outputs: {
        url: { value: 'https://dev.shop.example.com', secret: false },
        // Pulumi's secret object inside a plain output: the SDK calls the whole output public.
        db: {
          value: {
            host: 'db.internal',
            password: {
              '4dabf18193072939515e22adb298388d': '1b47061264138c4ac30d75fd1eb44270',
              plaintext: JSON.stringify(nested),
            },
          },
          secret: false,
        },
      },
    });
    const result = await runAction(workspace, github, {
      inputs: { command: 'deploy', environment: 'dev' },
      ...push('develop'),
    });
    expect(result.code).toBe(0);
    expect(JSON.parse(result.outputs.outputs ?? '')).toEqual({
      url: 'https://dev.shop.example.com',
      db: { host: 'db.internal' },
    });
    expect(result.stdout).toContain(`::add-mask::${nested}`);
    expect(JSON.stringify(result.outputs)).not.toContain(nested);
    expect(result.summary).not.toContain(nested);
  },
  slow,
);

test.concurrent(
  'an engine stream cut before its summary, with a garbled line, or short of events fails the preview and says so',
  async () => {
    const github = await startFakeGitHub();
    const cases = {
      cut: (lines: string[]) =>
        lines.filter((line) => !isEvent('summaryEvent')(line) && !isEvent('cancelEvent')(line)),
      garbled: (lines: string[]) => [
        ...lines.slice(0, 3),
        '{"sequence":17,"resourcePreEvent":{"metadata":',
        ...lines.slice(3),
      ],
      short: (lines: string[]) =>
        lines.filter((line) => !(isEvent('resourcePreEvent')(line) && line.includes('"op":"create"'))),
    };
    const results = await Promise.all(
      Object.entries(cases).map(async ([name, edit]) => {
        const workspace = new Workspace();
        workspace.setScenario({ previewLogs: [editedLog(workspace, 'up.json', `${name}.json`, edit)] });
        return runAction(workspace, github, {
          inputs: { command: 'preview', project: 'platform', environment: 'dev' },
          ...push('develop'),
        });
      }),
    );
    for (const result of results) {
      expect(result.code).toBe(1);
      expect(result.outputs.outcome).toBe('failed');
      expect(result.outputs['change-set']).toBeUndefined();
      expect(result.summary).toContain('Slipway preview of slipway / dev: failed');
      expect(result.summary).not.toContain('No changes');
    }
    const [cut, garbled, short] = results.map((r) => r.stdout);
    expect(cut).toContain(
      'preview finished but its report cannot be trusted: the engine event stream ended without its summary event (cut short)',
    );
    expect(garbled).toContain('1 engine event line(s) could not be parsed');
    expect(short).toContain("the engine's summary counts differ from the events received (create 0 of 1)");
  },
  slow,
);

test.concurrent(
  'events come over gRPC from the pinned CLI; an older CLI is refused before it runs, naming the step that installs the pin',
  async () => {
    const github = await startFakeGitHub();
    const current = new Workspace({ previewLogs: [eventLog('up.json')] });
    const old = new Workspace({ previewLogs: [eventLog('up.json')], version: '3.200.0' });
    const run = (workspace: Workspace) =>
      runAction(workspace, github, {
        inputs: { command: 'preview', project: 'platform', environment: 'dev' },
        ...push('develop'),
      });
    const [now, before] = await Promise.all([run(current), run(old)]);
    const eventLogArg = (workspace: Workspace) => {
      const args = workspace.calls('pulumi').find((c) => c.args[0] === 'preview')?.args ?? [];
      return args[args.indexOf('--event-log') + 1] ?? '';
    };
    expect(eventLogArg(current)).toMatch(/^tcp:\/\/127\.0\.0\.1:\d+$/);
    expect(now.code).toBe(0);
    expect(now.outputs['create-count']).toBe('1');
    expect(now.stdout).not.toContain('::warning::Pulumi CLI');
    // A CLI up to 3.205 would hand events over through a file it polls, which can lose some under load.
    expect(eventLogArg(old)).toBe('');
    expect(before.code).toBe(1);
    expect(before.stdout).toContain(
      '::error::pulumi 3.200.0 is installed, Slipway needs 3.253.0: the workflow step "Install the Pulumi CLI" installs it',
    );
  },
  slow,
);

test.concurrent(
  'each missing runner variable is one line; outside a runner the lines are not %0A-encoded',
  async () => {
    const github = await startFakeGitHub();
    const workspace = new Workspace();
    const missing = { GITHUB_REF: undefined, GITHUB_SHA: undefined };
    const onRunner = await runAction(workspace, github, {
      inputs: { command: 'resolve' },
      ...push('main'),
      env: missing,
    });
    expect(onRunner.code).toBe(1);
    expect(onRunner.stdout).toContain(
      '::error::GITHUB_REF is not set: it names the branch or tag that started the run, e.g. refs/heads/main; GitHub Actions sets it in every job (set it yourself to run the action elsewhere)%0AGITHUB_SHA is not set: it names the commit',
    );
    expect(onRunner.stderr).not.toContain('startsWith');

    const local = await runAction(workspace, github, {
      inputs: { command: 'resolve' },
      ...push('main'),
      env: { ...missing, GITHUB_ACTIONS: undefined },
    });
    expect(local.code).toBe(1);
    expect(local.stderr).toMatch(/^Error: GITHUB_REF is not set: .*\nGITHUB_SHA is not set: .*\n$/);
    expect(local.stderr + local.stdout).not.toContain('%0A');
  },
  slow,
);

test.concurrent(
  'without GITHUB_STEP_SUMMARY a preview says so once and still comments',
  async () => {
    const github = await startFakeGitHub();
    const workspace = new Workspace({ previewLogs: [eventLog('up.json')] });
    const result = await runAction(workspace, github, {
      inputs: { command: 'preview', project: 'platform', environment: 'dev' },
      eventName: 'pull_request',
      event: pullRequestEvent({ number: 31, base: 'develop', head: 'feature-x' }),
      ref: 'refs/pull/31/merge',
      env: { GITHUB_STEP_SUMMARY: undefined },
    });
    expect(result.code).toBe(0);
    expect(result.stdout.match(/::warning::GITHUB_STEP_SUMMARY is not set/g)).toHaveLength(1);
    expect(github.comments.get(31)?.[0]?.body).toContain('Slipway preview of slipway / dev: 1 to create');
  },
  slow,
);

test.concurrent(
  "drift edits only its own issue, rewrites the title with the current counts, and leaves others' copies alone",
  async () => {
    const github = await startFakeGitHub();
    const marker = '<!-- slipway-drift project=slipway stack=prod -->';
    const planted = {
      number: 7,
      title: 'Drift in slipway/prod: nothing to see',
      body: `${marker}\nlooks like the bot's`,
      state: 'open',
      labels: [{ name: 'slipway-drift' }],
      user: { login: 'mallory', type: 'User' as const },
    };
    github.issues.push({ ...planted });
    const workspace = new Workspace({
      previewLogs: [eventLog('template-body.json'), eventLog('up-3.json'), eventLog('up-2.json')],
    });
    const drift = () =>
      runAction(workspace, github, {
        inputs: { command: 'drift', project: 'platform', environment: 'prod' },
        ...schedule,
      });

    const first = await drift();
    expect(first.code).toBe(0);
    const own = github.issues.find((issue) => issue.user.login === actionsBot.login);
    expect(own?.title).toBe('Drift in slipway/prod: 1 to update (57 unchanged)');
    expect(first.outputs['drift-issue']).toBe(String(own?.number));

    const second = await drift();
    expect(second.code).toBe(0);
    expect(second.outputs['drift-issue']).toBe(String(own?.number));
    expect(own?.title).toBe('Drift in slipway/prod: 6 to create');

    const clean = await drift();
    expect(clean.code).toBe(0);
    expect(own?.state).toBe('closed');
    expect(github.issues.find((issue) => issue.number === 7)).toEqual(planted);
  },
  slow,
);

test.concurrent(
  'a drift issue that cannot be written fails the run, and the job summary has the report',
  async () => {
    const github = await startFakeGitHub();
    github.issueWriteStatus = 403;
    const workspace = new Workspace({ previewLogs: [eventLog('template-body.json')] });
    const result = await runAction(workspace, github, {
      inputs: { command: 'drift', project: 'platform', environment: 'prod' },
      ...schedule,
    });
    expect(result.code).toBe(1);
    expect(result.outputs.outcome).toBe('changes');
    expect(result.stdout).toContain(
      '::error::drift check of stack prod: the drift issue could not be written (HTTP 403: Resource not accessible by integration',
    );
    expect(result.summary).toContain('### Slipway drift check of slipway / prod: 1 to update (57 unchanged)');
  },
  slow,
);

const onlyApi = { services: 'api', environments: '["dev"]' };

test.concurrent(
  'a push the registry denies, or an immutable tag another run took, fails at once without retries',
  async () => {
    const github = await startFakeGitHub();
    const denied = new Workspace({ pushDenied: true });
    const raced = new Workspace();
    const build = (workspace: Workspace) =>
      runAction(workspace, github, { inputs: { command: 'build', ...onlyApi }, ...push('main') });
    const pushed = (workspace: Workspace) =>
      runAction(workspace, github, { inputs: { command: 'push', ...onlyApi }, ...push('main') });
    expect((await build(denied)).code).toBe(0);
    const refused = await pushed(denied);
    expect(refused.code).toBe(1);
    expect(refused.stdout).toContain(
      'push of api to 123456789012.dkr.ecr.eu-west-1.amazonaws.com/slipway-dev/api failed (not retried: retrying cannot fix it): docker push',
    );
    expect(refused.stdout).toContain(
      'denied: User: arn:aws:sts::123456789012:assumed-role/slipway-deploy/gh is not authorized',
    );
    expect(refused.stdout).not.toContain('::warning::push of api failed');
    expect(denied.calls('docker').filter((c) => c.args[0] === 'push')).toHaveLength(1);

    // The other run (same commit) finds no image either, pushes first, and its digest holds the tag.
    expect((await build(raced)).code).toBe(0);
    github.landBeforePush.set(`slipway-dev/api:${defaultSha}`, 'sha256:0ther');
    const conflict = await pushed(raced);
    expect(conflict.code).toBe(1);
    expect(conflict.stdout).toContain('cannot be overwritten because the repository is immutable');
    expect(conflict.stdout).toContain('(not retried: retrying cannot fix it)');
    expect(raced.calls('docker').filter((c) => c.args[0] === 'push')).toHaveLength(1);
  },
  slow,
);

test.concurrent(
  'a commit tag holding an image built from other inputs is an error in build and push, not silently reused',
  async () => {
    const github = await startFakeGitHub();
    const workspace = new Workspace();
    // An earlier run pushed this tag from other code (an explicit image-tag reused after the code changed).
    github.images.set('slipway-dev/api:release-7', 'sha256:1111');
    github.images.set('slipway-dev/api:inputs-0123456789abcdef0123456789abcdef01234567', 'sha256:1111');
    const inputs = { ...onlyApi, 'image-tag': 'release-7' };
    const built = await runAction(workspace, github, {
      inputs: { command: 'build', ...inputs },
      ...push('main'),
    });
    const pushed = await runAction(workspace, github, {
      inputs: { command: 'push', ...inputs },
      ...push('main'),
    });
    for (const result of [built, pushed]) {
      expect(result.code).toBe(1);
      expect(result.stdout).toMatch(
        /api: slipway-dev\/api:release-7 holds sha256:1111, which was not built from this commit's inputs \(inputs-[0-9a-f]{40} is not in that repository\); tags are immutable, so run again with a new image-tag/,
      );
    }
    expect(workspace.calls('docker').filter((c) => c.args[0] === 'push')).toEqual([]);
    expect(pushed.outputs.images).toBeUndefined();
  },
  slow,
);

test.concurrent(
  'an ECR failure names the operation, the repository and what to check',
  async () => {
    const github = await startFakeGitHub();
    github.ecrFailures.set('DescribeImages', {
      status: 400,
      type: 'AccessDeniedException',
      message:
        'User: arn:aws:sts::123456789012:assumed-role/slipway-deploy/gh is not authorized to perform: ecr:DescribeImages',
    });
    const workspace = new Workspace();
    const result = await runAction(workspace, github, {
      inputs: { command: 'build', ...onlyApi },
      ...push('main'),
    });
    expect(result.code).toBe(1);
    expect(result.stdout).toContain(
      "ECR DescribeImages on repository slipway-dev/api in eu-west-1 failed (AccessDeniedException: User: arn:aws:sts::123456789012:assumed-role/slipway-deploy/gh is not authorized to perform: ecr:DescribeImages); check that the job's AWS role allows ecr:DescribeImages on slipway-dev/api",
    );
  },
  slow,
);

test.concurrent(
  'no planted secret an engine error or diagnostic quotes reaches the comment, summary, outputs or log',
  async () => {
    const github = await startFakeGitHub();
    const workspace = new Workspace();
    workspace.setScenario({
      previewLogs: [
        logWithDiagnostics(
          workspace.dir,
          'up.json',
          plantedSecrets.map((secret) => `${secret.name}=${secret.text}`),
        ),
      ],
      previewFailures: [
        `error: preview failed: ${plantedSecrets.map((secret) => `${secret.name}=${secret.text}`).join('\n')}`,
      ],
    });
    const result = await runAction(workspace, github, {
      inputs: { command: 'preview', project: 'platform', environment: 'dev' },
      eventName: 'pull_request',
      event: pullRequestEvent({ number: 44, base: 'develop', head: 'feature-leak' }),
      ref: 'refs/pull/44/merge',
    });
    expect(result.code).toBe(1);
    const comment = github.comments.get(44)?.[0]?.body ?? '';
    expect(comment).toContain('DATABASE_URL=postgres://app:[secret]@db.internal:5432/app');
    const outputs = {
      comment,
      summary: result.summary,
      outputs: JSON.stringify(result.outputs),
      log: result.stdout + result.stderr,
    };
    const leaks = Object.entries(outputs).flatMap(([where, text]) =>
      plantedSecrets.flatMap((secret) =>
        spellings(secret.value)
          .filter((spelling) => text.includes(spelling))
          .map(() => `${secret.name} in ${where}`),
      ),
    );
    expect([...new Set(leaks)]).toEqual([]);
  },
  slow,
);

test.concurrent(
  'preview and deploy run the policy pack: a mandatory violation fails both and shows in comment and summary',
  async () => {
    const github = await startFakeGitHub();
    const workspace = new Workspace({
      previewLogs: [eventLog('up.json')],
      upLogs: [eventLog('up.json')],
      policyEvents: [
        {
          policyName: 'ecr-immutable-tags',
          policyPackName: 'slipway',
          enforcementLevel: 'mandatory',
          message: 'ECR repositories must have immutable tags',
          resourceUrn:
            'urn:pulumi:dev::slipway::slipway:platform:Registry$aws:ecr/repository:Repository::registry-api',
        },
        {
          policyName: 'vpc-owner-tag',
          policyPackName: 'slipway',
          enforcementLevel: 'warning',
          message: 'the VPC has no owner tag',
        },
      ],
    });
    mkdirSync(join(workspace.project, 'policy'));
    writeFileSync(join(workspace.project, 'policy', 'PulumiPolicy.yaml'), 'runtime: nodejs\n');
    const previewed = await runAction(workspace, github, {
      inputs: { command: 'preview', project: 'platform', environment: 'dev' },
      eventName: 'pull_request',
      event: pullRequestEvent({ number: 51, base: 'develop', head: 'feature-mutable' }),
      ref: 'refs/pull/51/merge',
    });
    const args = workspace.calls('pulumi').find((c) => c.args[0] === 'preview')?.args ?? [];
    expect(args[args.indexOf('--policy-pack') + 1]).toBe(join(workspace.project, 'policy'));
    expect(previewed.code).toBe(1);
    expect(previewed.outputs.outcome).toBe('failed');
    const row =
      '| mandatory | slipway/ecr-immutable-tags | aws:ecr/repository:Repository::registry-api | ECR repositories must have immutable tags |';
    const comment = github.comments.get(51)?.[0]?.body ?? '';
    for (const report of [comment, previewed.summary]) {
      expect(report).toContain('**Policy violations: 1 mandatory, 1 advisory**');
      expect(report).toContain(row);
      expect(report).toContain('| advisory | slipway/vpc-owner-tag | the stack | the VPC has no owner tag |');
    }

    const deployed = await runAction(workspace, github, {
      inputs: { command: 'deploy', environment: 'dev' },
      ...push('develop'),
    });
    expect(deployed.code).toBe(1);
    expect(deployed.stdout).toContain('::error::deploy to dev: the preview before up failed for stack dev');
    expect(deployed.summary).toContain(row);
    expect(workspace.calls('pulumi').filter((c) => c.args[0] === 'up')).toEqual([]);

    // A pack named in the input that is not there is one line, before the engine runs.
    const missing = await runAction(workspace, github, {
      inputs: { command: 'preview', project: 'platform', environment: 'dev', 'policy-pack': 'policies' },
      ...push('develop'),
    });
    expect(missing.code).toBe(1);
    expect(missing.stdout).toContain('input policy-pack: policies has no PulumiPolicy.yaml');
  },
  slow,
);
