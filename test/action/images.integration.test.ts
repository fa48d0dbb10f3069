import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { attestPushed } from './support/attest';
import { startFakeGitHub, stopFakeGitHubs, type FakeGitHub } from './support/fake-github';
import { pullRequestEvent, pushEvent } from './support/events';
import { defaultSha, runAction, trivyReport, Workspace } from './support/run-action';

afterAll(async () => {
  await stopFakeGitHubs();
  Workspace.removeAll();
});

const registry = '123456789012.dkr.ecr.eu-west-1.amazonaws.com';
const onMain = (sha?: string) => ({
  eventName: 'push',
  event: pushEvent('main'),
  ref: 'refs/heads/main',
  sha,
});
const ecrCalls = (github: FakeGitHub, operation: string) =>
  github.requests.filter((r) => r.target?.endsWith(`.${operation}`));

const digests = (images: Record<string, string>) =>
  Object.fromEntries(Object.entries(images).map(([service, ref]) => [service, ref.split('@')[1]]));
const imagetoolsCalls = (workspace: Workspace) =>
  workspace.calls('docker').filter((c) => c.args[0] === 'buildx' && c.args[1] === 'imagetools');
const dockerBuilds = (workspace: Workspace) =>
  workspace.calls('docker').filter((c) => c.args[0] === 'buildx' && c.args[1] === 'build');

