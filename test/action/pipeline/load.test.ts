import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { pipelineJsonSchema } from '../../../action/src/pipeline/json-schema';
import { catalogServices } from '../../../action/src/pipeline/catalog';
import { loadPipeline, PipelineError } from '../../../action/src/pipeline/load';
import { loadSettings, readSettings } from '../../../infra/settings/load';
import type { Settings } from '../../../infra/settings/schema';

const root = join(__dirname, '..', '..', '..');
const shipped = readFileSync(join(root, 'pipeline.yaml'), 'utf8');
const settings = readSettings(root);

function problemsOf(text: string, withSettings: Settings | null = settings): string[] {
  try {
    loadPipeline(text, 'pipeline.yaml', withSettings ?? undefined);
  } catch (error) {
    if (error instanceof PipelineError) return error.problems;
    throw error;
  }
  throw new Error('expected the pipeline to be rejected');
}

test('the shipped pipeline.yaml encodes the branch table of the design', () => {
  const pipeline = loadPipeline(shipped, 'pipeline.yaml', settings);
  expect(pipeline.branches.map((r) => [r.branch, r.deploy, r.preview])).toEqual([
    ['feature-*', [], ['dev']],
    ['develop', ['dev'], []],
    ['main', ['dev', 'staging'], []],
    ['release-*', ['prod'], []],
    ['hotfix/*', ['prod'], []],
  ]);
  expect(
    Object.entries(pipeline.environments).map(([name, e]) => [name, e.approval, e.scan?.failOn]),
  ).toEqual([
    ['dev', false, ['CRITICAL']],
    ['staging', false, ['CRITICAL']],
    ['prod', true, ['CRITICAL', 'HIGH']],
  ]);
  expect(pipeline.environments.prod?.promoteFrom).toBe('staging');
  expect(Object.keys(pipeline.services)).toEqual(['web', 'api', 'worker']);
  expect(pipeline.services.api?.dockerfile).toBe('Dockerfile');
});

test('every problem is reported at once, one line each, naming the file and the key', () => {
  const broken = shipped
    .replace('stack: dev\n', 'stack: dev\n    region: mars\n    role: admin\n')
    .replace('approval: true', 'approval: yes-please')
    .replace('  api:\n    context: apps/sample', '  api:\n    context: apps/sample\n    platform: arm64');
  expect(problemsOf(broken)).toEqual([
    'pipeline.yaml: environments.dev.region: must be an AWS region such as eu-west-1',
    'pipeline.yaml: environments.dev.role: must be an IAM role ARN',
    'pipeline.yaml: environments.prod.approval: Invalid input: expected boolean, received string',
    'pipeline.yaml: services.api.platform: unknown key',
  ]);
});

test('branch rules may only name environments that exist, each once', () => {
  const broken = shipped.replace('deploy: [dev, staging]', 'deploy: [dev, qa, dev]');
  expect(problemsOf(broken)).toEqual([
    'pipeline.yaml: branches[2].deploy[1]: no environment named qa (known: dev, staging, prod)',
    'pipeline.yaml: branches[2].deploy: lists an environment twice',
  ]);
});

test('an allowlist entry needs a CVE id, an expiry date and a reason', () => {
  const broken = shipped.replace(
    '      allow: []',
    '      allow:\n        - { id: not-a-cve, expires: soon, reason: "" }',
  );
  expect(problemsOf(broken)).toEqual([
    'pipeline.yaml: environments.prod.scan.allow[0].id: must be a CVE or GHSA id',
    'pipeline.yaml: environments.prod.scan.allow[0].expires: must be a date such as 2027-01-31',
    'pipeline.yaml: environments.prod.scan.allow[0].reason: must say why the finding is accepted',
  ]);
});

test('YAML that does not parse is one clear problem', () => {
  expect(problemsOf('project: [slipway')).toEqual([
    expect.stringMatching(/^pipeline\.yaml: not valid YAML: /),
  ]);
});

test('the committed JSON Schema is the one generated from the validating schema', () => {
  expect(JSON.parse(readFileSync(join(root, 'pipeline.schema.json'), 'utf8'))).toEqual(pipelineJsonSchema());
  expect(shipped.startsWith('# yaml-language-server: $schema=./pipeline.schema.json\n')).toBe(true);
});

test('promoteFrom must name another environment that exists', () => {
  expect(problemsOf(shipped.replace('promoteFrom: staging', 'promoteFrom: qa'))).toEqual([
    'pipeline.yaml: environments.prod.promoteFrom: no environment named qa (known: dev, staging, prod)',
  ]);
  expect(problemsOf(shipped.replace('promoteFrom: staging', 'promoteFrom: prod'))).toEqual([
    'pipeline.yaml: environments.prod.promoteFrom: cannot promote from itself',
  ]);
});

test("a gated stack's images must be promoted from somewhere, checked before any run", () => {
  // Without promoteFrom, a release would build and find nowhere to put prod's images (the publish role never
  // writes them): refused here, naming the rule, rather than at the release's build.
  const withoutSource = shipped.replace(/\n\s*promoteFrom: staging/, '');
  expect(problemsOf(withoutSource)).toEqual([
    expect.stringMatching(
      /^pipeline\.yaml: environments\.prod\.promoteFrom: required: prod's stack is deployed with approval, .* \(branches\[3\]: release-\*\)$/,
    ),
    expect.stringMatching(/ \(branches\[4\]: hotfix\/\*\)$/),
  ]);
});

