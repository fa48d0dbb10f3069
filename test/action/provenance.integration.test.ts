import { rmSync } from 'node:fs';
import { join } from 'node:path';
import { buildInputsDigest } from '../../action/src/io/build-inputs';
import { startFakeGitHub, stopFakeGitHubs, type FakeGitHub } from './support/fake-github';
import { pushEvent } from './support/events';
import { defaultSha, eventLog, runAction, Workspace } from './support/run-action';

afterAll(async () => {
  await stopFakeGitHubs();
  Workspace.removeAll();
});

const registry = '123456789012.dkr.ecr.eu-west-1.amazonaws.com';
const onMain = { eventName: 'push', event: pushEvent('main'), ref: 'refs/heads/main' };
const planted = `sha256:${'e'.repeat(64)}`;
const plantedImage = `${registry}/slipway-dev/api@${planted}`;
const refusal = (image: string, reason: string) =>
  `::error::image ${image} refused: its build provenance does not verify (${reason}); only images that .github/workflows/deploy.yml of acme/shop built and attested are reused, promoted or deployed`;
const notAttested = `gh attestation verify: Error: failed to fetch attestations from acme/shop: HTTP 404: Not Found (https://api.github.com/repos/acme/shop/attestations/${planted}?per_page=30)`;

/**
 * Someone with ECR write access got there first: the commit's tag and the inputs tag (computable from the
 * repository) already name their image in dev's repository.
 */
async function plantedRegistry(workspace: Workspace): Promise<FakeGitHub> {
  const github = await startFakeGitHub();
  const inputs = buildInputsDigest(workspace.project, {
    context: 'apps/sample',
    dockerfile: 'Dockerfile',
    buildArgs: {},
  });
  github.images.set(`slipway-dev/api:${defaultSha}`, planted);
  github.images.set(`slipway-dev/api:inputs-${inputs}`, planted);
  return github;
}

test.concurrent(
  'a pre-pushed image without provenance is refused at build, at push and at deploy',
  async () => {
    const workspace = new Workspace({ previewLogs: [eventLog('up.json')], upLogs: [eventLog('up.json')] });
    const github = await plantedRegistry(workspace);
    const inputs = { environments: '["dev"]', services: 'api' };

    const built = await runAction(workspace, github, { inputs: { command: 'build', ...inputs }, ...onMain });
    expect(built.code).toBe(1);
    expect(built.stdout).toContain(refusal(plantedImage, notAttested));
    expect(built.outputs.built).toBeUndefined();

    const pushed = await runAction(workspace, github, { inputs: { command: 'push', ...inputs }, ...onMain });
    expect(pushed.code).toBe(1);
    expect(pushed.stdout).toContain(refusal(plantedImage, notAttested));
    expect(pushed.outputs.images).toBeUndefined();
    // Nothing was tagged, copied or pushed on.
    expect(github.requests.filter((r) => r.target?.endsWith('.PutImage'))).toEqual([]);
    expect(
      workspace.calls('docker').filter((c) => c.args[0] === 'push' || c.args[1] === 'imagetools'),
    ).toEqual([]);

    const deployed = await runAction(workspace, github, {
      inputs: { command: 'deploy', environment: 'dev', images: JSON.stringify({ api: plantedImage }) },
      ...onMain,
    });
    expect(deployed.code).toBe(1);
    expect(deployed.stdout).toContain(refusal(plantedImage, notAttested));
    // Refused before the stack is touched: no pulumi at all, no deployment recorded.
    expect(workspace.calls('pulumi')).toEqual([]);
    expect(github.requests.filter((r) => r.path.endsWith('/deployments'))).toEqual([]);
    // gh got the image by digest, the repository, the signer workflow and the predicate; the token only in
    // its environment.
    expect(workspace.calls('gh').at(-1)?.args).toEqual([
      'attestation',
      'verify',
      `oci://${plantedImage}`,
      '--repo',
      'acme/shop',
      '--signer-workflow',
      'acme/shop/.github/workflows/deploy.yml',
      '--predicate-type',
      'https://slsa.dev/provenance/v1',
      '--format',
      'json',
    ]);
    expect(JSON.stringify(workspace.calls('gh'))).not.toContain('ghs_faketoken');
  },
);

