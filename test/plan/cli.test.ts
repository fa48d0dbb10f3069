import { execFile } from 'node:child_process';
import { copyFileSync, mkdtempSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { parseAllDocuments } from 'yaml';
import { runPlanCommand, type PlanRun as Run } from '../../bench/cli';
import { copyProject, editYaml } from '../../offline/project-copy';
import type { PlanDiff, StackPlan } from '../../plan/model';
import { externalSecretsSchemaFailures } from '../support/external-secrets-schema';
import { validateAgainstSchema } from './kubernetes-schemas';

// End to end: `plan` as a child process, as `npm run plan` starts it (the runner the bench times). Each
// run costs a few seconds, so each is made once and checked by several tests.
const plan = runPlanCommand;

function git(args: string[], cwd: string): Promise<string> {
  return new Promise((resolve, reject) => {
    execFile('git', args, { cwd }, (error, stdout) => (error ? reject(error) : resolve(stdout)));
  });
}

// The apps' Kubernetes provider is configured with a kubeconfig, which the plan redacts whole (by its
// key): none of its structure may show.
const secretFragments = ['certificate-authority-data', 'client.authentication.k8s.io'];
const allOutputs: string[] = [];
const temporary: string[] = [];
const temporaryDir = (dir: string) => {
  temporary.push(dir);
  return dir;
};
const record = (run: Run) => {
  allOutputs.push(run.stdout, run.stderr);
  return run;
};

const out = temporaryDir(mkdtempSync(join(tmpdir(), 'slipway-plan-out-')));
const appsOut = temporaryDir(mkdtempSync(join(tmpdir(), 'slipway-plan-apps-out-')));
let text: Run;
let apps: Run;
let badConfig: Run;
let changed: Run;
let changedApps: Run;
let unchanged: Run;
let newStack: Run;
let repo: string;
let resources: { type: string; name: string; inputs: Record<string, unknown> }[];

// jest runs one test file at a time on two cores: the runs go side by side to use the other one.
beforeAll(async () => {
  [text, apps, badConfig, [changed, changedApps, unchanged, newStack]] = await Promise.all([
    plan(['--stack', 'prod', '--out', out]).then(record),
    plan(['--stack', 'prod', '--project', 'apps', '--format', 'json', '--out', appsOut]).then(record),
    runWithBadStackFile(),
    runAgainstBase(),
  ]);
  resources = JSON.parse(readFileSync(join(out, 'resources.json'), 'utf8'));
  allOutputs.push(JSON.stringify(resources), readFileSync(join(out, 'plan.md'), 'utf8'));
  // Six plan processes (three of them rendering a base too) on a machine others share.
}, 240_000);

async function runWithBadStackFile(): Promise<Run> {
  const project = temporaryDir(copyProject());
  editYaml(join(project, 'Pulumi.prod.yaml'), (doc) => {
    (doc.config as Record<string, unknown>)['slipway:network'] = { azCount: 1 };
  });
  return record(await plan(['--stack', 'prod', '--project-dir', project]));
}

/** A repository with two commits: the project, then a change touching every kind of operation. */
async function runAgainstBase(): Promise<[Run, Run, Run, Run]> {
  repo = temporaryDir(copyProject({ withCode: true }));
  await git(['init', '--quiet', '--initial-branch', 'main'], repo);
  await git(['add', '--all', ':!node_modules'], repo);
  const commit = (message: string) =>
    git(
      ['-c', 'user.name=test', '-c', 'user.email=test@example.com', 'commit', '--quiet', '-m', message],
      repo,
    );
  await commit('base');
  // The change under review: a new service replaces the worker, the VPC moves, backups are kept longer.
  editYaml(join(repo, 'services.yaml'), (catalog) => {
    catalog.reports = catalog.worker;
    delete catalog.worker;
  });
  editYaml(join(repo, 'Pulumi.prod.yaml'), (doc) => {
    const config = doc.config as Record<string, Record<string, unknown>>;
    config['slipway:network'] = { ...config['slipway:network'], cidr: '10.20.0.0/16' };
    config['slipway:dataStores'] = { 'app-db': { backupRetentionDays: 21 } };
  });
  editYaml(join(repo, 'infra', 'apps', 'Pulumi.prod.yaml'), (doc) => {
    const services = (doc.config as Record<string, Record<string, unknown>>)['slipway:services'] ?? {};
    services.reports = services.worker;
    delete services.worker;
  });
  // A new environment, qa, as the pull request adding it has it: a stack file and its slipway.yaml entry.
  copyFileSync(join(repo, 'Pulumi.dev.yaml'), join(repo, 'Pulumi.qa.yaml'));
  editYaml(join(repo, 'slipway.yaml'), (settings) => {
    const environments = settings.environments as Record<string, Record<string, unknown>>;
    environments.qa = { ...environments.dev, domain: 'qa.app.example.com' };
  });
  await git(['add', '--all', ':!node_modules'], repo);
  await commit('change');
  // Two at a time: each adds and removes a git worktree of the same repository.
  const apps = async (): Promise<[Run, Run]> => [
    record(
      await plan(['--stack', 'prod', '--project', 'apps', '--base', 'HEAD~1', '--format', 'json'], repo),
    ),
    record(await plan(['--stack', 'prod', '--base', 'HEAD', '--format', 'markdown'], repo)),
  ];
  // The qa run adds no worktree: the base has no qa stack to render.
  const [platformRun, [appsRun, unchangedRun], newStackRun] = await Promise.all([
    plan(['--stack', 'prod', '--base', 'HEAD~1', '--format', 'json'], repo).then(record),
    apps(),
    plan(['--stack', 'qa', '--base', 'HEAD~1'], repo).then(record),
  ]);
  return [platformRun, appsRun, unchangedRun, newStackRun];
}

describe('plan --stack prod', () => {
  it('prints the component tree with counts by type, and progress on stderr, exit 0', () => {
    expect(text.code).toBe(0);
    expect(text.stdout).toMatch(/^slipway\/prod\n/);
    expect(text.stdout).toMatch(/^network {2}slipway:platform:Network$/m);
    // Five subnet tiers (public, private, data, control plane, endpoints) in each of prod's three AZs.
    expect(text.stdout).toMatch(/^ {3}15 × aws:ec2\/subnet:Subnet$/m);
    expect(text.stdout).toMatch(new RegExp(`^${resources.length} resources: \\d+ components, \\d+ aws`, 'm'));
    expect(text.stdout).toMatch(/^ {2}clusterName: "slipway-prod"$/m);
    expect(text.stdout).not.toMatch(/Deployment/);
    expect(text.stderr).toMatch(/running the platform program for Pulumi\.prod\.yaml/);
    expect(text.stderr).not.toMatch(/apps program/);
    expect(text.stderr).not.toContain('\u001b[');
  });

  it('writes resources.json with every resource, its parent and inputs', () => {
    const vpc = resources.find((r) => r.type === 'aws:ec2/vpc:Vpc');
    expect(vpc).toMatchObject({
      parent: 'slipway:platform:Network::network',
      inputs: { cidrBlock: '10.30.0.0/16' },
    });
  });

  it('writes the platform’s Kubernetes objects (no workload of the apps) as YAML that validates against the schemas', () => {
    const kubernetesResources = resources.filter(
      (r) => r.type.startsWith('kubernetes:') && !r.type.startsWith('kubernetes:helm') && 'kind' in r.inputs,
    );
    const documents = manifestsIn(out);
    expect(documents).toHaveLength(kubernetesResources.length);
    // The apps role's grant, the operator's namespace, and app-db's user provisioning in the platform's namespace.
    expect(documents.map((d) => d.kind).sort()).toEqual(
      [
        'ClusterRole',
        'ClusterRoleBinding',
        'Namespace',
        ...['Namespace', 'ServiceAccount', 'ServiceAccount', 'SecretStore', 'SecretStore'],
        ...['ExternalSecret', 'ExternalSecret', 'ConfigMap', 'Job'],
        ...['NetworkPolicy', 'NetworkPolicy', 'NetworkPolicy'],
      ].sort(),
    );
    // The External Secrets objects in one child process; the others against their OpenAPI models.
    const externalSecrets = documents.filter((d) => d.apiVersion.startsWith('external-secrets.io/'));
    expect(externalSecrets).toHaveLength(4);
    expect(externalSecretsSchemaFailures(externalSecrets)).toEqual([]);
    for (const document of documents.filter((d) => !externalSecrets.includes(d))) {
      expect(() => validateAgainstSchema(document)).not.toThrow();
    }
  });

  it('writes plan.md: the stack as markdown for a PR comment', () => {
    const planMd = readFileSync(join(out, 'plan.md'), 'utf8');
    expect(planMd).toMatch(/^## Offline plan: `slipway\/prod`$/m);
    expect(planMd).toMatch(/^\| network \| `aws:ec2\/subnet:Subnet` \| 15 \|$/m);
  });
});

function manifestsIn(dir: string): { apiVersion: string; kind: string; metadata: { name: string } }[] {
  const files = readdirSync(join(dir, 'manifests'));
  const documents = files.flatMap((file) =>
    parseAllDocuments(readFileSync(join(dir, 'manifests', file), 'utf8')).map((d) => d.toJS()),
  );
  allOutputs.push(JSON.stringify(documents));
  return documents;
}

describe('plan --stack prod --project apps', () => {
  it('renders the apps project against the platform render’s outputs, saying so on stderr', () => {
    expect(apps.code).toBe(0);
    const rendered = JSON.parse(apps.stdout) as StackPlan;
    expect(rendered).toMatchObject({ formatVersion: 1, project: 'slipway-apps', stack: 'prod' });
    expect(apps.stderr).toMatch(/running the platform program for Pulumi\.prod\.yaml/);
    expect(apps.stderr).toMatch(/running the apps program for infra\/apps\/Pulumi\.prod\.yaml/);
    const provider = rendered.resources.find((r) => r.type === 'pulumi:providers:kubernetes');
    expect(provider?.inputs.kubeconfig).toBe('[secret]');
    expect(rendered.resources.some((r) => r.type.startsWith('aws:ec2'))).toBe(false);
  });

  it('prints as JSON the resources it writes to resources.json', () => {
    const rendered = JSON.parse(apps.stdout) as StackPlan;
    const written = JSON.parse(readFileSync(join(appsOut, 'resources.json'), 'utf8')) as typeof resources;
    expect(rendered.resources.map((r) => `${r.type}::${r.name}`).sort()).toEqual(
      written.map((r) => `${r.type}::${r.name}`).sort(),
    );
    expect(rendered.resources.filter((r) => r.type === 'kubernetes:apps/v1:Deployment')).toHaveLength(3);
  });

  it('writes every workload object as YAML that validates against the schemas', () => {
    const documents = manifestsIn(appsOut);
    const deployments = documents.filter((d) => d.kind === 'Deployment').map((d) => d.metadata.name);
    expect(deployments.sort()).toEqual(['api', 'web', 'worker']);
    for (const document of documents) expect(() => validateAgainstSchema(document)).not.toThrow();
  });
});

describe('plan with a bad stack file', () => {
  it('prints the validation lines, no stack trace, nothing on stdout, exit 1', () => {
    expect(badConfig.code).toBe(1);
    expect(badConfig.stderr).toContain(
      'Pulumi.prod.yaml: slipway:network.azCount: prod needs at least 3 AZs',
    );
    expect(badConfig.stderr).not.toMatch(/^\s+at /m);
    expect(badConfig.stdout).toBe('');
  });
});

describe('plan --base', () => {
  it('exits 2 and lists creates, updates, replacements and deletes by resource', () => {
    expect(changed.code).toBe(2);
    const diff = JSON.parse(changed.stdout) as PlanDiff;
    const find = (kind: string, type: string, name: RegExp) =>
      diff.changes.find((c) => c.kind === kind && c.type === type && name.test(c.name));
    expect(find('create', 'aws:ecr/repository:Repository', /reports/)).toBeDefined();
    expect(find('delete', 'aws:ecr/repository:Repository', /worker/)).toBeDefined();
    expect(diff.changes.filter((c) => c.type.startsWith('kubernetes:apps/'))).toEqual([]);
    expect(find('replace', 'aws:ec2/vpc:Vpc', /vpc/)?.properties).toContainEqual({
      path: 'cidrBlock',
      old: '10.30.0.0/16',
      new: '10.20.0.0/16',
      forcesReplacement: true,
    });
    expect(find('update', 'aws:rds/instance:Instance', /./)?.properties).toContainEqual({
      path: 'backupRetentionPeriod',
      old: 14,
      new: 21,
      forcesReplacement: false,
    });
    expect(diff.counts.create + diff.counts.update + diff.counts.replace + diff.counts.delete).toBe(
      diff.changes.length,
    );
  });

  it('renders the apps at both revisions: the new service’s workload is created, the old one’s deleted', () => {
    expect(changedApps.stderr).not.toMatch(/error/i);
    expect(changedApps.code).toBe(2);
    const diff = JSON.parse(changedApps.stdout) as PlanDiff;
    const deployments = diff.changes.filter((c) => c.type === 'kubernetes:apps/v1:Deployment');
    expect(deployments.map((c) => `${c.kind} ${c.name}`).sort()).toEqual([
      'create workloads-reports-deployment',
      'delete workloads-worker-deployment',
    ]);
    expect(diff.changes.filter((c) => c.type.startsWith('aws:ec2/'))).toEqual([]);
  });

  it('exits 0 and says so, in markdown when asked, when nothing changes', () => {
    expect(unchanged.code).toBe(0);
    expect(unchanged.stdout).toMatch(/^## Offline plan: `slipway\/prod` against `HEAD`$/m);
    expect(unchanged.stdout).toContain('**Plan: 0 to create, 0 to update, 0 to replace, 0 to delete.**');
    expect(unchanged.stdout).toContain('No changes.');
  });

  it('shows a stack that is new since the base as all creates, saying so, exit 2', () => {
    expect(newStack.stderr).not.toMatch(/error/i);
    expect(newStack.code).toBe(2);
    const lines = newStack.stdout.split('\n');
    expect(lines.slice(0, 2)).toEqual([
      'slipway/qa against HEAD~1',
      'Pulumi.qa.yaml does not exist at HEAD~1: qa is a new stack, so every resource is a create',
    ]);
    const created = lines.filter((line) => line.startsWith('+ create'));
    expect(created.length).toBeGreaterThan(50);
    expect(lines.filter((line) => /^[~±-] /.test(line))).toEqual([]);
    expect(newStack.stdout).toContain(
      `Plan: ${created.length} to create, 0 to update, 0 to replace, 0 to delete.`,
    );
  });

  it('removes its worktrees', async () => {
    const worktrees = await git(['worktree', 'list', '--porcelain'], repo);
    expect(worktrees.match(/^worktree /gm)).toHaveLength(1);
  });
});

afterAll(() => {
  for (const dir of temporary) rmSync(dir, { recursive: true, force: true });
  const everything = allOutputs.join('\n');
  for (const fragment of secretFragments) expect(everything).not.toContain(fragment);
});
