import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { parse, stringify } from 'yaml';
import { repoRoot } from '../action/support/run-action';
import { failures, newWorld, push, roles } from './rehearsal/support';
import { rehearse } from './rehearsal/rehearse';

describe('adding an environment as docs/guides/add-an-environment.md says', () => {
  it('deploys qa from a push to qa with no workflow edit', async () => {
    const world = await newWorld();
    const pipelineFile = join(world.repo, 'pipeline.yaml');
    const pipeline = parse(readFileSync(pipelineFile, 'utf8')) as {
      environments: Record<string, unknown>;
      branches: unknown[];
    };
    pipeline.environments.qa = {
      stack: 'qa',
      approval: false,
      scan: { failOn: ['CRITICAL'] },
    };
    pipeline.branches.push({ branch: 'qa', deploy: ['qa'] });
    writeFileSync(pipelineFile, stringify(pipeline));
    writeFileSync(
      join(world.repo, 'Pulumi.qa.yaml'),
      'config:\n  aws:region: eu-west-1\n  slipway:tier: staging\n',
    );
    // Its account, region, domain and certificate: slipway.yaml, which the bootstrap and the action read.
    const settingsFile = join(world.repo, 'slipway.yaml');
    const settings = parse(readFileSync(settingsFile, 'utf8')) as {
      environments: Record<string, Record<string, unknown>>;
    };
    settings.environments.qa = { ...settings.environments.staging, domain: 'qa.app.example.com' };
    writeFileSync(settingsFile, stringify(settings));
    // The guide's bootstrap `up`: qa's GitHub environments, branch policy, deploy role and own secrets key.
    await world.bootstrapUp();
    // The platform's qa stack (platform.yml, on the same push) created qa's repositories: the images go there.
    for (const service of ['web', 'api', 'worker']) world.github.repositories.add(`slipway-qa/${service}`);

    const r = await rehearse(world, 'workflows/deploy.yml', push('qa'));
    expect(failures(r)).toEqual([]);
    expect(r.ran).toEqual(['resolve', 'build (web,api,worker)', 'images', 'deploy (qa)']);
    expect(roles(r)).toContain('deploy (qa): slipway-deploy-qa as repo:acme/slipway:environment:qa');
    expect(r.deployed).toEqual([{ job: 'deploy (qa)', stack: 'qa' }]);
    // The stack did not exist: the deploy created it with qa's own KMS secrets provider, the variable the
    // bootstrap wrote on qa's GitHub environment.
    expect(r.created).toEqual([
      {
        project: 'slipway-apps',
        stack: 'qa',
        provider: 'awskms://alias/slipway-qa-pulumi-secrets?region=eu-west-1',
      },
    ]);
    expect(world.createdOnFirstUse).toEqual([]);
    for (const path of ['workflows/deploy.yml', 'workflows/drift.yml'])
      expect(readFileSync(join(world.repo, path), 'utf8')).toBe(readFileSync(join(repoRoot, path), 'utf8'));
  });

  it("gates hotfix/x and not release-1.0 with seed 004's rules, both deploying the prod stack with its one role", async () => {
    const world = await newWorld();
    // docs/pipeline.md, "Approval per branch rule": prod deploys on merge from release-*, and a second GitHub
    // environment of the same stack, prod-hotfix, takes hotfix/* behind prod's reviewers.
    const pipelineFile = join(world.repo, 'pipeline.yaml');
    const pipeline = parse(readFileSync(pipelineFile, 'utf8')) as {
      environments: Record<string, Record<string, unknown>>;
      branches: { branch: string; deploy?: string[] }[];
    };
    pipeline.environments['prod-hotfix'] = { ...pipeline.environments.prod, stack: 'prod' };
    Object.assign(pipeline.environments.prod ?? {}, { approval: false });
    for (const rule of pipeline.branches) if (rule.branch === 'hotfix/*') rule.deploy = ['prod-hotfix'];
    writeFileSync(pipelineFile, stringify(pipeline));
    await world.bootstrapUp();

    const hotfix = await rehearse(world, 'workflows/deploy.yml', push('hotfix/x'));
    expect(failures(hotfix)).toEqual([]);
    expect(hotfix.ran).toEqual([
      'resolve',
      'build (web,api,worker)',
      'images',
      'preview (prod-hotfix)',
      'deploy (prod-hotfix)',
    ]);
    expect(roles(hotfix).slice(2)).toEqual([
      'preview (prod-hotfix): slipway-read as repo:acme/slipway:environment:slipway-read',
      'deploy (prod-hotfix): slipway-deploy-prod as repo:acme/slipway:environment:prod-hotfix',
    ]);
    expect(hotfix.approvals).toEqual(['prod-hotfix']);
    expect(hotfix.deployed).toEqual([{ job: 'deploy (prod-hotfix)', stack: 'prod' }]);

    const release = await rehearse(world, 'workflows/deploy.yml', push('release-1.0'));
    expect(failures(release)).toEqual([]);
    expect(release.ran).toEqual(['resolve', 'build (web,api,worker)', 'images', 'deploy (prod)']);
    expect(roles(release).slice(2)).toEqual([
      'deploy (prod): slipway-deploy-prod as repo:acme/slipway:environment:prod',
    ]);
    expect(release.approvals).toEqual([]);
    expect(release.deployed).toEqual([{ job: 'deploy (prod)', stack: 'prod' }]);
    // Both GitHub environments deploy the production stack: GitHub records each deployment as production.
    const deployments = world.github.requests
      .filter((r) => r.method === 'POST' && r.path.endsWith('/deployments'))
      .map((r) => r.body as { environment: string; production_environment: boolean });
    expect(deployments.map((d) => `${d.environment} ${String(d.production_environment)}`)).toEqual([
      'prod-hotfix true',
      'prod true',
    ]);
    expect(world.createdOnFirstUse).toEqual([]);
    // Each gate admits only its own branches, and the prod role no other environment's jobs.
    expect(world.mayUseEnvironment('prod', 'refs/heads/hotfix/x')).toBe(
      'Branch "hotfix/x" is not allowed to deploy to prod due to environment protection rules.',
    );
    expect(world.mayUseEnvironment('prod-hotfix', 'refs/heads/release-1.0')).toBe(
      'Branch "release-1.0" is not allowed to deploy to prod-hotfix due to environment protection rules.',
    );
    expect(
      world.mayAssume(world.roleArn('slipway-deploy-prod'), 'repo:acme/slipway:environment:staging'),
    ).toBe(false);
  });
});
