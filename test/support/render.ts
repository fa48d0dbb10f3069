import { createHash } from 'node:crypto';
import { mkdirSync, readFileSync, readdirSync, renameSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { platformProgram } from '../../infra/program';
import { runOffline, type OfflineRun } from '../../offline/engine';

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
      return entry.name.endsWith('.ts') ? [path] : [];
    });
  const rootFiles = readdirSync(repoRoot).filter(
    (file) =>
      /^Pulumi(\.[\w-]+)?\.yaml$/.test(file) || file === 'services.yaml' || file === 'package-lock.json',
  );
  return [...walk('infra'), ...walk('offline'), ...rootFiles].sort();
}

function renderKey(stack: string): string {
  const hash = createHash('sha256').update(stack);
  for (const file of sourceFiles()) {
    hash
      .update(file)
      .update('\0')
      .update(readFileSync(join(repoRoot, file)));
  }
  return hash.digest('hex').slice(0, 24);
}

// Inside the jest run's scratch folder (test/support/global-setup.ts), removed when the run ends.
const cacheDir = join(process.env.SLIPWAY_TEST_SCRATCH ?? tmpdir(), 'slipway-offline-renders');
const inMemory = new Map<string, Promise<OfflineRun>>();

/**
 * The offline render of one stack of this repository (the real program, its real stack file),
 * shared by every test that asks: within a test file through memory, across test files and jest
 * workers through a cache file keyed by a hash of every source the render reads. Treat it as
 * read-only.
 */
export function renderStack(stack: StackName | string): Promise<OfflineRun> {
  const cached = inMemory.get(stack);
  if (cached) return cached;
  const render = loadOrRender(stack);
  inMemory.set(stack, render);
  return render;
}

async function loadOrRender(stack: string): Promise<OfflineRun> {
  const file = join(cacheDir, `${stack}-${renderKey(stack)}.json`);
  try {
    return JSON.parse(readFileSync(file, 'utf8')) as OfflineRun;
  } catch {
    const run = await runOffline({ projectDir: repoRoot, stack, program: platformProgram });
    mkdirSync(cacheDir, { recursive: true });
    // Written aside and renamed, so a parallel worker never reads half a file.
    const partial = `${file}.${process.pid}.tmp`;
    writeFileSync(partial, JSON.stringify(run));
    renameSync(partial, file);
    return run;
  }
}