test.concurrent(
  "an image attested by another workflow, by a look-alike of this one, or by a fork is refused; this workflow's passes",
  async () => {
    const build = (github: FakeGitHub, workspace = new Workspace()) =>
      runAction(workspace, github, {
        inputs: { command: 'build', environments: '["dev"]', services: 'api' },
        ...onMain,
      });
    const scratch = await plantedRegistry(new Workspace());
    scratch.attest(planted, { workflow: '.github/workflows/scratch.yml' });
    const byScratch = await build(scratch);
    expect(byScratch.code).toBe(1);
    expect(byScratch.stdout).toContain(
      refusal(
        plantedImage,
        'gh attestation verify: Error: verifying with issuer "sigstore.dev": failed to verify certificate identity: no matching CertificateIdentity found, last error: expected SAN value to match regex "^https://github.com/acme/shop/.github/workflows/deploy.yml", got "https://github.com/acme/shop/.github/workflows/scratch.yml@refs/heads/main"',
      ),
    );

    // gh's signer match is a prefix: deploy.yml.evil.yml passes it, the statement read again does not.
    const lookalike = await plantedRegistry(new Workspace());
    lookalike.attest(planted, { workflow: '.github/workflows/deploy.yml.evil.yml' });
    const byLookalike = await build(lookalike);
    expect(byLookalike.code).toBe(1);
    expect(byLookalike.stdout).toContain(
      refusal(
        plantedImage,
        'signed by https://github.com/acme/shop/.github/workflows/deploy.yml.evil.yml@refs/heads/main, not .github/workflows/deploy.yml',
      ),
    );

    // A fork's run of the same workflow attests into the fork, never into this repository.
    const forked = await plantedRegistry(new Workspace());
    forked.attest(planted, { sourceRepository: 'mallory/shop' });
    expect((await build(forked)).stdout).toContain(refusal(plantedImage, notAttested));

    const attested = await plantedRegistry(new Workspace());
    attested.attest(planted);
    const reused = await build(attested);
    expect(reused.code).toBe(0);
    expect(JSON.parse(reused.outputs.built ?? '')).toEqual({ api: 'reused' });
    expect(reused.stdout).toContain(
      `${plantedImage}: build provenance verified (.github/workflows/deploy.yml of acme/shop)`,
    );
  },
);

test.concurrent(
  "deploy verifies the digest in its own environment's repository; gh without a token, or no gh at all, refuses",
  async () => {
    const workspace = new Workspace();
    const github = await plantedRegistry(workspace);
    github.attest(planted);
    // The digest exists in dev's repository only: staging's cluster would pull it from staging's.
    const missing = await runAction(workspace, github, {
      inputs: { command: 'deploy', environment: 'staging', images: JSON.stringify({ api: plantedImage }) },
      ...onMain,
    });
    const inStaging = `${registry}/slipway-staging/api@${planted}`;
    expect(missing.code).toBe(1);
    expect(missing.stdout).toContain(
      refusal(
        inStaging,
        `gh attestation verify: Error: failed to fetch remote image: GET https://${registry}/v2/slipway-staging/api/manifests/${planted}: MANIFEST_UNKNOWN: Requested image not found`,
      ),
    );
    // gh has no token when the workflow gives the action none: refused in gh's words.
    const tokenless = await runAction(workspace, github, {
      inputs: { command: 'build', environments: '["dev"]', services: 'api', 'github-token': '' },
      ...onMain,
    });
    expect(tokenless.code).toBe(1);
    expect(tokenless.stdout).toContain(
      refusal(
        plantedImage,
        'gh attestation verify: gh: To use GitHub CLI in a GitHub Actions workflow, set the GH_TOKEN environment variable. Example:',
      ),
    );
    expect(workspace.calls('pulumi')).toEqual([]);

    // A runner without the GitHub CLI checks nothing, so it trusts nothing.
    rmSync(join(workspace.bin, 'gh'));
    const ghless = await runAction(workspace, github, {
      inputs: { command: 'build', environments: '["dev"]', services: 'api' },
      ...onMain,
      env: { PATH: workspace.bin },
    });
    expect(ghless.code).toBe(1);
    expect(ghless.stdout).toContain(
      refusal(
        plantedImage,
        "gh attestation verify: Error: could not start gh: spawn gh ENOENT (GitHub's hosted runners have the GitHub CLI; install it on others)",
      ),
    );
  },
);

test.concurrent(
  "prod's promotion refuses a digest without provenance and writes nothing into prod's repositories",
  async () => {
    const github = await startFakeGitHub();
    github.images.set(`slipway-staging/api:${defaultSha}`, planted);
    const fromStaging = `${registry}/slipway-staging/api@${planted}`;
    const release = { eventName: 'push', event: pushEvent('release-1.4'), ref: 'refs/heads/release-1.4' };
    const promoted = await runAction(new Workspace(), github, {
      inputs: { command: 'push', environment: 'prod', images: JSON.stringify({ api: fromStaging }) },
      ...release,
    });
    expect(promoted.code).toBe(1);
    expect(promoted.stdout).toContain(refusal(fromStaging, notAttested));
    expect(promoted.outputs.images).toBeUndefined();
    expect([...github.images.keys()].filter((key) => key.startsWith('slipway-prod/'))).toEqual([]);
  },
);
