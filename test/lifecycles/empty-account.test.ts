import { join } from 'node:path';
import { bootstrapProgram } from '../../infra/bootstrap/program';
import { runOffline, type OfflineRun } from '../../offline/engine';
import { runApps } from '../../offline/projects';
import { startFakeGitHub, stopFakeGitHubs } from '../action/support/fake-github';
import { pushEvent } from '../action/support/events';
import { attestPushed } from '../action/support/attest';
import { eventLog, runAction, trivyReport, Workspace } from '../action/support/run-action';
import { renderStack, repoRoot } from '../support/render';

afterAll(async () => {
  await stopFakeGitHubs();
  Workspace.removeAll();
});

const develop = { eventName: 'push', event: pushEvent('develop'), ref: 'refs/heads/develop' };
const containerImages = (run: OfflineRun) =>
  Object.fromEntries(
    run.resources
      .filter((r) => r.type === 'kubernetes:apps/v1:Deployment')
      .map((r) => [
        r.name.replace(/^workloads-|-deployment$/g, ''),
        (r.inputs as { spec: { template: { spec: { containers: { image: string }[] } } } }).spec.template.spec
          .containers[0]?.image,
      ]),
  );

/**
 * The first deploy on an empty account, in the order docs/guides/first-deploy.md gives: bootstrap, platform
 * `up` (the registries now exist), build, scan and push, apps `up`. The programs run under the offline
 * engine; the action runs against fake docker, trivy and pulumi and a fake ECR that has no repository until
 * the platform creates them. Each step out of order fails, and says what comes first.
 */
test('an empty account deploys in order: bootstrap, platform, images, apps; each step early fails saying why', async () => {
  const bootstrap = await runOffline({
    projectDir: join(repoRoot, 'infra', 'bootstrap'),
    stack: 'sample',
    program: bootstrapProgram,
  });
  // dev's own key: every environment has one, which its GitHub environments' jobs read.
  const secretsProvider = String((bootstrap.outputs.secretsProviders as Record<string, string>).dev);
  const github = await startFakeGitHub();
  github.repositories.clear(); // an empty account: no repository yet
  const workspace = new Workspace({
    stacks: [], // and no stack in the bootstrap's backend
    previewLogs: [eventLog('up.json')],
    upLogs: [eventLog('up.json')],
    trivy: { default: trivyReport('alpine-310.json') },
  });
  const environments = JSON.stringify(['dev']);

  // The apps first: the platform stack they read has no outputs, and the error says what to do.
  await expect(
    runApps({ repoDir: repoRoot, stack: 'dev', platformOutputs: {}, running: {} }),
  ).rejects.toThrow('the platform stack has no outputs yet: deploy the platform first');

  // Images before the platform: the build finds no repository to look its inputs up in, nor does the push.
  const early = await runAction(workspace, github, {
    inputs: { command: 'build', environments },
    ...develop,
  });
  expect(early.code).toBe(1);
  expect(early.stdout).toContain(
    "The repository with name 'slipway-dev/web' does not exist in the registry with id '123456789012'",
  );
  expect(early.stdout).toContain('deploy the platform first');
  expect(github.images.size).toBe(0);

  // The platform: its stack is created with the bootstrap's secrets provider, and its repositories exist.
  const platformUp = await runAction(workspace, github, {
    inputs: {
      command: 'deploy',
      project: 'platform',
      environment: 'dev',
      'secrets-provider': secretsProvider,
    },
    ...develop,
  });
  expect(platformUp.code).toBe(0);
  const platform = await renderStack('dev');
  const repositoryUrls = platform.outputs.registryRepositoryUrls as Record<string, string>;
  for (const url of Object.values(repositoryUrls)) github.repositories.add(url.slice(url.indexOf('/') + 1));

  // Images: built, scanned and pushed by digest into the repositories the platform made.
  for (const command of ['build', 'scan'])
    expect((await runAction(workspace, github, { inputs: { command, environments }, ...develop })).code).toBe(
      0,
    );
  const pushed = await runAction(workspace, github, {
    inputs: { command: 'push', environments },
    ...develop,
  });
  expect(pushed.code).toBe(0);
  // The workflow's attest step records their build provenance, which the apps deploy verifies.
  attestPushed(github, pushed);
  const images = JSON.parse(pushed.outputs.images ?? '{}') as Record<string, string>;
  expect(Object.keys(images)).toEqual(['web', 'api', 'worker']);

  // The apps: their stack is created too, and the runner's copy of its file holds the pushed digests.
  const appsUp = await runAction(workspace, github, {
    inputs: {
      command: 'deploy',
      environment: 'dev',
      images: JSON.stringify(images),
      'secrets-provider': secretsProvider,
    },
    ...develop,
  });
  expect(appsUp.code).toBe(0);
  expect(workspace.created()).toEqual([
    { project: 'slipway', stack: 'dev', provider: secretsProvider },
    { project: 'slipway-apps', stack: 'dev', provider: secretsProvider },
  ]);
  const passed = Object.fromEntries(
    Object.entries(workspace.pulumiConfig())
      .filter(([key]) => key.startsWith('slipway:images.'))
      .map(([key, digest]) => [key.slice('slipway:images.'.length), digest]),
  );
  // Which the apps program, given that file and the platform's outputs, runs: each service its own digest.
  const apps = await runApps({
    repoDir: repoRoot,
    stack: 'dev',
    platformOutputs: platform.outputs,
    running: {},
    configOverrides: { 'slipway:images': JSON.stringify(passed) },
  });
  expect(containerImages(apps)).toEqual(images);
  for (const [service, ref] of Object.entries(images))
    expect(ref).toMatch(new RegExp(`^${repositoryUrls[service] ?? '?'}@sha256:[0-9a-f]{64}$`));
});
