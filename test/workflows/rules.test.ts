import { checkDeployWorkflow, checkPullRequestWorkflow, pipelineEnvironments } from './pipeline-rules';
import {
  actionsPinnedBySha,
  awsThroughOidcOnly,
  cachesKeyedOnLockFile,
  jobPermissionsExact,
  noExpressionsInRun,
  noPullRequestTarget,
  rules,
  topLevelPermissionsReadOnly,
} from './rules';
import { mutated, readWorkflow, workflowPaths, type Job, type WorkflowFile } from './workflow-files';

const files = workflowPaths.map(readWorkflow);
const file = (path: string) => files.find((f) => f.path === path) as WorkflowFile;
const job = (f: WorkflowFile, name: string) => f.workflow.jobs[name] as Job;
const stepOf = (j: Job, command: string) => (j.steps ?? []).find((s) => s.with?.command === command);

describe.each(Object.entries(rules))('rule %s', (_name, rule) => {
  it.each(workflowPaths)('holds for %s', (path) => {
    expect(rule(file(path))).toEqual([]);
  });
});

describe('each rule catches what it is about', () => {
  const deploy = file('workflows/deploy.yml');
  const pullRequest = file('workflows/pull-request.yml');

  it('top-level write permissions', () => {
    const bad = mutated(deploy, (w) => (w.permissions = { contents: 'write' }));
    expect(topLevelPermissionsReadOnly(bad)).toEqual([
      'workflows/deploy.yml: top-level permissions grant contents: write',
    ]);
    expect(topLevelPermissionsReadOnly(mutated(deploy, (w) => delete w.permissions))).toHaveLength(1);
  });

  it('a write a job does not need, and a need not granted', () => {
    const extra = mutated(
      deploy,
      (w) => ((w.jobs.resolve as Job).permissions = { contents: 'read', issues: 'write' }),
    );
    expect(jobPermissionsExact(extra)).toEqual([
      'workflows/deploy.yml: job resolve has issues: write it does not need',
    ]);
    const missing = mutated(
      deploy,
      (w) => ((w.jobs.deploy as Job).permissions = { contents: 'read', 'id-token': 'write' }),
    );
    expect(jobPermissionsExact(missing)).toEqual([
      'workflows/deploy.yml: job deploy needs pull-requests: write',
      'workflows/deploy.yml: job deploy needs deployments: write',
      'workflows/deploy.yml: job deploy needs actions: read',
      'workflows/deploy.yml: job deploy needs attestations: read',
    ]);
  });

  it('an action pinned by tag or without its version comment', () => {
    const sha = '3d3c42e5aac5ba805825da76410c181273ba90b1 # v7.0.1';
    const byTag = mutated(
      deploy,
      () => undefined,
      deploy.text.replace(`actions/checkout@${sha}`, 'actions/checkout@v4'),
    );
    expect(actionsPinnedBySha(byTag)).toHaveLength(1);
    const noComment = mutated(deploy, () => undefined, deploy.text.replace(sha, sha.split(' ')[0] as string));
    expect(actionsPinnedBySha(noComment)[0]).toMatch(/not pinned by commit SHA with a version comment/);
  });

  it('AWS keys instead of a role', () => {
    const bad = mutated(deploy, (w) => {
      const step = (w.jobs.deploy as Job).steps?.find((s) => s.uses?.startsWith('aws-actions/'));
      if (step?.with) {
        delete step.with['role-to-assume'];
        step.with['aws-access-key-id'] = '${{ secrets.KEY }}';
      }
    });
    expect(awsThroughOidcOnly(bad)).toEqual([
      'workflows/deploy.yml: job deploy configures AWS without an OIDC role',
    ]);
  });

  it('an expression inside a run script', () => {
    const bad = mutated(pullRequest, (w) => {
      const step = (w.jobs['offline-plan'] as Job).steps?.find((s) => s.run?.includes('npm run'));
      if (step) step.run = 'npm run plan -- --stack x --base ${{ github.event.pull_request.base.sha }}';
    });
    expect(noExpressionsInRun(bad)).toHaveLength(1);
  });

  it('pull_request_target', () => {
    const bad = mutated(pullRequest, (w) => (w.on = { pull_request_target: {} }));
    expect(noPullRequestTarget(bad)).toEqual(['workflows/pull-request.yml: uses pull_request_target']);
  });

  it('a job that installs or runs Pulumi without the caches keyed on the lock file and provider versions', () => {
    const bad = mutated(deploy, (w) => {
      const j = w.jobs.deploy as Job;
      j.steps = j.steps?.filter((s) => !s.uses?.startsWith('actions/cache@'));
    });
    expect(cachesKeyedOnLockFile(bad)).toEqual([
      'workflows/deploy.yml: job deploy runs npm ci without the npm cache keyed on the lock file',
      'workflows/deploy.yml: job deploy runs Pulumi without the plugin cache keyed on the provider versions',
    ]);
  });
});

