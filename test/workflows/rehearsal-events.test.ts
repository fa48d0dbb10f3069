import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { failures, newWorld, pullRequest, push, roles } from './rehearsal/support';
import { rehearse } from './rehearsal/rehearse';
import type { World } from './rehearsal/world';
import type { Job } from './workflow-files';

describe('the rehearsal of every event', () => {
  let world: World;
  beforeAll(async () => {
    world = await newWorld();
  });

  it('develop: builds, scans and pushes once with the publish role, then deploys dev in its environment', async () => {
    const r = await rehearse(world, 'workflows/deploy.yml', push('develop'));
    expect(failures(r)).toEqual([]);
    expect(r.ran).toEqual(['resolve', 'build (web,api,worker)', 'images', 'deploy (dev)']);
    expect(roles(r)).toEqual([
      'build (web,api,worker): slipway-publish as repo:acme/slipway:environment:slipway-publish',
      'images: slipway-publish as repo:acme/slipway:environment:slipway-publish',
      'deploy (dev): slipway-deploy-dev as repo:acme/slipway:environment:dev',
    ]);
    expect(r.deployed).toEqual([{ job: 'deploy (dev)', stack: 'dev' }]);
    expect(r.approvals).toEqual([]);
    // The deploy updated pull request 7's comment: its token may.
    expect(world.github.comments.get(7)?.length).toBeGreaterThan(0);
    // Provenance: the build job attests what it built, signed as deploy.yml of this repository; the images job
    // tags it, and the deploy runs it, only after gh attestation verify finds that.
    const log = (job: string) => r.jobs.find((j) => j.name === job)?.log ?? '';
    expect(log('build (web,api,worker)')).toContain('attested 3 subjects');
    const verified = (repository: string) =>
      new RegExp(
        `${repository}/api@sha256:[0-9a-f]{64}: build provenance verified \\(\\.github/workflows/deploy\\.yml of acme/slipway\\)`,
      );
    expect(log('images')).toMatch(verified('slipway-dev'));
    expect(log('deploy (dev)')).toMatch(verified('slipway-dev'));
  });

  it('main: dev then staging, one at a time, each with its own role', async () => {
    const r = await rehearse(world, 'workflows/deploy.yml', push('main'));
    expect(failures(r)).toEqual([]);
    expect(r.ran).toEqual([
      'resolve',
      'build (web,api,worker)',
      'images',
      'deploy (dev)',
      'deploy (staging)',
    ]);
    expect(roles(r).slice(2)).toEqual([
      'deploy (dev): slipway-deploy-dev as repo:acme/slipway:environment:dev',
      'deploy (staging): slipway-deploy-staging as repo:acme/slipway:environment:staging',
    ]);
    expect(r.deployed.map((d) => d.stack)).toEqual(['dev', 'staging']);
  });

  // release-1.0 takes the same gated path with this pipeline; rehearsal-add-environment.test.ts rehearses it
  // (and hotfix/x) with seed 004's rules, where release-* deploys prod without approval.
  it.each(['hotfix/x'])(
    '%s: prod is previewed with the read role, approved, then deployed with its change set',
    async (branch) => {
      const r = await rehearse(world, 'workflows/deploy.yml', push(branch));
      expect(failures(r)).toEqual([]);
      expect(r.ran).toEqual([
        'resolve',
        'build (web,api,worker)',
        'images',
        'preview (prod)',
        'deploy (prod)',
      ]);
      expect(roles(r)).toEqual([
        'build (web,api,worker): slipway-publish as repo:acme/slipway:environment:slipway-publish',
        'images: slipway-publish as repo:acme/slipway:environment:slipway-publish',
        'preview (prod): slipway-read as repo:acme/slipway:environment:slipway-read',
        'deploy (prod): slipway-deploy-prod as repo:acme/slipway:environment:prod',
      ]);
      expect(r.approvals).toEqual(['prod']);
      expect(r.deployed).toEqual([{ job: 'deploy (prod)', stack: 'prod' }]);
      // The change set the preview showed went to the deploy, which refuses a gated deploy without one.
      const approved = readFileSync(join(world.artifacts, 'change-set-prod', 'change-set'), 'utf8');
      expect(approved).toMatch(/^sha256:[0-9a-f]{64}\n$/);
      expect(r.jobs.find((j) => j.name === 'deploy (prod)')?.log).toContain('downloaded change-set-prod');
      // prod's repositories are written by prod's own job, after approval, never by the publish role's jobs.
      const log = (job: string) => r.jobs.find((j) => j.name === job)?.log ?? '';
      expect(log('images')).not.toMatch(/slipway-prod\//);
      expect(log('deploy (prod)')).toMatch(
        /api: promoted sha256:[0-9a-f]{64} from \S+\/slipway-staging\/api into slipway-prod\/api/,
      );

      // The same deploy job without actions: read cannot read prod's rules, and fails closed (a regression case,
      // here because it starts from this rehearsal's jobs before the deploy).
      const unread = await rehearse(world, 'workflows/deploy.yml', push(branch), {
        change: (w) => {
          delete ((w.jobs.deploy as Job).permissions as Record<string, string>).actions;
        },
        from: { rehearsal: r, job: 'deploy' },
      });
      expect(unread.forbidden).toEqual([
        expect.stringMatching(/^deploy \(prod\) GET .*\/environments\/prod needs actions: read$/),
      ]);
      expect(failures(unread).join('\n')).toContain('deploy to prod refused: prod requires approval');
    },
  );

  it('a new branch, with a workflow of its own, gets neither the publish nor the read role', async () => {
    // Whoever can push a branch can push a workflow: the roles trust only their GitHub environments' jobs,
    // and GitHub starts a job there only on a branch their deployment branch policies admit.
    const steal = (environment: string, role: string) => ({
      'runs-on': 'ubuntu-latest',
      environment,
      permissions: { 'id-token': 'write' },
      steps: [
        {
          uses: 'aws-actions/configure-aws-credentials@e6de054238d6b7531b4efff3b6587d9aade6a06c',
          with: { 'role-to-assume': `\${{ vars.${role} }}`, 'aws-region': 'eu-west-1' },
        },
      ],
    });
    writeFileSync(
      join(world.repo, 'workflows', 'steal.yml'),
      JSON.stringify({
        on: 'push',
        jobs: {
          publish: steal('slipway-publish', 'SLIPWAY_PUBLISH_ROLE'),
          read: steal('slipway-read', 'SLIPWAY_READ_ROLE'),
          // Outside the environment the token's subject is the branch, which no role trusts.
          outside: { ...steal('slipway-read', 'SLIPWAY_READ_ROLE'), environment: undefined },
        },
      }),
    );
    const r = await rehearse(world, 'workflows/steal.yml', push('feature/steal'));
    expect(roles(r)).toEqual([]);
    expect(failures(r)).toEqual([
      'publish: Branch "feature/steal" is not allowed to deploy to slipway-publish due to environment protection rules.',
      'read: Branch "feature/steal" is not allowed to deploy to slipway-read due to environment protection rules.',
      expect.stringMatching(/^outside: .*Not authorized to perform sts:AssumeRoleWithWebIdentity/s),
    ]);
  });

  it('a fork pull request: local build and scan, the offline plan, and no AWS role anywhere', async () => {
    const r = await rehearse(world, 'workflows/pull-request.yml', pullRequest('someone/slipway', 'develop'), {
      fork: true,
    });
    expect(failures(r)).toEqual([]);
    // Both projects' plans (docs/two-lifecycles.md), each its own artifact and comment.
    expect(r.ran).toEqual(['resolve', 'images', 'offline-plan (dev, platform)', 'offline-plan (dev, apps)']);
    expect(roles(r)).toEqual([]);
    expect(r.jobs.find((j) => j.job === 'preview')?.result).toBe('skipped');

    // Then pull-request-comment.yml, on the run's completion, posts the plan with the base repository's token.
    world.github.pulls.set(7, { head: { sha: 'a'.repeat(40) } });
    const comment = await rehearse(world, 'workflows/pull-request-comment.yml', {
      name: 'workflow_run',
      ref: 'refs/heads/main',
      payload: {
        workflow_run: { id: 4242, event: 'pull_request', head_sha: 'a'.repeat(40) },
        repository: { full_name: 'acme/slipway' },
      },
    });
    expect(failures(comment)).toEqual([]);
    expect(comment.ran).toEqual(['comment']);
    const bodies = world.github.comments.get(7)?.map((c) => c.body) ?? [];
    expect(bodies.filter((body) => body.includes('<!-- slipway:offline-plan:slipway/dev -->'))).toHaveLength(
      1,
    );
    expect(
      bodies.filter((body) => body.includes('<!-- slipway:offline-plan:slipway-apps/dev -->')),
    ).toHaveLength(1);
  });

  it('a same-repository pull request previews both projects of dev with the preview role and comments', async () => {
    const r = await rehearse(world, 'workflows/pull-request.yml', pullRequest('acme/slipway', 'develop'));
    expect(failures(r)).toEqual([]);
    expect(r.ran).toEqual(['resolve', 'images', 'preview (dev, platform)', 'preview (dev, apps)']);
    expect(roles(r)).toEqual([
      'preview (dev, platform): slipway-preview as repo:acme/slipway:pull_request',
      'preview (dev, apps): slipway-preview as repo:acme/slipway:pull_request',
    ]);
  });

  it('the scheduled drift check reads every environment of pipeline.yaml, and the bootstrap, with the read role', async () => {
    const r = await rehearse(world, 'workflows/drift.yml', { ...push('main'), name: 'schedule' });
    expect(failures(r)).toEqual([]);
    expect(r.ran).toEqual([
      'resolve',
      ...['dev', 'staging', 'prod'].flatMap((env) => [`drift (${env}, platform)`, `drift (${env}, apps)`]),
      'bootstrap',
    ]);
    expect(roles(r)).toHaveLength(7);
    expect(
      roles(r).every((line) => line.includes('slipway-read as repo:acme/slipway:environment:slipway-read')),
    ).toBe(true);
    // The bootstrap's stack (its one stack file, from its state in the bucket) was previewed with a refresh, and
    // its drift (the recorded preview has changes) is one issue of its own, like each stack's.
    const bootstrapLog = r.jobs.find((j) => j.name === 'bootstrap')?.log ?? '';
    expect(bootstrapLog).toContain('Previewing (sample)');
    const titles = world.github.issues.map((issue) => issue.title);
    expect(titles.filter((title) => title.startsWith('Drift in slipway-bootstrap/sample: '))).toHaveLength(1);
    expect(titles.filter((title) => title.startsWith('Drift in '))).toHaveLength(7);

    // Without the read-only token the GitHub provider cannot read the repository's settings: the job fails,
    // it does not pass unseen.
    const secrets = world.secrets;
    world.secrets = {};
    try {
      const untokened = await rehearse(
        world,
        'workflows/drift.yml',
        { ...push('main'), name: 'schedule' },
        { change: (workflow) => void delete workflow.jobs.drift },
      );
      expect(untokened.ran).toEqual(['resolve', 'bootstrap']);
      expect(failures(untokened).join('\n')).toContain('environments: 404 Not Found');
    } finally {
      world.secrets = secrets;
    }
  });
});