test.concurrent(
  'main builds once into dev, copies the same digests to staging, and a later commit with the same inputs reuses them',
  async () => {
    const github = await startFakeGitHub();
    const workspace = new Workspace({ trivy: { default: trivyReport('alpine-310.json') } });
    const resolved = await runAction(workspace, github, { inputs: { command: 'resolve' }, ...onMain() });
    expect(JSON.parse(resolved.outputs.environments ?? '')).toEqual(['dev', 'staging']);
    expect(JSON.parse(resolved.outputs['preview-environments'] ?? '')).toEqual([]);
    expect(resolved.outputs['image-tag']).toBe('f3c9a1b2d4e5f60718293a4b5c6d7e8f90a1b2c3');
    const environments = resolved.outputs.environments ?? '';

    const built = await runAction(workspace, github, {
      inputs: { command: 'build', environments },
      ...onMain(),
    });
    expect(built.code).toBe(0);
    expect(JSON.parse(built.outputs.built ?? '')).toEqual({ web: 'built', api: 'built', worker: 'built' });
    const builds = dockerBuilds(workspace);
    // web, api and worker share one context: one build, tagged for each service's dev repository.
    expect(builds).toHaveLength(1);
    const args = builds[0]?.args ?? [];
    const tags = args.filter((_, i) => args[i - 1] === '--tag');
    expect(tags).toHaveLength(6);
    expect(tags).toContain(`${registry}/slipway-dev/api:f3c9a1b2d4e5f60718293a4b5c6d7e8f90a1b2c3`);
    expect(tags.every((t) => t.startsWith(`${registry}/slipway-dev/`))).toBe(true);
    expect(tags.some((t) => t.endsWith(':latest'))).toBe(false);
    expect(args).toEqual(
      expect.arrayContaining([
        '--label',
        'org.opencontainers.image.revision=f3c9a1b2d4e5f60718293a4b5c6d7e8f90a1b2c3',
      ]),
    );
    expect(args).toEqual(
      expect.arrayContaining(['--label', 'org.opencontainers.image.source=https://github.com/acme/shop']),
    );
    expect(args).toEqual(
      expect.arrayContaining([
        '--cache-from',
        'type=gha,scope=web',
        '--cache-to',
        'type=gha,mode=max,scope=web',
      ]),
    );
    // The registry password goes to docker on stdin and never into arguments or the log.
    const login = workspace.calls('docker').find((c) => c.args[0] === 'login');
    expect(login?.stdinBytes).toBe('ecr-password-do-not-log'.length);
    expect(JSON.stringify(workspace.calls())).not.toContain('ecr-password-do-not-log');
    expect(built.stdout).toContain('::add-mask::ecr-password-do-not-log');

    const scanned = await runAction(workspace, github, {
      inputs: { command: 'scan', environment: 'staging', environments },
      ...onMain(),
    });
    expect(scanned.code).toBe(0);
    expect(scanned.outputs.passed).toBe('true');
    expect(scanned.outputs.medium).toBe('12'); // 4 fixable MEDIUM findings in each of three images
    expect(workspace.calls('trivy').map((c) => c.args.at(-1))).toContain(
      `${registry}/slipway-dev/api:f3c9a1b2d4e5f60718293a4b5c6d7e8f90a1b2c3`,
    );

    const pushed = await runAction(workspace, github, {
      inputs: { command: 'push', environments },
      ...onMain(),
    });
    expect(pushed.code).toBe(0);
    const images = JSON.parse(pushed.outputs.images ?? '') as Record<string, string>;
    expect(Object.keys(images).sort()).toEqual(['api', 'web', 'worker']);
    expect(images.api).toMatch(new RegExp(`^${registry}/slipway-dev/api@sha256:[0-9a-f]{64}$`));
    const byEnvironment = JSON.parse(pushed.outputs['environment-images'] ?? '') as Record<
      string,
      Record<string, string>
    >;
    expect(byEnvironment.dev).toEqual(images);
    expect(byEnvironment.staging?.api).toBe(`${registry}/slipway-staging/api@${digests(images).api}`);
    expect(digests(byEnvironment.staging ?? {})).toEqual(digests(images));
    // Pushed once (two tags per service) into dev; staging gets a registry-side copy of the same digest.
    expect(workspace.calls('docker').filter((c) => c.args[0] === 'push')).toHaveLength(6);
    expect(dockerBuilds(workspace)).toHaveLength(1);
    const copies = imagetoolsCalls(workspace);
    expect(copies).toHaveLength(3);
    expect(copies.find((c) => c.args.at(-1) === images.api)?.args).toEqual([
      'buildx',
      'imagetools',
      'create',
      '--tag',
      `${registry}/slipway-staging/api:f3c9a1b2d4e5f60718293a4b5c6d7e8f90a1b2c3`,
      '--tag',
      expect.stringMatching(new RegExp(`^${registry}/slipway-staging/api:inputs-[0-9a-f]{40}$`)),
      images.api,
    ]);
    expect(github.images.get('slipway-staging/api:f3c9a1b2d4e5f60718293a4b5c6d7e8f90a1b2c3')).toBe(
      digests(images).api,
    );
    expect(pushed.stdout).toContain(`api: copied ${digests(images).api} from dev to staging`);
    // Push lists what it pushed from this job's build for the attest step; the next run reuses those images
    // only because their provenance then verifies.
    expect(attestPushed(github, pushed).sort()).toEqual(
      Object.values(images)
        .map(
          (image) => `${(image.split('@')[1] ?? '').slice('sha256:'.length)}  ${image.split('@')[0] ?? ''}`,
        )
        .sort(),
    );

    const nextSha = '0123456789abcdef0123456789abcdef01234567';
    const rebuilt = await runAction(workspace, github, {
      inputs: { command: 'build', environments },
      ...onMain(nextSha),
    });
    expect(JSON.parse(rebuilt.outputs.built ?? '')).toEqual({
      web: 'reused',
      api: 'reused',
      worker: 'reused',
    });
    expect(dockerBuilds(workspace)).toHaveLength(1);
    expect(
      ecrCalls(github, 'PutImage').map((r) => {
        const body = r.body as { repositoryName: string; imageTag: string };
        return `${body.repositoryName}:${body.imageTag}`;
      }),
    ).toEqual([`slipway-dev/web:${nextSha}`, `slipway-dev/api:${nextSha}`, `slipway-dev/worker:${nextSha}`]);

    const promoted = await runAction(workspace, github, {
      inputs: { command: 'push', environments },
      ...onMain(nextSha),
    });
    expect(promoted.code).toBe(0);
    expect(JSON.parse(promoted.outputs.images ?? '')).toEqual(images); // the same digests: nothing rebuilt
    expect(JSON.parse(promoted.outputs['environment-images'] ?? '')).toEqual(byEnvironment);
    expect(workspace.calls('docker').filter((c) => c.args[0] === 'push')).toHaveLength(6);
    // staging already holds the inputs tag (immutable), so only the new commit tag is added.
    const copiedApi = imagetoolsCalls(workspace).at(-2)?.args;
    expect(copiedApi?.filter((_, i) => copiedApi[i - 1] === '--tag')).toEqual([
      `${registry}/slipway-staging/api:${nextSha}`,
    ]);
  },
);