describe('deploy.yml', () => {
  const deploy = file('workflows/deploy.yml');
  const environments = pipelineEnvironments();

  it("deploys resolve's targets one at a time, each in its environment with its role, naming none itself", () => {
    expect(environments.map((e) => e.name)).toEqual(['dev', 'staging', 'prod']);
    expect(checkDeployWorkflow(deploy, environments)).toEqual([]);
  });

  it('builds in a matrix of build groups that only stage, then pushes once after all of them', () => {
    const build = job(deploy, 'build');
    expect((build.strategy as { matrix: unknown }).matrix).toEqual({
      build: '${{ fromJSON(needs.resolve.outputs.builds) }}',
    });
    for (const command of ['build', 'scan', 'push'])
      expect(stepOf(build, command)?.with?.services).toBe('${{ matrix.build.services }}');
    expect(stepOf(build, 'push')?.with?.stage).toBe(true);
    // The images job pushes for the publish role; the deploy job only promotes (push with images) into a
    // gated stack's repositories, with that stack's role.
    const pushes = Object.values(deploy.workflow.jobs).filter(
      (j) => stepOf(j, 'push') && !stepOf(j, 'push')?.with?.stage && !stepOf(j, 'push')?.with?.images,
    );
    expect(pushes).toEqual([job(deploy, 'images')]);
    expect(stepOf(job(deploy, 'deploy'), 'push')?.if).toBe('matrix.target.promote');
    expect(job(deploy, 'images').needs).toEqual(['resolve', 'build']);
    expect(stepOf(job(deploy, 'images'), 'build')).toBeUndefined();
    expect(job(deploy, 'images').outputs?.['environment-images']).toBe(
      '${{ steps.push.outputs.environment-images }}',
    );
  });

  it.each([
    [
      'a deploy matrix run in parallel',
      (j: Record<string, Job>) =>
        ((j.deploy as Job).strategy = { matrix: (j.deploy?.strategy as { matrix: unknown }).matrix }),
      'does not deploy one environment at a time',
    ],
    [
      'a deploy outside its environment',
      (j: Record<string, Job>) => delete (j.deploy as Job).environment,
      "does not run in its target's GitHub environment",
    ],
    [
      'cancelling concurrency',
      (j: Record<string, Job>) =>
        ((j.deploy as Job).concurrency = {
          group: 'deploy-${{ matrix.target.stack }}',
          'cancel-in-progress': true,
        }),
      'is not queued per stack',
    ],
    [
      'a deploy that does not wait for the gated preview',
      (j: Record<string, Job>) => ((j.deploy as Job).needs = ['resolve', 'images']),
      'does not wait for preview',
    ],
    [
      'the approved change set not handed over',
      (j: Record<string, Job>) => delete stepOf(j.deploy as Job, 'deploy')?.with?.['expected-change-set'],
      'does not deploy the change set the reviewers approved',
    ],
    [
      'the preview waiting for approval',
      (j: Record<string, Job>) => ((j.preview as Job).environment = '${{ matrix.target.environment }}'),
      'runs in an environment',
    ],
    [
      'a hard-coded role',
      (j: Record<string, Job>) => {
        const s = (j.deploy as Job).steps?.find((x) => x.uses?.startsWith('aws-actions/'));
        if (s?.with) s.with['role-to-assume'] = 'arn:aws:iam::1:role/slipway-deploy-prod';
      },
      "does not assume its target's role",
    ],
    [
      "a gated stack's images left to the publish role (no promotion in the deploy job)",
      (j: Record<string, Job>) => {
        const deployJob = j.deploy as Job;
        deployJob.steps = deployJob.steps?.filter((x) => x !== stepOf(deployJob, 'push'));
      },
      "does not promote its gated target's images into its repositories before deploying",
    ],
    [
      'a build that does not know the environments',
      (j: Record<string, Job>) => delete stepOf(j.build as Job, 'build')?.with?.environments,
      "job build: build is not given resolve's environments",
    ],
  ])('catches %s', (_what, change, message) => {
    const bad = mutated(deploy, (w) => change(w.jobs));
    expect(checkDeployWorkflow(bad, environments).join('\n')).toContain(message);
  });

  it('catches an environment named in the file', () => {
    const bad = mutated(deploy, () => undefined, deploy.text + '\n      group: deploy-prod\n');
    expect(checkDeployWorkflow(bad, environments)).toEqual([
      'workflows/deploy.yml names the environment prod: it should come from pipeline.yaml',
    ]);
  });
});

