import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { startFakeGitHub, stopFakeGitHubs } from './support/fake-github';
import { pushEvent } from './support/events';
import { defaultSha, runAction, Workspace } from './support/run-action';

afterAll(async () => {
  await stopFakeGitHubs();
  Workspace.removeAll();
});

/** prod in an account of its own; dev and staging in the home account, whose registry the token names. */
const prodAccount = '210987654321';
const homeRegistry = '123456789012.dkr.ecr.eu-west-1.amazonaws.com';
const prodRegistry = `${prodAccount}.dkr.ecr.eu-west-1.amazonaws.com`;
const staged = `sha256:${'a'.repeat(64)}`;
const release = { eventName: 'push', event: pushEvent('release-1.4'), ref: 'refs/heads/release-1.4' };

/** A checkout whose slipway.yaml puts prod in its own account (pipeline.yaml's roles follow it). */
function prodApart(): Workspace {
  const workspace = new Workspace();
  const file = join(workspace.project, 'slipway.yaml');
  const settings = readFileSync(file, 'utf8');
  writeFileSync(file, settings.replace('  prod:\n', `  prod:\n    account: '${prodAccount}'\n`));
  return workspace;
}

test.concurrent(
  "prod's deploy job promotes staging's digest from the home account's registry into prod's own account",
  async () => {
    const workspace = prodApart();
    const github = await startFakeGitHub();
    // prod's repositories are in prod's account: a call that does not name that registry does not find them.
    for (const service of ['web', 'api', 'worker']) {
      github.repositories.delete(`slipway-prod/${service}`);
      github.repositories.add(`${prodAccount}/slipway-prod/${service}`);
    }
    github.images.set(`slipway-staging/api:${defaultSha}`, staged);
    github.attest(staged);
    const fromStaging = `${homeRegistry}/slipway-staging/api@${staged}`;

    const promoted = await runAction(workspace, github, {
      inputs: { command: 'push', environment: 'prod', images: JSON.stringify({ api: fromStaging }) },
      ...release,
    });
    expect(promoted.stderr).toBe('');
    expect(promoted.code).toBe(0);
    expect(JSON.parse(promoted.outputs.images ?? '')).toEqual({
      api: `${prodRegistry}/slipway-prod/api@${staged}`,
    });
    expect(github.images.get(`${prodAccount}/slipway-prod/api:${defaultSha}`)).toBe(staged);
    expect([...github.images.keys()].filter((key) => key.startsWith('slipway-prod/'))).toEqual([]);
    // docker logged in to both registries with the one token, and copied across them.
    expect(
      workspace
        .calls('docker')
        .filter((c) => c.args[0] === 'login')
        .map((c) => c.args.at(-1)),
    ).toEqual([prodRegistry, homeRegistry]);
    const copy = workspace.calls('docker').find((c) => c.args[1] === 'imagetools');
    expect(copy?.args.at(-1)).toBe(fromStaging);
    expect(copy?.args).toContain(`${prodRegistry}/slipway-prod/api:${defaultSha}`);
    // Every ECR call on prod's repositories named prod's registry.
    const onProd = github.requests.filter(
      (r) => (r.body as { repositoryName?: string } | undefined)?.repositoryName === 'slipway-prod/api',
    );
    expect(onProd.length).toBeGreaterThan(0);
    expect(onProd.map((r) => (r.body as { registryId?: string }).registryId)).toEqual(
      onProd.map(() => prodAccount),
    );
  },
);