test.concurrent(
  "a release branch promotes staging's digest to prod, in prod's own job, without building anything",
  async () => {
    const github = await startFakeGitHub();
    const workspace = new Workspace({ trivy: { default: trivyReport('alpine-310.json') } });
    const mainEnvironments = JSON.stringify(['dev', 'staging']);
    const mainBuild = await runAction(workspace, github, {
      inputs: { command: 'build', environments: mainEnvironments },
      ...onMain(),
    });
    expect(mainBuild.code).toBe(0);
    const mainPush = await runAction(workspace, github, {
      inputs: { command: 'push', environments: mainEnvironments },
      ...onMain(),
    });
    const staging = JSON.parse(mainPush.outputs['environment-images'] ?? '') as Record<
      string,
      Record<string, string>
    >;
    attestPushed(github, mainPush);
    const buildsBefore = dockerBuilds(workspace).length;
    const pushesBefore = workspace.calls('docker').filter((c) => c.args[0] === 'push').length;

    const releaseSha = '89abcdef0123456789abcdef0123456789abcdef';
    const release = {
      eventName: 'push',
      event: pushEvent('release-1.4'),
      ref: 'refs/heads/release-1.4',
      sha: releaseSha,
    };
    const resolved = await runAction(workspace, github, { inputs: { command: 'resolve' }, ...release });
    const environments = resolved.outputs.environments ?? '';
    expect(JSON.parse(environments)).toEqual(['prod']);

    const built = await runAction(workspace, github, {
      inputs: { command: 'build', environments },
      ...release,
    });
    expect(built.code).toBe(0);
    // prod's stack is gated, so its build goes to promoteFrom's (staging's) repository, which already holds
    // the image of these inputs: it is tagged for this commit there, and nothing is built.
    expect(JSON.parse(built.outputs.built ?? '')).toEqual({ web: 'reused', api: 'reused', worker: 'reused' });
    const stagingDigests = digests(staging.staging ?? {});
    expect(github.images.get(`slipway-staging/api:${releaseSha}`)).toBe(stagingDigests.api);
    // The prod gate scans the very digest that will be promoted.
    const scanned = await runAction(workspace, github, {
      inputs: { command: 'scan', environment: 'prod', environments },
      ...release,
    });
    expect(scanned.code).toBe(0);
    expect(workspace.calls('trivy').at(-2)?.args.at(-1)).toBe(
      `${registry}/slipway-staging/api:${releaseSha}`,
    );

    // The images job (publish role) writes nothing of prod: it hands prod's deploy job staging's references.
    const pushed = await runAction(workspace, github, {
      inputs: { command: 'push', environments },
      ...release,
    });
    expect(pushed.code).toBe(0);
    const handed = JSON.parse(pushed.outputs['environment-images'] ?? '') as Record<
      string,
      Record<string, string>
    >;
    expect(handed.prod?.api).toBe(`${registry}/slipway-staging/api@${stagingDigests.api}`);
    expect([...github.images.keys()].filter((key) => key.startsWith('slipway-prod/'))).toEqual([]);
    expect(pushed.stdout).toContain(
      `api: prod's deploy job promotes ${stagingDigests.api} from staging after its approval`,
    );

    // prod's deploy job, with prod's role, after approval: the promotion step copies exactly those digests.
    const promoted = await runAction(workspace, github, {
      inputs: { command: 'push', environment: 'prod', images: JSON.stringify(handed.prod) },
      ...release,
    });
    expect(promoted.code).toBe(0);
    const prod = JSON.parse(promoted.outputs.images ?? '') as Record<string, string>;
    expect(prod.api).toBe(`${registry}/slipway-prod/api@${stagingDigests.api}`);
    expect(digests(prod)).toEqual(stagingDigests);
    expect(github.images.get(`slipway-prod/api:${releaseSha}`)).toBe(stagingDigests.api);
    expect(promoted.stdout).toContain(
      `api: promoted ${stagingDigests.api} from ${registry}/slipway-staging/api into slipway-prod/api`,
    );
    expect(promoted.stdout).toContain(
      `${registry}/slipway-staging/api@${stagingDigests.api}: build provenance verified`,
    );
    expect(dockerBuilds(workspace)).toHaveLength(buildsBefore);
    expect(workspace.calls('docker').filter((c) => c.args[0] === 'push')).toHaveLength(pushesBefore);
    expect(imagetoolsCalls(workspace).at(-1)?.args.at(-1)).toBe(
      `${registry}/slipway-staging/worker@${stagingDigests.worker}`,
    );
  },
);

