import { execFileSync } from 'node:child_process';
import { rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { stringify } from 'yaml';
import { copyProject, editYaml } from '../offline/project-copy';
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
const endToEndTargetSeconds = 5;
const catalogSizes = [10, 50, 200] as const;
// 20× the services in 20× the time at most: growth no worse than linear.
const maxGrowth = 20;

/** The plan's figures: end-to-end time, scale with the catalog size, and blast radius of small changes. */
export async function benchPlan(): Promise<Figure[]> {
  return [await endToEnd(), ...(await scale()), ...(await blastRadius())];
}

async function endToEnd(): Promise<Figure> {
  await succeeded(runPlanCommand(['--stack', 'prod'])); // warms tsx's transform cache, as a second run would be
  const runs: PlanRun[] = [];
  for (let i = 0; i < endToEndRuns; i++) runs.push(await succeeded(runPlanCommand(['--stack', 'prod'])));
  const value = median(runs.map((r) => r.seconds));
  // CPU time shows what the wall time is made of when other work shares the machine.
  const cpu = median(runs.map((r) => r.cpuSeconds ?? NaN));
  return {
    name: `plan --stack prod, process start to exit (median of ${endToEndRuns})`,
    value: `${value.toFixed(2)} s (rendering process CPU ${cpu.toFixed(1)} s)`,
    target: `≤ ${endToEndTargetSeconds} s`,
    met: value <= endToEndTargetSeconds,
  };
}

async function scale(): Promise<Figure[]> {
  const runs: { size: number; run: PlanRun; resources: number }[] = [];
  for (const size of catalogSizes) {
    const project = copyProject();
    const { catalog, overrides, quota } = generateCatalog(project, size);
    writeFileSync(join(project, 'services.yaml'), stringify(catalog));
    editYaml(join(project, 'Pulumi.prod.yaml'), (doc) => {
      (doc.config as Record<string, unknown>)['slipway:services'] = overrides;
      (doc.config as Record<string, unknown>)['slipway:quota'] = quota;
    });
    const run = await succeeded(runPlanCommand(['--stack', 'prod', '--project-dir', project])).finally(() =>
      rmSync(project, { recursive: true, force: true }),
    );
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
  const stackFile = join(repo, 'Pulumi.prod.yaml');
  const services = (doc: Record<string, unknown>) =>
    (doc.config as Record<string, unknown>)['slipway:services'] as Record<string, Record<string, unknown>>;

  let changedService = '';
  editYaml(stackFile, (doc) => {
    changedService = Object.keys(services(doc))[0] as string;
    services(doc)[changedService] = {
      ...services(doc)[changedService],
      imageTag: 'f00dfeedf00dfeedf00dfeedf00dfeedf00dfeed',
    };
  });
  const tagDiff = await diffAgainstHead(repo);
  const tagChanges = tagDiff.changes.map((c) => `${c.kind} ${c.type} ${c.name}`);
  git('checkout', '--quiet', '--', 'Pulumi.prod.yaml');

  editYaml(join(repo, 'services.yaml'), (catalog) => {
    catalog.reports = { ...(catalog.worker as object), calls: [] };
  });
  editYaml(stackFile, (doc) => {
    services(doc).reports = { imageTag: 'f00dfeedf00dfeedf00dfeedf00dfeedf00dfeed', replicas: 2 };
  });
  const addDiff = await diffAgainstHead(repo);
  const onlyCreates = addDiff.changes.length > 0 && addDiff.changes.every((c) => c.kind === 'create');

  return [
    {
      name: `blast radius: a new imageTag for ${changedService} in Pulumi.prod.yaml`,
      value: tagChanges.join('; ') || 'no change',
      target: `exactly one update, ${changedService}'s Deployment; no replace`,
      met:
        tagDiff.changes.length === 1 &&
        tagDiff.changes[0]?.kind === 'update' &&
        tagDiff.changes[0]?.type === 'kubernetes:apps/v1:Deployment' &&
        tagDiff.changes[0]?.name.includes(changedService),
    },
    {
      name: 'blast radius: a new service in services.yaml',
      value: [
        Object.entries(addDiff.counts)
          .map(([kind, count]) => `${count} ${kind}`)
          .join(', '),
        ...addDiff.changes
          .filter((c) => c.kind !== 'create')
          .map((c) => `${c.kind} ${c.type} ${c.name} (${c.properties.map((p) => p.path).join(', ')})`),
      ].join('; '),
      target: 'only creates',
      met: onlyCreates,
    },
  ];
}

async function diffAgainstHead(repo: string): Promise<PlanDiff> {
  const run = await runPlanCommand(['--stack', 'prod', '--base', 'HEAD', '--format', 'json'], repo);
  if (run.code !== 2 && run.code !== 0)
    throw new Error(`plan --base failed (exit ${run.code}):\n${run.stderr}`);
  return JSON.parse(run.stdout) as PlanDiff;
}

async function succeeded(pending: Promise<PlanRun>): Promise<PlanRun> {
  const run = await pending;
  if (run.code !== 0) throw new Error(`plan failed (exit ${run.code}):\n${run.stderr}`);
  return run;
}
