import { readFileSync, readdirSync } from 'node:fs';
import { join } from 'node:path';
import { parse } from 'yaml';
import { renderStack } from '../support/render';
import { failures, newWorld, push, roles } from './rehearsal/support';
import { rehearse } from './rehearsal/rehearse';

/** Every `vars.NAME` the workflows read. */
function variablesRead(repo: string): string[] {
  const names = readdirSync(join(repo, 'workflows')).flatMap((file) =>
    [...readFileSync(join(repo, 'workflows', file), 'utf8').matchAll(/\bvars\.([A-Z0-9_]+)/g)].map(
      (m) => m[1],
    ),
  );
  return [...new Set(names)].sort() as string[];
}

/**
 * docs/guides/first-deploy.md's three commands on an account and repository with nothing in them, after
 * slipway.yaml is edited: the bootstrap's `up` (AWS and GitHub, the program's own offline render), the
 * Platform workflow dispatched on the first branch, and a push to it. Nothing else is done by hand: no stack
 * is initialised, no variable or GitHub environment is set, no role is written; the workflows do the rest.
 */
describe('adopting Slipway: three commands from an empty account', () => {
  it('bootstrap up, the platform workflow, a push to develop: dev runs, every stack created by the pipeline', async () => {
    // 1. `pulumi up` in infra/bootstrap: the world starts with the bootstrap's render applied, and nothing else
    // (an empty state bucket, no ECR repository).
    const world = await newWorld({ fresh: true });
    world.github.repositories.clear();
    const { outputs } = world.bootstrap.run;
    expect(world.vars).toEqual({
      SLIPWAY_AWS_ACCOUNT_ID: world.accountId,
      SLIPWAY_AWS_REGION: 'eu-west-1',
      SLIPWAY_BACKEND_URL: outputs.backendUrl,
      SLIPWAY_PUBLISH_ROLE: outputs.publishRoleArn,
      SLIPWAY_READ_ROLE: outputs.readRoleArn,
      SLIPWAY_PREVIEW_ROLE: outputs.previewRoleArn,
    });
    // Every variable a workflow reads is one the bootstrap wrote, for the repository or (each environment's
    // own secrets provider) for every deploy environment's GitHub environments: none is left to set by hand.
    const secretsProvider = (outputs.secretsProviders as Record<string, string>).dev;
    for (const environment of ['dev', 'platform-dev'])
      expect(world.bootstrap.environments.get(environment)?.variables).toEqual({
        SLIPWAY_SECRETS_PROVIDER: secretsProvider,
        SLIPWAY_BACKEND_URL: outputs.backendUrl,
      });
    expect(
      variablesRead(world.repo).filter(
        (name) => !(name in world.vars) && name !== 'SLIPWAY_SECRETS_PROVIDER',
      ),
    ).toEqual([]);
    const pipeline = parse(readFileSync(join(world.repo, 'pipeline.yaml'), 'utf8')) as {
      environments: Record<string, unknown>;
    };
    expect([...world.github.environments.keys()].sort()).toEqual(
      Object.keys(pipeline.environments)
        .flatMap((env) => [env, `platform-${env}`])
        .concat('slipway-publish', 'slipway-read')
        .sort(),
    );

    // 2. The platform: the Platform workflow, dispatched on develop, deploys dev's platform in platform-dev
    // with the platform role, creating its stack with the bootstrap's secrets provider.
    const platform = await rehearse(world, 'workflows/platform.yml', {
      name: 'workflow_dispatch',
      ref: 'refs/heads/develop',
      payload: { ref: 'refs/heads/develop', repository: { full_name: world.repository } },
    });
    expect(failures(platform)).toEqual([]);
    expect(platform.ran).toEqual(['resolve', 'deploy (dev)']);
    expect(roles(platform)).toEqual([
      'deploy (dev): slipway-platform-dev as repo:acme/slipway:environment:platform-dev',
    ]);
    expect(platform.deployed).toEqual([{ job: 'deploy (dev)', stack: 'dev' }]);
    expect(platform.created).toEqual([{ project: 'slipway', stack: 'dev', provider: secretsProvider }]);
    // What that `up` made in ECR: the repositories of dev's platform render.
    const repositoryUrls = (await renderStack('dev')).outputs.registryRepositoryUrls as Record<
      string,
      string
    >;
    for (const url of Object.values(repositoryUrls))
      world.github.repositories.add(url.slice(url.indexOf('/') + 1));

    // 3. A push to develop: build, scan and push once with the publish role, then dev's apps with the apps
    // role, their stack created the same way.
    const deploy = await rehearse(world, 'workflows/deploy.yml', push('develop'));
    expect(failures(deploy)).toEqual([]);
    expect(deploy.ran).toEqual(['resolve', 'build (web,api,worker)', 'images', 'deploy (dev)']);
    expect(roles(deploy)).toEqual([
      'build (web,api,worker): slipway-publish as repo:acme/slipway:environment:slipway-publish',
      'images: slipway-publish as repo:acme/slipway:environment:slipway-publish',
      'deploy (dev): slipway-deploy-dev as repo:acme/slipway:environment:dev',
    ]);
    expect(deploy.deployed).toEqual([{ job: 'deploy (dev)', stack: 'dev' }]);
    expect(deploy.created).toEqual([
      { project: 'slipway', stack: 'dev', provider: secretsProvider },
      { project: 'slipway-apps', stack: 'dev', provider: secretsProvider },
    ]);
    // The images went into the repositories the platform made, by digest.
    expect([...new Set([...world.github.images.keys()].map((ref) => ref.split(':')[0]))].sort()).toEqual(
      Object.values(repositoryUrls)
        .map((url) => url.slice(url.indexOf('/') + 1))
        .sort(),
    );

    // And nothing else happened: the bucket holds exactly the two stacks the pipeline created, no GitHub
    // environment was created on first use.
    for (const project of ['slipway', 'slipway-apps', 'slipway-bootstrap'])
      expect(JSON.parse(readFileSync(join(world.backend, `pulumi-stacks-${project}.json`), 'utf8'))).toEqual(
        project === 'slipway-bootstrap' ? [] : ['dev'],
      );
    expect(world.createdOnFirstUse).toEqual([]);
  });
});