test.concurrent(
  'a pull request builds and scans a local image with no registry: no ECR call, no login, no push',
  async () => {
    const github = await startFakeGitHub();
    const workspace = new Workspace({ trivy: { default: trivyReport('alpine-310.json') } });
    const pr = {
      eventName: 'pull_request',
      event: pullRequestEvent({ number: 5, base: 'main', head: 'feature-x' }),
      ref: 'refs/pull/5/merge',
    };
    const built = await runAction(workspace, github, { inputs: { command: 'build', push: 'false' }, ...pr });
    expect(built.code).toBe(0);
    expect(JSON.parse(built.outputs.built ?? '')).toEqual({ web: 'built', api: 'built', worker: 'built' });
    const args = dockerBuilds(workspace)[0]?.args ?? [];
    expect(args.filter((_, i) => args[i - 1] === '--tag')).toEqual([
      `local/web:${defaultSha}`,
      `local/api:${defaultSha}`,
      `local/worker:${defaultSha}`,
    ]);
    // No input at all: a pull_request event defaults to push false.
    const scanned = await runAction(workspace, github, { inputs: { command: 'scan' }, ...pr });
    expect(scanned.code).toBe(0);
    expect(scanned.outputs.passed).toBe('true');
    expect(workspace.calls('trivy').map((c) => c.args.at(-1))).toEqual([
      `local/web:${defaultSha}`,
      `local/api:${defaultSha}`,
      `local/worker:${defaultSha}`,
    ]);
    expect(github.requests.filter((r) => r.target)).toEqual([]);
    expect(workspace.calls('docker').map((c) => c.args[0])).toEqual(['buildx']);

    const pushed = await runAction(workspace, github, { inputs: { command: 'push' }, ...pr });
    expect(pushed.code).toBe(1);
    expect(pushed.stdout).toContain('::error::input push: push is false');
    expect(github.requests.filter((r) => r.target)).toEqual([]);
  },
);

test.concurrent(
  'a scan with fixable CRITICAL findings fails the gate, writes SARIF and a summary, and pushes nothing',
  async () => {
    const github = await startFakeGitHub();
    const workspace = new Workspace({
      trivy: { api: trivyReport('alpine-39-high-critical.json'), default: trivyReport('alpine-310.json') },
    });
    const result = await runAction(workspace, github, {
      inputs: { command: 'scan', environment: 'dev' },
      ...onMain(),
    });
    expect(result.code).toBe(1);
    expect(result.outputs.passed).toBe('false');
    expect(result.outputs.critical).toBe('2');
    expect(result.outputs.blocking).toBe('2');
    expect(result.stdout).toContain('::error::scan gate failed (CRITICAL, fixable): 2 blocking finding(s)');
    expect(result.stdout).toContain('api: CVE-2019-14697 CRITICAL in musl 1.1.20-r4 (fixed in 1.1.20-r5)');
    expect(result.summary).toContain('| api | failed (2 blocking) | 2 | 0 | 0 | 0 | 0 |');
    expect(result.summary).toContain('| CRITICAL | CVE-2019-14697 | api | musl | 1.1.20-r4 | 1.1.20-r5 |');
    const sarif = JSON.parse(readFileSync(join(workspace.project, 'trivy-results.sarif'), 'utf8')) as {
      runs: { results: { ruleId: string; level: string }[] }[];
    };
    expect(sarif.runs[0]?.results.filter((r) => r.level === 'error').map((r) => r.ruleId)).toEqual([
      'CVE-2019-14697',
      'CVE-2019-14697',
    ]);
    expect(workspace.calls('docker').filter((c) => c.args[0] === 'push')).toEqual([]);
    expect(ecrCalls(github, 'PutImage')).toEqual([]);
  },
);

test.concurrent('the scan gate fails closed when the scanner fails or its report is unreadable', async () => {
  const github = await startFakeGitHub();
  const workspace = new Workspace({
    trivy: { worker: 'fail', web: 'garbage', default: trivyReport('alpine-310.json') },
  });
  const result = await runAction(workspace, github, {
    inputs: { command: 'scan', environment: 'dev' },
    ...onMain(),
  });
  expect(result.code).toBe(1);
  expect(result.outputs.passed).toBe('false');
  expect(result.stdout).toContain(
    '::error::scan failed closed: the scanner failed for web: the Trivy report is not JSON',
  );
  expect(result.stdout).toContain('worker: trivy exited with 1');
  expect(result.summary).toContain('Scanner failures (the gate fails closed)');
  expect(existsSync(join(workspace.project, 'trivy-results.sarif'))).toBe(true);
});

test.concurrent('a transient push failure is retried with backoff and the image still lands', async () => {
  const github = await startFakeGitHub();
  const workspace = new Workspace({ pushFailures: 1 });
  const onlyApi = { command: 'build', services: 'api', environments: '["dev"]' };
  expect((await runAction(workspace, github, { inputs: onlyApi, ...onMain() })).code).toBe(0);
  const pushed = await runAction(workspace, github, { inputs: { ...onlyApi, command: 'push' }, ...onMain() });
  expect(pushed.code).toBe(0);
  expect(pushed.stdout).toContain('::warning::push of api failed (docker push');
  expect(pushed.stdout).toContain('TLS handshake timeout); retry 1 in 2s');
  expect(Object.keys(JSON.parse(pushed.outputs.images ?? ''))).toEqual(['api']);
  expect(workspace.calls('docker').filter((c) => c.args[0] === 'push')).toHaveLength(4);
});
