import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { parse as parseYaml } from 'yaml';
import { checkRepository, type Repository } from '../../check/checks';
import { readRepository } from '../../check/read';

const repoRoot = join(__dirname, '..', '..');

/** The repository as committed, copied so that each case changes its own. */
const committed = (): Repository => structuredClone(readRepository(repoRoot));

function present<T>(value: T | undefined): T {
  if (value === undefined) throw new Error('the committed files lack what this case changes');
  return value;
}

describe('the check of slipway.yaml, pipeline.yaml, the stack files and the workflows', () => {
  it('finds nothing wrong with the repository as committed', () => {
    expect(checkRepository(committed())).toEqual([]);
  });

  it('names a stack pipeline.yaml deploys and slipway.yaml lacks, and the branch rules that deploy to it', () => {
    const repo = committed();
    delete repo.settings.environments.staging;
    expect(checkRepository(repo)).toEqual([
      'slipway.yaml: environments.staging: missing, but pipeline.yaml deploys the stack staging (staging)',
      'pipeline.yaml: branches[2].deploy: main deploys to staging, whose stack slipway.yaml does not name (no account, region or reviewers)',
    ]);
  });

  it('names a stack slipway.yaml has and no pipeline.yaml environment deploys', () => {
    const repo = committed();
    repo.settings.environments.qa = { ...present(repo.settings.environments.dev) };
    expect(checkRepository(repo)).toEqual([
      'slipway.yaml: environments.qa: no pipeline.yaml environment deploys the stack qa',
    ]);
  });

  it('names a gated environment without reviewers, and reviewers nobody asks', () => {
    const repo = committed();
    present(repo.settings.environments.prod).reviewers = { users: [], teams: [] };
    present(repo.settings.environments.dev).reviewers = { users: ['octocat'], teams: [] };
    expect(checkRepository(repo)).toEqual([
      'slipway.yaml: environments.dev.reviewers: nobody is asked, pipeline.yaml gates no environment of the stack dev (approval: false)',
      'slipway.yaml: environments.prod.reviewers: none, but pipeline.yaml gates prod (approval: true)',
    ]);
  });

  it("names a role or region pipeline.yaml states that is not the bootstrap's", () => {
    const repo = committed();
    present(repo.pipeline.environments.dev).role = 'arn:aws:iam::111122223333:role/slipway-deploy-dev';
    present(repo.pipeline.environments.staging).region = 'us-east-1';
    expect(checkRepository(repo)).toEqual([
      'pipeline.yaml: environments.dev.role: arn:aws:iam::111122223333:role/slipway-deploy-dev is not the role the bootstrap creates (arn:aws:iam::123456789012:role/slipway-deploy-dev); leave it out',
      'pipeline.yaml: environments.staging.region: us-east-1, but slipway.yaml puts the stack staging in eu-west-1',
      'Pulumi.staging.yaml: aws:region: eu-west-1, but staging deploys to us-east-1',
    ]);
  });

  it('names a service pipeline.yaml builds that the catalog lacks, and one the catalog runs that nothing builds', () => {
    const repo = committed();
    repo.pipeline.services.billing = { context: 'apps/billing', dockerfile: 'Dockerfile', buildArgs: {} };
    repo.catalogServices = repo.catalogServices.filter(
      (service) => service !== 'billing' && service !== 'worker',
    );
    repo.catalogServices.push('search');
    delete repo.pipeline.services.worker;
    expect(checkRepository(repo)).toEqual([
      'pipeline.yaml: services.billing: not a service of services.yaml (declare it there, or stop building it)',
      'services.yaml: search: pipeline.yaml builds no image for it (add services.search with its build context there)',
    ]);
  });

  it("names a platform role pipeline.yaml states that is not the bootstrap's", () => {
    const repo = committed();
    present(repo.pipeline.environments.prod).platformRole =
      'arn:aws:iam::123456789012:role/slipway-deploy-prod';
    expect(checkRepository(repo)).toEqual([
      'pipeline.yaml: environments.prod.platformRole: arn:aws:iam::123456789012:role/slipway-deploy-prod is not the role the bootstrap creates (arn:aws:iam::123456789012:role/slipway-platform-prod); leave it out',
    ]);
  });

  it('names a stack with no stack file, a stack file nobody deploys and a stack file in another region', () => {
    const repo = committed();
    present(repo.pipeline.environments.prod).stack = 'production';
    present(repo.stackFiles.find((file) => file.stack === 'dev')).region = 'us-west-2';
    expect(checkRepository(repo)).toEqual([
      'slipway.yaml: environments.production: missing, but pipeline.yaml deploys the stack production (prod)',
      'slipway.yaml: environments.prod: no pipeline.yaml environment deploys the stack prod',
      'pipeline.yaml: branches[3].deploy: release-* deploys to prod, whose stack slipway.yaml does not name (no account, region or reviewers)',
      'pipeline.yaml: branches[4].deploy: hotfix/* deploys to prod, whose stack slipway.yaml does not name (no account, region or reviewers)',
      'Pulumi.dev.yaml: aws:region: us-west-2, but dev deploys to eu-west-1',
      'pipeline.yaml: environments.prod.stack: production has no Pulumi.production.yaml',
      'Pulumi.prod.yaml: no pipeline.yaml environment deploys the stack prod',
    ]);
  });

  describe('two environments deploying one stack (seed 004: release-* on merge, hotfix/* behind approval)', () => {
    /** The committed repository with prod also deployed by a gated prod-hotfix, which hotfix/* now reaches. */
    const sharing = (): Repository => {
      const repo = committed();
      present(repo.pipeline.environments.prod).approval = false;
      repo.pipeline.environments['prod-hotfix'] = { stack: 'prod', approval: true };
      present(repo.pipeline.branches[4]).deploy = ['prod-hotfix'];
      return repo;
    };

    it("accepts them under the stack's one slipway.yaml entry, whose reviewers approve the gated one", () => {
      expect(checkRepository(sharing())).toEqual([]);
    });

    it('names the missing reviewers of the gated one and the stack entry neither may lack', () => {
      const unreviewed = sharing();
      delete present(unreviewed.settings.environments.prod).reviewers;
      const unsettled = sharing();
      delete unsettled.settings.environments.prod;
      expect([...checkRepository(unreviewed), ...checkRepository(unsettled)]).toEqual([
        'slipway.yaml: environments.prod.reviewers: none, but pipeline.yaml gates prod-hotfix (approval: true)',
        'slipway.yaml: environments.prod: missing, but pipeline.yaml deploys the stack prod (prod, prod-hotfix)',
        'pipeline.yaml: branches[3].deploy: release-* deploys to prod, whose stack slipway.yaml does not name (no account, region or reviewers)',
        'pipeline.yaml: branches[4].deploy: hotfix/* deploys to prod-hotfix, whose stack slipway.yaml does not name (no account, region or reviewers)',
      ]);
    });

    it('names a region or role the two state differently', () => {
      const repo = sharing();
      present(repo.pipeline.environments['prod-hotfix']).region = 'us-east-1';
      expect(checkRepository(repo)).toEqual([
        'pipeline.yaml: environments.prod-hotfix.region: us-east-1, but environments.prod.region is unset; both deploy the stack prod, which has one',
        'pipeline.yaml: environments.prod-hotfix.region: us-east-1, but slipway.yaml puts the stack prod in eu-west-1',
      ]);
    });
  });

  it('names a workflow job in an environment pipeline.yaml lacks, and a variable the bootstrap does not write', () => {
    const repo = committed();
    repo.workflows.push({
      path: 'workflows/hand-made.yml',
      document: parseYaml(
        [
          'on: push',
          'jobs:',
          '  ship:',
          '    runs-on: ubuntu-latest',
          '    environment: prd',
          '    steps: [{ run: echo, env: { ACCOUNT: "${{ vars.AWS_ACCOUNT }}" } }]',
          '  matrixed:',
          '    runs-on: ubuntu-latest',
          '    environment: { name: "${{ matrix.environment }}" }',
          '    steps: [{ run: echo }]',
        ].join('\n'),
      ),
    });
    expect(checkRepository(repo)).toEqual([
      'workflows/hand-made.yml: jobs.ship.environment: prd is not a pipeline.yaml environment; GitHub would create it without reviewers',
      'workflows/hand-made.yml: reads vars.AWS_ACCOUNT, which the bootstrap does not write',
    ]);
  });

  it('reads every workflow template and the repository’s own workflows', () => {
    const paths = committed().workflows.map((w) => w.path);
    expect(paths).toEqual(
      expect.arrayContaining([
        'workflows/deploy.yml',
        'workflows/drift.yml',
        join('.github', 'workflows', 'ci.yml'),
      ]),
    );
    expect(readFileSync(join(repoRoot, 'workflows', 'deploy.yml'), 'utf8')).toContain('vars.');
  });
});
