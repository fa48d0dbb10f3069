import { spawnSync } from 'node:child_process';
import { rmSync, writeFileSync, readFileSync, cpSync, mkdirSync } from 'node:fs';
import { join } from 'node:path';
import { copyProject } from '../../offline/project-copy';

const repoRoot = join(__dirname, '..', '..');

/** `npm run check` as a user runs it: the CLI on a checkout (here a copy of this one). */
function check(root: string) {
  const result = spawnSync(
    join(repoRoot, 'node_modules', '.bin', 'tsx'),
    [join(repoRoot, 'check', 'main.ts'), root],
    {
      encoding: 'utf8',
    },
  );
  return { status: result.status, stdout: result.stdout, stderr: result.stderr };
}

describe('npm run check', () => {
  let root: string;
  beforeEach(() => {
    root = copyProject();
    cpSync(join(repoRoot, 'pipeline.yaml'), join(root, 'pipeline.yaml'));
    mkdirSync(join(root, 'workflows'));
    cpSync(join(repoRoot, 'workflows', 'deploy.yml'), join(root, 'workflows', 'deploy.yml'));
  });
  afterEach(() => rmSync(root, { recursive: true, force: true }));

  it('says the files agree and exits 0', () => {
    expect(check(root)).toEqual({
      status: 0,
      stdout: 'slipway.yaml, pipeline.yaml (3 environments), 3 stack files and 1 workflows agree\n',
      stderr: '',
    });
  });

  it('prints one line per inconsistency and exits 1', () => {
    const pipeline = readFileSync(join(root, 'pipeline.yaml'), 'utf8');
    writeFileSync(join(root, 'pipeline.yaml'), pipeline.replace('approval: true', 'approval: false'));
    const settings = readFileSync(join(root, 'slipway.yaml'), 'utf8');
    writeFileSync(join(root, 'slipway.yaml'), settings.replace('  staging:\n', '  stage:\n'));
    expect(check(root)).toEqual({
      status: 1,
      stdout: '',
      stderr: [
        'slipway.yaml: environments.staging: missing, but pipeline.yaml deploys the stack staging (staging)',
        'slipway.yaml: environments.prod.reviewers: nobody is asked, pipeline.yaml gates no environment of the stack prod (approval: false)',
        'slipway.yaml: environments.stage: no pipeline.yaml environment deploys the stack stage',
        'pipeline.yaml: branches[2].deploy: main deploys to staging, whose stack slipway.yaml does not name (no account, region or reviewers)',
        '',
      ].join('\n'),
    });
  });

  it('refuses a settings file that does not validate, naming the key, before comparing anything', () => {
    const settings = readFileSync(join(root, 'slipway.yaml'), 'utf8');
    writeFileSync(join(root, 'slipway.yaml'), settings.replace('region: eu-west-1', 'region: europe'));
    expect(check(root)).toMatchObject({
      status: 1,
      stderr: 'slipway.yaml: aws.region: must be an AWS region such as eu-west-1\n',
    });
  });
});
