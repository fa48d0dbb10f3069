import { appendFileSync, cpSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { parse, stringify } from 'yaml';
import { failures, newWorld, push } from './rehearsal/support';
import { rehearse } from './rehearsal/rehearse';

describe('the build fans out', () => {
  it('one build job per service with its own inputs; a push that changes one service builds one image', async () => {
    const world = await newWorld();
    // Three services with three build contexts (the sample app copied), so their inputs differ.
    const pipelineFile = join(world.repo, 'pipeline.yaml');
    const pipeline = parse(readFileSync(pipelineFile, 'utf8')) as { services: Record<string, unknown> };
    for (const service of ['web', 'api', 'worker']) {
      cpSync(join(world.repo, 'apps', 'sample'), join(world.repo, 'apps', service), { recursive: true });
      appendFileSync(join(world.repo, 'apps', service, 'Dockerfile'), `# ${service}\n`);
      pipeline.services[service] = { context: `apps/${service}` };
    }
    writeFileSync(pipelineFile, stringify(pipeline));
    const builtImages = (r: Awaited<ReturnType<typeof rehearse>>) =>
      r.built.map(({ job, tags }) => `${job}: ${tags.map((t) => t.split('/').slice(1).join('/')).join(' ')}`);

    const first = await rehearse(world, 'workflows/deploy.yml', { ...push('develop'), sha: '1'.repeat(40) });
    expect(failures(first)).toEqual([]);
    expect(first.ran).toEqual([
      'resolve',
      'build (web)',
      'build (api)',
      'build (worker)',
      'images',
      'deploy (dev)',
    ]);
    expect(builtImages(first).map((line) => line.split(':')[0])).toEqual([
      'build (web)',
      'build (api)',
      'build (worker)',
    ]);

    // The next commit changes api only: every build job runs, and only api's builds an image.
    appendFileSync(join(world.repo, 'apps', 'api', 'Dockerfile'), '# api changed\n');
    const second = await rehearse(world, 'workflows/deploy.yml', { ...push('develop'), sha: '2'.repeat(40) });
    expect(failures(second)).toEqual([]);
    expect(builtImages(second)).toEqual([
      expect.stringMatching(
        new RegExp(`^build \\(api\\): slipway-dev/api:${'2'.repeat(40)} slipway-dev/api:inputs-`),
      ),
    ]);
    // push waited for every build job and tagged this commit on all three, then dev deployed them.
    expect(second.ran.slice(-2)).toEqual(['images', 'deploy (dev)']);
    for (const service of ['web', 'api', 'worker'])
      expect(world.github.images.has(`slipway-dev/${service}:${'2'.repeat(40)}`)).toBe(true);
  });

  it('a failing scan gate in one build job stops the push and every deploy', async () => {
    const world = await newWorld();
    world.scenario.trivy = {
      default: join(__dirname, '..', 'fixtures', 'trivy', 'fluentd-multiple-lockfiles.json'),
    };
    const r = await rehearse(world, 'workflows/deploy.yml', push('develop'));
    expect(r.jobs.map((j) => `${j.name}: ${j.result}`)).toEqual([
      'resolve: success',
      'build (web,api,worker): failure',
      'images: skipped',
      'preview: skipped',
      'deploy: skipped',
    ]);
    expect(failures(r).join('\n')).toContain('scan gate failed');
    expect([...world.github.images.keys()].filter((tag) => !tag.includes(':inputs-'))).toEqual([]);
  });
});
