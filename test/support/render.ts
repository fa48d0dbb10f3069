import { createHash } from 'node:crypto';
import { mkdirSync, readFileSync, readdirSync, renameSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { OfflineRun } from '../../offline/engine';
import { runApps, runPlatform } from '../../offline/projects';

/** The repository root: the Pulumi project every stack is rendered from. */
export const repoRoot = join(__dirname, '..', '..');

export const stacks = ['dev', 'staging', 'prod'] as const;
export type StackName = (typeof stacks)[number];

/** Everything a render depends on; a change to any of it means a fresh render. */
function sourceFiles(): string[] {
  const walk = (dir: string): string[] =>
    readdirSync(join(repoRoot, dir), { withFileTypes: true }).flatMap((entry) => {
      const path = join(dir, entry.name);
      if (entry.isDirectory()) return walk(path);
      return entry.name.endsWith('.ts') || /^Pulumi(\.[\w-]+)?\.yaml$/.test(entry.name) ? [path] : [];
    });
  const rootFiles = readdirSync(repoRoot).filter(
    (file) =>
      /^Pulumi(\.[\w-]+)?\.yaml$/.test(file) || file === 'services.yaml' || file === 'package-lock.json',
  );
  return [...walk('infra'), ...walk('offline'), ...rootFiles].sort();
}

let sourcesDigest: string | undefined;

/** The key's cache name: the key with a digest of every source, read once per worker (they do not change). */
function renderKey(key: string): string {
  if (sourcesDigest === undefined) {
    const sources = createHash('sha256');
    for (const file of sourceFiles())
      sources
        .update(file)
        .update('\0')
        .update(readFileSync(join(repoRoot, file)));
    sourcesDigest = sources.digest('hex');
  }
  return createHash('sha256').update(key).update(sourcesDigest).digest('hex').slice(0, 24);
}

// Inside the jest run's scratch folder (test/support/global-setup.ts), removed when the run ends.
const cacheDir = join(process.env.SLIPWAY_TEST_SCRATCH ?? tmpdir(), 'slipway-offline-renders');
const inMemory = new Map<string, Promise<OfflineRun>>();

type Project = 'platform' | 'apps';

/**
 * The offline render of one stack of this repository's platform project (the real program, its real
 * stack file), shared by every test that asks: within a test file through memory, across test files
 * and jest workers through a cache file keyed by a hash of every source the render reads. Treat it as
 * read-only.
 */
export function renderStack(stack: StackName | string): Promise<OfflineRun> {
  return cached('platform', stack);
}

/**
 * The offline render of the apps stack of that name, against the platform render's outputs, every
 * service running the offline engine's stand-in image.
 */
export function renderApps(stack: StackName | string): Promise<OfflineRun> {
  return cached('apps', stack);
}

/**
 * The whole environment: the platform's and the apps' resources and outputs in one run, so that a test
 * can hold what the apps deploy against what the platform created (the subnets a policy admits, the
 * secret an ExternalSecret reads).
 */
export async function renderEnvironment(stack: StackName | string): Promise<OfflineRun> {
  const [platform, apps] = await Promise.all([renderStack(stack), renderApps(stack)]);
  return {
    ...apps,
    resources: [...platform.resources, ...apps.resources],
    outputs: { ...platform.outputs, ...apps.outputs },
  };
}

function cached(project: Project, stack: string): Promise<OfflineRun> {
  const key = `${project}/${stack}`;
  const found = inMemory.get(key);
  if (found) return found;
  const render = loadOrRender(project, stack);
  inMemory.set(key, render);
  return render;
}

function loadOrRender(project: Project, stack: string): Promise<OfflineRun> {
  return sharedRender(`${project}-${stack}`, `${project}/${stack}`, async () =>
    project === 'platform'
      ? runPlatform({ repoDir: repoRoot, stack })
      : runApps({ repoDir: repoRoot, stack, platformOutputs: (await renderStack(stack)).outputs }),
  );
}

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));
/** Longer than any render takes on a loaded machine: a lock this old was left by a worker that died. */
const staleLockMs = 180_000;

/**
 * A render shared by every jest worker of the run: read from the cache file keyed by `key` and a hash of
 * every source a render reads, or rendered by the one worker that takes its lock while the others wait
 * for the file (two workers asking at once would otherwise both render, which is most of a render's cost).
 */
export async function sharedRender(
  name: string,
  key: string,
  render: () => Promise<OfflineRun>,
): Promise<OfflineRun> {
  const file = join(cacheDir, `${name}-${renderKey(key)}.json`);
  const lock = `${file}.lock`;
  mkdirSync(cacheDir, { recursive: true });
  for (;;) {
    try {
      return JSON.parse(readFileSync(file, 'utf8')) as OfflineRun;
    } catch {
      // Not rendered yet.
    }
    try {
      mkdirSync(lock);
    } catch {
      // Held by another worker (or released since, when the stat finds nothing): wait, unless it is stale.
      const held = statSync(lock, { throwIfNoEntry: false });
      if (held && Date.now() - held.mtimeMs > staleLockMs) rmSync(lock, { recursive: true, force: true });
      else if (held) await sleep(100);
      continue;
    }
    try {
      const run = await render();
      // Written aside and renamed, so a waiting worker never reads half a file.
      const partial = `${file}.${process.pid}.tmp`;
      writeFileSync(partial, JSON.stringify(run));
      renameSync(partial, file);
      return run;
    } finally {
      rmSync(lock, { recursive: true, force: true });
    }
  }
}