describe('roles and regions from slipway.yaml', () => {
  it('gives each environment pipeline.yaml leaves them out of the bootstrap deploy role and region of its account', () => {
    const pipeline = loadPipeline(shipped, 'pipeline.yaml', settings);
    expect(Object.entries(pipeline.environments).map(([name, e]) => [name, e.role, e.region])).toEqual(
      ['dev', 'staging', 'prod'].map((name) => [
        name,
        `arn:aws:iam::${settings.aws.account}:role/slipway-deploy-${name}`,
        settings.aws.region,
      ]),
    );
  });

  it("follows an environment's own account and region, and lets pipeline.yaml still state a role", () => {
    const own = loadSettings(
      readFileSync(join(root, 'slipway.yaml'), 'utf8').replace(
        '  prod:\n',
        "  prod:\n    account: '210987654321'\n    region: us-east-2\n",
      ),
    );
    const stated = shipped.replace(
      'stack: staging\n',
      'stack: staging\n    role: arn:aws:iam::111122223333:role/custom-staging\n',
    );
    const pipeline = loadPipeline(stated, 'pipeline.yaml', own);
    expect(pipeline.environments.prod).toMatchObject({
      role: 'arn:aws:iam::210987654321:role/slipway-deploy-prod',
      region: 'us-east-2',
    });
    expect(pipeline.environments.staging?.role).toBe('arn:aws:iam::111122223333:role/custom-staging');
  });

  it('names the role and region of an environment neither file covers', () => {
    expect(problemsOf(shipped, null)).toEqual(
      ['dev', 'staging', 'prod'].flatMap((name) =>
        ['role', 'platformRole', 'region'].map(
          (key) =>
            `pipeline.yaml: environments.${name}.${key}: is required, unless slipway.yaml names the stack ${name} (environments.${name})`,
        ),
      ),
    );
  });
});

describe('pipeline.yaml and the catalog', () => {
  const catalog = readFileSync(join(root, 'services.yaml'), 'utf8');

  it('builds exactly the services the committed catalog declares (its data stores are no service)', () => {
    const declared = catalogServices(catalog);
    expect(declared).toEqual(['web', 'api', 'worker']);
    expect(Object.keys(loadPipeline(shipped, 'pipeline.yaml', settings, declared).services)).toEqual(
      declared,
    );
  });

  it('names both files for a service one has and the other lacks, and loads nothing', () => {
    const load = () => loadPipeline(shipped, 'pipeline.yaml', settings, ['web', 'api', 'search']);
    expect(load).toThrow(PipelineError);
    expect(() => load()).toThrow(
      [
        'pipeline.yaml: services.worker: not a service of services.yaml (declare it there, or stop building it)',
        'services.yaml: search: pipeline.yaml builds no image for it (add services.search with its build context there)',
      ].join('\n'),
    );
  });
});

describe('environments that share a stack (seed 004: release-* on merge, hotfix/* behind approval)', () => {
  const sharing = shipped.replace(
    '\n# First matching rule wins.',
    '  prod-hotfix:\n    stack: prod\n    approval: true\n\n# First matching rule wins.',
  );

  it("gives every environment of a stack the stack's region and roles from slipway.yaml", () => {
    const pipeline = loadPipeline(sharing, 'pipeline.yaml', settings);
    expect(pipeline.environments['prod-hotfix']).toMatchObject({
      stack: 'prod',
      region: 'eu-west-1',
      role: 'arn:aws:iam::123456789012:role/slipway-deploy-prod',
      platformRole: 'arn:aws:iam::123456789012:role/slipway-platform-prod',
    });
  });

  it('names a region or role stated differently for one stack, and a rule that deploys one stack twice', () => {
    const conflicting = shipped
      .replace(
        '\n# First matching rule wins.',
        '  prod-hotfix:\n    stack: prod\n    approval: true\n    region: us-east-1\n\n# First matching rule wins.',
      )
      .replace('deploy: [prod]\n  - branch: hotfix/*', 'deploy: [prod, prod-hotfix]\n  - branch: hotfix/*');
    expect(problemsOf(conflicting)).toEqual([
      'pipeline.yaml: environments.prod-hotfix.region: us-east-1, but environments.prod.region is unset; both deploy the stack prod, which has one',
      'pipeline.yaml: branches[3].deploy: prod and prod-hotfix both deploy the stack prod; a push deploys a stack once',
    ]);
  });

  it('names the stack slipway.yaml lacks for an environment whose role it would derive', () => {
    expect(problemsOf(shipped.replace('stack: prod\n', 'stack: production\n'))).toEqual([
      'pipeline.yaml: environments.prod.role: is required, unless slipway.yaml names the stack production (environments.production)',
      'pipeline.yaml: environments.prod.platformRole: is required, unless slipway.yaml names the stack production (environments.production)',
      'pipeline.yaml: environments.prod.region: is required, unless slipway.yaml names the stack production (environments.production)',
    ]);
  });
});
