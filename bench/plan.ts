import { execFileSync } from 'node:child_process';
import { readFileSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { stringify } from 'yaml';
import { formatCidr, parseCidr, subnetOf } from '../infra/config/cidr';
import { loadPlatformConfig } from '../infra/config/load';
import { subnetLayout } from '../infra/network';
import { readSettings } from '../infra/settings/load';
import { copyProject, editYaml } from '../offline/project-copy';
import { readStackFiles } from '../offline/stack-files';
import type { PlanDiff } from '../plan/model';
import { generateCatalog } from './catalog';
import { median, runPlanCommand, type PlanRun } from './cli';

/** One measured figure, with the target the plan issue sets for it. */
export interface Figure {
  name: string;
  value: string;
  target: string;
  met: boolean;
}

const endToEndRuns = 5;
/** The seed applications under examples/; the largest (by resources, both projects) is timed. */
const examples = ['ecommerce', 'roboshop', 'flask-umbrella'] as const;
const endToEndTargetSeconds = 5;
const catalogSizes = [10, 50, 200] as const;
// 20× the services in 20× the time at most: growth no worse than linear.
const maxGrowth = 20;

/** The plan's figures: end-to-end time, scale with the catalog size, and blast radius of small changes. */
export async function benchPlan(): Promise<Figure[]> {
  return [
    await endToEnd([]),
    await endToEnd(['--project', 'apps']),
    ...(await largestExample()),
    await appDeployPreview(),
    ...(await scale()),
    ...(await blastRadius()),
  ];
}

async function endToEnd(extra: string[]): Promise<Figure> {
  const args = ['--stack', 'prod', ...extra];
  await succeeded(runPlanCommand(args)); // warms tsx's transform cache, as a second run would be
  const runs: PlanRun[] = [];
  for (let i = 0; i < endToEndRuns; i++) runs.push(await succeeded(runPlanCommand(args)));
  const value = median(runs.map((r) => r.seconds));
  // CPU time shows what the wall time is made of when other work shares the machine.
  const cpu = median(runs.map((r) => r.cpuSeconds ?? NaN));
  return {
    name: `plan ${args.join(' ')}, process start to exit (median of ${endToEndRuns})`,
    value: `${value.toFixed(2)} s (rendering process CPU ${cpu.toFixed(1)} s)`,
    target: `≤ ${endToEndTargetSeconds} s`,
    met: value <= endToEndTargetSeconds,
  };
}

/**
 * The prod plans of the largest seed application under examples/, both projects: the platform, and
 * the apps (which renders the platform's outputs first, so it is the longer of the two).
 */
async function largestExample(): Promise<Figure[]> {
  const sizes: [string, number][] = [];
  for (const example of examples) {
    let total = 0;
    for (const project of ['platform', 'apps']) {
      const run = await succeeded(
        runPlanCommand(['--example', example, '--stack', 'prod', '--project', project, '--format', 'json']),
      );
      total += (JSON.parse(run.stdout) as { resources: unknown[] }).resources.length;
    }
    sizes.push([example, total]);
  }
  const [largest, resources] = sizes.reduce((a, b) => (b[1] > a[1] ? b : a));
  const figures = [
    await endToEnd(['--example', largest]),
    await endToEnd(['--example', largest, '--project', 'apps']),
  ];
  return figures.map((figure) => ({
    ...figure,
    name: `${figure.name}; the largest example (${resources} resources; ${sizes.map(([e, n]) => `${e} ${n}`).join(', ')})`,
  }));
}

/**
 * What an app deploy previews now (the apps stack) against before the split (one stack held the
 * platform and the apps): the resources of the apps render, and of both renders together.
 */
async function appDeployPreview(): Promise<Figure> {
  const count = async (extra: string[]) => {
    const run = await succeeded(runPlanCommand(['--stack', 'prod', '--format', 'json', ...extra]));
    return (JSON.parse(run.stdout) as { resources: unknown[] }).resources.length;
  };
  const platform = await count([]);
  const apps = await count(['--project', 'apps']);
  return {
    name: 'resources an app deploy previews (prod): the apps stack, against platform + apps in one stack before',
    value: `${apps} now, ${platform + apps} before (${Math.round((100 * apps) / (platform + apps))}%)`,
    target: 'only the apps’ own resources',
    met: apps < platform,
  };
}

async function scale(): Promise<Figure[]> {
  const runs: { size: number; run: PlanRun; resources: number }[] = [];
  for (const size of catalogSizes) {
    const project = copyProject();
    const { catalog, overrides, quota } = generateCatalog(project, size);
    writeFileSync(join(project, 'services.yaml'), stringify(catalog));
    editYaml(join(project, 'infra', 'apps', 'Pulumi.prod.yaml'), (doc) => {
      (doc.config as Record<string, unknown>)['slipway:services'] = overrides;
      (doc.config as Record<string, unknown>)['slipway:quota'] = quota;
    });
    // The apps plan renders the platform first (a repository and secret per service), then the apps.
    const run = await succeeded(
      runPlanCommand(['--stack', 'prod', '--project', 'apps', '--project-dir', project]),
    ).finally(() => rmSync(project, { recursive: true, force: true }));
    runs.push({ size, run, resources: Number(/^(\d+) resources:/m.exec(run.stdout)?.[1]) });
  }
  const smallest = runs[0] as (typeof runs)[number];
  const largest = runs[runs.length - 1] as (typeof runs)[number];
  const growth = largest.run.seconds / smallest.run.seconds;
  return runs.map(({ size, run, resources }) => ({
    name: `plan of a generated catalog of ${size} services (${resources} resources)`,
    value: `${run.seconds.toFixed(2)} s, peak memory ${run.peakMb ?? '?'} MB`,
    target:
      run === largest.run
        ? `≤ ${maxGrowth}× the ${smallest.size}-service time (is ${growth.toFixed(1)}×)`
        : '—',
    met: run !== largest.run || growth <= maxGrowth,
  }));
}

async function blastRadius(): Promise<Figure[]> {
  const repo = copyProject({ withCode: true });
  try {
    return await blastRadiusIn(repo);
  } finally {
    rmSync(repo, { recursive: true, force: true });
  }
}

async function blastRadiusIn(repo: string): Promise<Figure[]> {
  const git = (...args: string[]) =>
    execFileSync('git', ['-c', 'user.name=bench', '-c', 'user.email=bench@slipway.invalid', ...args], {
      cwd: repo,
    });
  git('init', '--quiet');
  git('add', '--all', ':!node_modules');
  git('commit', '--quiet', '-m', 'base');
  const appsStackFile = join(repo, 'infra', 'apps', 'Pulumi.prod.yaml');
  const config = (doc: Record<string, unknown>) => doc.config as Record<string, unknown>;

  // What the pipeline writes into the runner's copy of the apps stack file: one new digest.
  const changedService = 'api';
  editYaml(appsStackFile, (doc) => {
    config(doc)['slipway:images'] = { [changedService]: `sha256:${'f00dfeed'.repeat(8)}` };
  });
  const imageDiff = await diffAgainstHead(repo, 'apps');
  const imageChanges = imageDiff.changes.map((c) => `${c.kind} ${c.type} ${c.name}`);
  git('checkout', '--quiet', '--', 'infra/apps/Pulumi.prod.yaml');

  editYaml(join(repo, 'services.yaml'), (catalog) => {
    catalog.reports = { ...(catalog.worker as object), calls: [] };
  });
  editYaml(appsStackFile, (doc) => {
    const services = (config(doc)['slipway:services'] ?? {}) as Record<string, unknown>;
    config(doc)['slipway:services'] = { ...services, reports: { replicas: 2 } };
  });
  const [platformAdd, appsAdd] = [
    await diffAgainstHead(repo, 'platform'),
    await diffAgainstHead(repo, 'apps'),
  ];
  const onlyCreates = [platformAdd, appsAdd].every(
    (diff) => diff.changes.length > 0 && diff.changes.every((c) => c.kind === 'create'),
  );
  const describe = (diff: PlanDiff) =>
    [
      Object.entries(diff.counts)
        .map(([kind, count]) => `${count} ${kind}`)
        .join(', '),
      ...diff.changes
        .filter((c) => c.kind !== 'create')
        .map((c) => `${c.kind} ${c.type} ${c.name} (${c.properties.map((p) => p.path).join(', ')})`),
    ].join('; ');

  git('checkout', '--quiet', '--', '.');

  // One private subnet moves: the stack file lists the blocks it had, but private[0] elsewhere in the VPC.
  const files = readStackFiles(repo, 'prod');
  const network = loadPlatformConfig({
    stack: 'prod',
    values: files.config,
    catalogText: readFileSync(join(repo, 'services.yaml'), 'utf8'),
    project: 'platform',
    settings: readSettings(repo),
  }).network;
  const layout = subnetLayout(network);
  const moved = formatCidr(subnetOf(parseCidr(network.cidr), parseCidr(layout.private[0] ?? '').prefix, 3));
  editYaml(join(repo, 'Pulumi.prod.yaml'), (doc) => {
    const stated = (config(doc)['slipway:network'] ?? {}) as Record<string, unknown>;
    config(doc)['slipway:network'] = {
      ...stated,
      subnets: { ...layout, private: [moved, ...layout.private.slice(1)] },
    };
  });
  const subnetDiff = await diffAgainstHead(repo, 'platform');
  const subnetChanges = subnetDiff.changes.map((c) => `${c.kind} ${c.type} ${c.name}`).sort();
  const expectedSubnetChanges = [
    'replace aws:ec2/routeTableAssociation:RouteTableAssociation network-private-rta-0',
    'replace aws:ec2/subnet:Subnet network-private-0',
    'replace aws:eks/nodeGroup:NodeGroup cluster-general',
    // The interface endpoints admit the private subnets by CIDR: the new block is a change of its own.
    'update aws:ec2/securityGroup:SecurityGroup network-endpoints-sg',
  ];

  return [
    {
      name: `blast radius: private subnet 0 moves to ${moved} in Pulumi.prod.yaml (platform plan)`,
      value: subnetChanges.join('; ') || 'no change',
      target:
        'what pulumi preview shows: the subnet, its route table association and the node group in it replaced',
      met: JSON.stringify(subnetChanges) === JSON.stringify(expectedSubnetChanges),
    },
    {
      name: `blast radius: an app deploy with a new digest for ${changedService} (slipway:images)`,
      value: imageChanges.join('; ') || 'no change',
      target: `exactly one update, ${changedService}'s Deployment; no replace`,
      met:
        imageDiff.changes.length === 1 &&
        imageDiff.changes[0]?.kind === 'update' &&
        imageDiff.changes[0]?.type === 'kubernetes:apps/v1:Deployment' &&
        imageDiff.changes[0]?.name.includes(changedService),
    },
    {
      name: 'blast radius: a new service in services.yaml (platform plan; apps plan)',
      value: `platform: ${describe(platformAdd)}; apps: ${describe(appsAdd)}`,
      target: 'only creates',
      met: onlyCreates,
    },
  ];
}

async function diffAgainstHead(repo: string, project: 'platform' | 'apps'): Promise<PlanDiff> {
  const run = await runPlanCommand(
    ['--stack', 'prod', '--project', project, '--base', 'HEAD', '--format', 'json'],
    repo,
  );
  if (run.code !== 2 && run.code !== 0)
    throw new Error(`plan --base failed (exit ${run.code}):\n${run.stderr}`);
  return JSON.parse(run.stdout) as PlanDiff;
}

async function succeeded(pending: Promise<PlanRun>): Promise<PlanRun> {
  const run = await pending;
  if (run.code !== 0) throw new Error(`plan failed (exit ${run.code}):\n${run.stderr}`);
  return run;
}
