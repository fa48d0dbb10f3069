import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import type { Job, Workflow } from './workflow-files';
import { failures, named, newWorld, push, without } from './rehearsal/support';
import { rehearse, type Rehearsal } from './rehearsal/rehearse';
import type { World } from './rehearsal/world';

describe('the rehearsal fails for each thing a runner would miss', () => {
  let world: World;
  // A push to develop as the workflow stands, up to the deploy: each broken deploy below starts at the deploy
  // job, after this rehearsal's resolve, build and push (its images are in the registry).
  let develop: Rehearsal;
  beforeAll(async () => {
    world = await newWorld();
    develop = await rehearse(world, 'workflows/deploy.yml', push('develop'), { until: 'preview' });
    if (failures(develop).length > 0) throw new Error(failures(develop).join('\n'));
  });
  const deploy = (change: (w: Workflow) => void) =>
    rehearse(world, 'workflows/deploy.yml', push('develop'), {
      change,
      from: { rehearsal: develop, job: 'deploy' },
    });
  const images = (change: (w: Workflow) => void) =>
    rehearse(world, 'workflows/deploy.yml', push('develop'), { change, until: 'build' });

  it.each([
    [
      'no Pulumi CLI',
      without('deploy', named('Install the Pulumi CLI')),
      'needs pulumi, which is not installed',
    ],
    [
      'no backend URL',
      (w: Workflow) => delete (w.jobs.deploy as { env?: Record<string, string> }).env,
      'PULUMI_BACKEND_URL is not set',
    ],
    [
      'no OIDC token',
      (w: Workflow) => delete ((w.jobs.deploy as Job).permissions as Record<string, string>)['id-token'],
      'Did you mean to set the `id-token` permission?',
    ],
    [
      'the deploy outside its GitHub environment (the role trusts only that subject)',
      (w: Workflow) => delete (w.jobs.deploy as Job).environment,
      'Not authorized to perform sts:AssumeRoleWithWebIdentity',
    ],
  ])('a deploy with %s', async (_what, change, message) => {
    const r = await deploy(change);
    expect(r.ok).toBe(false);
    expect(failures(r).join('\n')).toContain(message);
  });

  it("a deploy on the runner's Node 20: EBADENGINE on install, and the program refuses to run", async () => {
    const r = await deploy(without('deploy', (s) => Boolean(s.uses?.startsWith('actions/setup-node@'))));
    expect(r.engineWarnings).toEqual(
      expect.arrayContaining([expect.stringMatching(/^@pulumi\/pulumi on v20\./)]),
    );
    expect(failures(r).join('\n')).toContain('the Pulumi SDK needs Node.js 22 or later');
  });

  it.each([
    ['no Trivy', without('build', named('Install Trivy')), 'scan needs trivy, which is not installed'],
    ['no buildx builder', without('build', named('Set up Docker Buildx')), 'build needs docker buildx'],
    [
      'a Trivy checksum that is not the published one',
      (w: Workflow) => {
        const step = (w.jobs.build as Job).steps?.find(named('Install Trivy'));
        if (step?.env) step.env.TRIVY_SHA256 = '0'.repeat(64);
      },
      'computed checksum did NOT match',
    ],
  ])('a build job with %s', async (_what, change, message) => {
    const r = await images(change);
    expect(r.ok).toBe(false);
    expect(failures(r).join('\n')).toContain(message);
  });

  // A gated deploy without actions: read is rehearsal-events.test.ts's, from its hotfix/x rehearsal.

  it('a deploy without pull-requests: write cannot update the pull request comment', async () => {
    const r = await deploy((w) => {
      delete ((w.jobs.deploy as Job).permissions as Record<string, string>)['pull-requests'];
    });
    expect(r.ok).toBe(false);
    expect(r.forbidden.join('\n')).toMatch(
      /^deploy \(dev\) GET .*\/issues\/7\/comments needs pull-requests: read/m,
    );
  });

  it('an action that declares the removed Node 20 runtime does not start', async () => {
    const node20 = await newWorld();
    const file = join(node20.repo, 'action', 'action.yml');
    writeFileSync(file, readFileSync(file, 'utf8').replace('using: node24', 'using: node20'));
    const r = await rehearse(node20, 'workflows/deploy.yml', push('develop'), { until: 'resolve' });
    expect(failures(r)).toEqual([
      "resolve: ./action: The runtime 'node20' is not supported by this runner (node24 is)",
    ]);
  });
});
