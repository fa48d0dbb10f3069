import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { startFakeGitHub, stopFakeGitHubs } from './support/fake-github';
import { webhook } from './support/events';
import { runAction, Workspace } from './support/run-action';

afterAll(async () => {
  await stopFakeGitHubs();
  Workspace.removeAll();
});

const headSha = '9f1e2d3c4b5a69788796a5b4c3d2e1f0a9b8c7d6';
/** The workflow_run event pull-request-comment.yml runs on, for a pull request run that built headSha. */
const workflowRun = () => {
  const event = webhook('workflow_run', (p) => p.action === 'completed');
  Object.assign(event.workflow_run as object, { event: 'pull_request', head_sha: headSha, id: 777 });
  return { eventName: 'workflow_run', event, ref: 'refs/heads/main' };
};

function artifact(workspace: Workspace, environment: string, files: Record<string, string>): void {
  const dir = join(workspace.project, 'plans', `offline-plan-${environment}`);
  mkdirSync(dir, { recursive: true });
  for (const [name, text] of Object.entries(files)) writeFileSync(join(dir, name), text);
}

const plan = (stack: string, name: string) =>
  JSON.stringify({
    project: 'slipway',
    stack,
    base: 'abc',
    changes: [{ kind: 'create', type: 'aws:s3/bucket:Bucket', name, properties: [] }],
  });

test.concurrent(
  "posts a fork's offline plan rendered from its JSON, with the injected markup inert",
  async () => {
    const github = await startFakeGitHub();
    github.pulls.set(12, { head: { sha: headSha } });
    const workspace = new Workspace();
    artifact(workspace, 'dev', {
      'pr-number': '12\n',
      'plan.json': plan('dev', '<b>x</b> [y](https://evil.example) @octocat'),
      // A fork's own markdown is left lying there; it is never read.
      'plan.md': '## No changes <img src=x>',
    });
    const result = await runAction(workspace, github, {
      inputs: { command: 'offline-comment' },
      ...workflowRun(),
    });
    expect(result.stdout).not.toContain('::error::');
    expect(result.code).toBe(0);
    const [comment] = github.comments.get(12) ?? [];
    expect(comment?.body).toContain('<!-- slipway:offline-plan:slipway/dev -->');
    expect(comment?.body).toContain(
      '+ create aws:s3/bucket:Bucket <b>x</b> [y](https://evil.example) @octocat',
    );
    expect(comment?.body).not.toContain('No changes');
    expect(comment?.body).toContain('The plan reports 1 to create.');
  },
);

test.concurrent(
  'refuses a pull request no longer at the commit the run built, a stack pipeline.yaml lacks, or another project',
  async () => {
    const github = await startFakeGitHub();
    github.pulls.set(12, { head: { sha: 'ffffffffffffffffffffffffffffffffffffffff' } });
    const moved = new Workspace();
    artifact(moved, 'dev', { 'pr-number': '12', 'plan.json': plan('dev', 'bucket') });
    const refused = await runAction(moved, github, {
      inputs: { command: 'offline-comment' },
      ...workflowRun(),
    });
    expect(refused.code).toBe(1);
    expect(refused.stdout).toContain(
      `::error::pull request #12 is at ffffffffffffffffffffffffffffffffffffffff, not at ${headSha} which run 777 built; not commenting`,
    );

    const otherStack = new Workspace();
    artifact(otherStack, 'dev', { 'pr-number': '12', 'plan.json': plan('../../etc', 'bucket') });
    const bad = await runAction(otherStack, github, {
      inputs: { command: 'offline-comment' },
      ...workflowRun(),
    });
    expect(bad.code).toBe(1);
    expect(bad.stdout).toContain(
      '::error::offline-plan-dev/plan.json: stack: ../../etc is not a stack of pipeline.yaml',
    );

    const otherProject = new Workspace();
    artifact(otherProject, 'dev', {
      'pr-number': '12',
      'plan.json': plan('dev', 'bucket').replace('"project":"slipway"', '"project":"payroll"'),
    });
    const foreign = await runAction(otherProject, github, {
      inputs: { command: 'offline-comment' },
      ...workflowRun(),
    });
    expect(foreign.stdout).toContain(
      "::error::offline-plan-dev/plan.json: project: payroll is neither of this repository's Pulumi projects (slipway, slipway-apps)",
    );

    const badNumber = new Workspace();
    artifact(badNumber, 'dev', { 'pr-number': '12; rm -rf /', 'plan.json': plan('dev', 'bucket') });
    const worse = await runAction(badNumber, github, {
      inputs: { command: 'offline-comment' },
      ...workflowRun(),
    });
    expect(worse.stdout).toContain('::error::offline-plan-dev/pr-number: not a pull request number');
    expect(github.comments.get(12) ?? []).toEqual([]);
  },
);