describe('pull-request.yml', () => {
  const pullRequest = file('workflows/pull-request.yml');

  it('gives AWS only to same-repository runs, with the preview role; forks get the offline plan', () => {
    expect(checkPullRequestWorkflow(pullRequest)).toEqual([]);
    expect(job(pullRequest, 'offline-plan').if).toBe("needs.resolve.outputs.offline-previews != '[]'");
  });

  it('plans gated environments (prod, for PRs into release-* and hotfix/*) offline, as forks do', () => {
    const outputs = job(pullRequest, 'resolve').outputs ?? {};
    expect(outputs['online-previews']).toContain('steps.resolve.outputs.online-preview-environments');
    expect(outputs['offline-previews']).toContain('steps.resolve.outputs.offline-preview-environments');
    const allOnline = mutated(pullRequest, (w) => {
      const strategy = (w.jobs.preview as Job).strategy as { matrix: { environment: string } };
      strategy.matrix.environment = '${{ fromJSON(needs.resolve.outputs.preview-environments) }}';
    });
    expect(checkPullRequestWorkflow(allOnline)).toEqual([
      'workflows/pull-request.yml: job preview previews with AWS what the preview role does not open',
    ]);
    const forksOnly = mutated(pullRequest, (w) => {
      const resolve = w.jobs.resolve as Job;
      if (resolve.outputs)
        resolve.outputs['offline-previews'] =
          "${{ github.event.pull_request.head.repo.full_name != github.repository && steps.resolve.outputs.preview-environments || '[]' }}";
    });
    expect(checkPullRequestWorkflow(forksOnly)).toEqual([
      "workflows/pull-request.yml: resolve's offline-previews is not every environment for forks, the gated ones otherwise",
    ]);
    const notPlanned = mutated(pullRequest, (w) => {
      const strategy = (w.jobs['offline-plan'] as Job).strategy as { matrix: { environment: string } };
      strategy.matrix.environment = '${{ fromJSON(needs.resolve.outputs.online-previews) }}';
    });
    expect(checkPullRequestWorkflow(notPlanned)).toEqual([
      "workflows/pull-request.yml: job offline-plan does not plan the forks' and the gated environments",
    ]);
  });

  it('builds and scans every pull request, forks included, locally with no AWS credentials', () => {
    const images = job(pullRequest, 'images');
    expect(images.if).toBeUndefined();
    expect(images.permissions).toEqual({ contents: 'read' });
    expect(stepOf(images, 'build')?.with?.push).toBe(false);
    expect(stepOf(images, 'scan')?.with?.push).toBe(false);
    const pushing = mutated(pullRequest, (w) => {
      const s = stepOf(w.jobs.images as Job, 'build');
      if (s?.with) delete s.with.push;
    });
    expect(checkPullRequestWorkflow(pushing)).toEqual([
      'workflows/pull-request.yml: job images: build may reach the registry (push is not false)',
    ]);
    const sameRepoOnly = mutated(
      pullRequest,
      (w) =>
        ((w.jobs.images as Job).if = 'github.event.pull_request.head.repo.full_name == github.repository'),
    );
    expect(checkPullRequestWorkflow(sameRepoOnly)).toEqual([
      'workflows/pull-request.yml: job images: build should run for every PR with no AWS credentials',
      'workflows/pull-request.yml: job images: scan should run for every PR with no AWS credentials',
    ]);
  });

  it('catches a fork reaching AWS, a deploy role, and an offline plan without the base', () => {
    const forkAws = mutated(
      pullRequest,
      (w) => ((w.jobs.preview as Job).if = "needs.resolve.outputs.online-previews != '[]'"),
    );
    expect(checkPullRequestWorkflow(forkAws)).toEqual([
      'workflows/pull-request.yml: job preview gives forks AWS credentials',
    ]);
    const deployRole = mutated(pullRequest, (w) => {
      const s = (w.jobs.preview as Job).steps?.find((x) => x.uses?.startsWith('aws-actions/'));
      if (s?.with) s.with['role-to-assume'] = 'arn:aws:iam::1:role/slipway-deploy-dev';
    });
    expect(checkPullRequestWorkflow(deployRole)[0]).toMatch(
      /job preview assumes .*slipway-deploy-dev, not the preview role/,
    );
    const noBase = mutated(pullRequest, (w) => {
      const s = (w.jobs['offline-plan'] as Job).steps?.find((x) => x.run?.includes('npm run'));
      if (s) s.run = 'npm run --silent plan -- --stack "$STACK" --format json';
    });
    expect(checkPullRequestWorkflow(noBase)).toEqual([
      "workflows/pull-request.yml: job offline-plan does not diff against the PR's base commit",
    ]);
    const environmentAsStack = mutated(pullRequest, (w) => {
      const s = (w.jobs['offline-plan'] as Job).steps?.find((x) => x.run?.includes('npm run'));
      if (s?.env) s.env.STACK = '${{ matrix.environment }}';
    });
    expect(checkPullRequestWorkflow(environmentAsStack)).toEqual([
      'workflows/pull-request.yml: job offline-plan does not plan the stack pipeline.yaml names for the environment',
    ]);
  });

  it("posts the offline plans through the base branch's action, never the PR's markdown or code", () => {
    const comment = file('workflows/pull-request-comment.yml');
    expect(Object.keys(comment.workflow.on as object)).toEqual(['workflow_run']);
    // Same-repository PRs' gated-environment plans are posted too, not only forks'.
    expect(job(comment, 'comment').if).toBe("github.event.workflow_run.event == 'pull_request'");
    const steps = job(comment, 'comment').steps ?? [];
    // The checkout is the default branch's (no ref from the run), and the action renders the JSON.
    const checkout = steps.find((s) => s.uses?.startsWith('actions/checkout'));
    expect(checkout?.with).toEqual({ 'persist-credentials': false });
    expect(steps.at(-1)).toEqual({
      uses: './action',
      with: { command: 'offline-comment', 'plans-directory': 'plans' },
    });
    expect(steps.map((s) => s.run ?? '').join('\n')).not.toMatch(/plan\.md|npm |node /);
  });
});
