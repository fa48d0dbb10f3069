import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { FakeGitHub } from './support/fake-github';
import { pushEvent } from './support/events';
import { runAction, trivyReport, Workspace } from './support/run-action';

const servers: FakeGitHub[] = [];
async function fakeGitHub(): Promise<FakeGitHub> {
  const github = new FakeGitHub();
  await github.start();
  servers.push(github);
  return github;
}
afterAll(async () => {
  await Promise.all(servers.map((s) => s.stop()));
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

test.concurrent(
  'main resolves dev then staging, builds once, and a later commit with the same inputs reuses the image',
  async () => {
    const github = await fakeGitHub();
    const workspace = new Workspace({ trivy: { default: trivyReport('alpine-310.json') } });
    const resolved = await runAction(workspace, github, { inputs: { command: 'resolve' }, ...onMain() });
    expect(JSON.parse(resolved.outputs.environments ?? '')).toEqual(['dev', 'staging']);
    expect(JSON.parse(resolved.outputs['preview-environments'] ?? '')).toEqual([]);
    expect(resolved.outputs['image-tag']).toBe('f3c9a1b2d4e5f60718293a4b5c6d7e8f90a1b2c3');

    const built = await runAction(workspace, github, { inputs: { command: 'build' }, ...onMain() });
    expect(built.code).toBe(0);
    expect(JSON.parse(built.outputs.built ?? '')).toEqual({ web: 'built', api: 'built', worker: 'built' });
    const builds = workspace.calls('docker').filter((c) => c.args[0] === 'buildx');
    // web, api and worker share one context: one build, tagged for each repository.
    expect(builds).toHaveLength(1);
    const args = builds[0]?.args ?? [];
    const tags = args.filter((_, i) => args[i - 1] === '--tag');
    expect(tags).toHaveLength(6);
    expect(tags).toContain(`${registry}/slipway/api:f3c9a1b2d4e5f60718293a4b5c6d7e8f90a1b2c3`);
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
      inputs: { command: 'scan', environment: 'staging' },
      ...onMain(),
    });
    expect(scanned.code).toBe(0);
    expect(scanned.outputs.passed).toBe('true');
    expect(scanned.outputs.medium).toBe('12'); // 4 fixable MEDIUM findings in each of three images

    const pushed = await runAction(workspace, github, { inputs: { command: 'push' }, ...onMain() });
    expect(pushed.code).toBe(0);
    const images = JSON.parse(pushed.outputs.images ?? '') as Record<string, string>;
    expect(Object.keys(images).sort()).toEqual(['api', 'web', 'worker']);
    expect(images.api).toMatch(new RegExp(`^${registry}/slipway/api@sha256:[0-9a-f]{64}$`));

    const nextSha = '0123456789abcdef0123456789abcdef01234567';
    const rebuilt = await runAction(workspace, github, { inputs: { command: 'build' }, ...onMain(nextSha) });
    expect(JSON.parse(rebuilt.outputs.built ?? '')).toEqual({
      web: 'reused',
      api: 'reused',
      worker: 'reused',
    });
    expect(workspace.calls('docker').filter((c) => c.args[0] === 'buildx')).toHaveLength(1);
    expect(ecrCalls(github, 'PutImage').map((r) => (r.body as { imageTag: string }).imageTag)).toEqual([
      nextSha,
      nextSha,
      nextSha,
    ]);

    const promoted = await runAction(workspace, github, { inputs: { command: 'push' }, ...onMain(nextSha) });
    expect(JSON.parse(promoted.outputs.images ?? '')).toEqual(images); // the same digests: nothing rebuilt
    expect(workspace.calls('docker').filter((c) => c.args[0] === 'push')).toHaveLength(6);
  },
);

test.concurrent(
  'a scan with fixable CRITICAL findings fails the gate, writes SARIF and a summary, and pushes nothing',
  async () => {
    const github = await fakeGitHub();
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
  const github = await fakeGitHub();
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
  const github = await fakeGitHub();
  const workspace = new Workspace({ pushFailures: 1 });
  const onlyApi = { command: 'build', services: 'api' };
  expect((await runAction(workspace, github, { inputs: onlyApi, ...onMain() })).code).toBe(0);
  const pushed = await runAction(workspace, github, { inputs: { ...onlyApi, command: 'push' }, ...onMain() });
  expect(pushed.code).toBe(0);
  expect(pushed.stdout).toContain('::warning::push of api failed (docker push');
  expect(pushed.stdout).toContain('TLS handshake timeout); retry 1 in 2s');
  expect(Object.keys(JSON.parse(pushed.outputs.images ?? ''))).toEqual(['api']);
  expect(workspace.calls('docker').filter((c) => c.args[0] === 'push')).toHaveLength(4);
});
