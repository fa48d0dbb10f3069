import { execFileSync } from 'node:child_process';
import { existsSync, mkdtempSync, realpathSync, rmSync } from 'node:fs';
import { readFile, symlink } from 'node:fs/promises';
import { constants, tmpdir } from 'node:os';
import { join, relative, resolve, sep } from 'node:path';
import { projectDirs, projectStackFile, type ProjectName } from '../infra/config/projects';
import { PlanError } from './errors';
import { CommandFailed, exec } from './exec';
import { planFormatVersion, type StackPlan } from './model';
import type { Progress } from './progress';

/** The folder this plan's own code and node_modules are in. */
const codeRoot = resolve(__dirname, '..');

export interface BaseRevision {
  /** The ref as the user gave it, for messages. */
  ref: string;
  commit: string;
  repoRoot: string;
}

export interface BaseOptions {
  revision: BaseRevision;
  projectDir: string;
  stack: string;
  project: ProjectName;
  progress: Progress;
}

/**
 * Finds the commit and checks it has a plan command, before anything is rendered: a mistyped ref
 * fails in milliseconds.
 */
export async function resolveBaseRevision(ref: string, projectDir: string): Promise<BaseRevision> {
  const repoRoot = (await git(['rev-parse', '--show-toplevel'], projectDir).catch(() => '')).trim();
  if (!repoRoot) throw new PlanError(`--base: ${projectDir} is not in a git repository`);
  let commit: string;
  try {
    commit = (
      await git(['rev-parse', '--verify', '--quiet', '--end-of-options', `${ref}^{commit}`], repoRoot)
    ).trim();
  } catch {
    throw new PlanError(`--base: "${ref}" is not a commit in ${repoRoot}`);
  }
  try {
    await git(['cat-file', '-e', `${commit}:plan/main.ts`], repoRoot);
  } catch {
    throw new PlanError(`--base: ${ref} has no plan command (plan/main.ts); it cannot be rendered`);
  }
  return { ref, commit, repoRoot };
}

/**
 * The stack file a render of this stack needs that the base revision does not have (an apps stack needs
 * the platform's of the same name too), or undefined when it has them all. A stack added since the base
 * (a new environment, or the apps project itself) is then all creates rather than a failed base plan:
 * the fork workflow runs exactly `plan --stack qa --base <target branch>` on the pull request adding qa.
 */
export async function stackFileMissingAt(
  revision: BaseRevision,
  projectDir: string,
  stack: string,
  project: ProjectName,
): Promise<string | undefined> {
  const projectInRepo = relative(revision.repoRoot, realpathSync(projectDir));
  const needed = project === 'apps' ? (['platform', 'apps'] as const) : (['platform'] as const);
  for (const each of needed) {
    const path = join(projectInRepo, projectDirs[each], `Pulumi.${stack}.yaml`).split(sep).join('/');
    try {
      await git(['cat-file', '-e', `${revision.commit}:${path}`], revision.repoRoot);
    } catch {
      return projectStackFile(each, stack);
    }
  }
  return undefined;
}

/** The plan of a stack that does not exist: nothing deployed, so everything the current one has is new. */
export function absentPlan(project: string, stack: string): StackPlan {
  return { formatVersion: planFormatVersion, project, stack, resources: [], outputs: {} };
}

/**
 * Renders the stack as it was at `ref`, with that revision's own program and plan command: a temporary
 * git worktree, its locked dependencies, and its plan run as a child process printing JSON. The
 * worktree is removed afterwards whatever happens, Ctrl-C included.
 */
export async function renderBaseRevision(options: BaseOptions): Promise<StackPlan> {
  const { repoRoot, commit } = options.revision;
  // Created and guarded synchronously: no await between the folder existing and the signal handlers
  // that remove it, and a handler that finishes its cleanup before the process exits.
  const scratch = mkdtempSync(join(tmpdir(), 'slipway-base-'));
  const worktree = join(scratch, 'worktree');
  const cleanup = () => removeWorktree(repoRoot, worktree, scratch);
  const onSignal = (signal: NodeJS.Signals) => {
    cleanup();
    process.exit(128 + constants.signals[signal]);
  };
  process.once('SIGINT', onSignal);
  process.once('SIGTERM', onSignal);
  try {
    await git(['worktree', 'add', '--detach', worktree, commit], repoRoot);
    await provideDependencies(worktree, options.progress);
    // git prints the top level with symlinks resolved, so the project folder is compared resolved too.
    const projectInRepo = relative(repoRoot, realpathSync(options.projectDir));
    return await runBasePlan(worktree, join(worktree, projectInRepo), options);
  } finally {
    process.off('SIGINT', onSignal);
    process.off('SIGTERM', onSignal);
    cleanup();
  }
}

/**
 * The base revision runs with the dependencies its lock file names: the current node_modules when the
 * lock files are identical (the common case, and seconds instead of minutes), `npm ci` otherwise.
 */
async function provideDependencies(worktree: string, progress: Progress): Promise<void> {
  const [baseLock, currentLock] = await Promise.all([
    readFile(join(worktree, 'package-lock.json'), 'utf8').catch(() => undefined),
    readFile(join(codeRoot, 'package-lock.json'), 'utf8').catch(() => undefined),
  ]);
  if (baseLock !== undefined && baseLock === currentLock && existsSync(join(codeRoot, 'node_modules'))) {
    await symlink(join(codeRoot, 'node_modules'), join(worktree, 'node_modules'), 'dir');
    return;
  }
  progress.phase('the base revision locks other dependencies: npm ci in its worktree');
  await exec('npm', ['ci', '--no-audit', '--no-fund'], worktree);
}

async function runBasePlan(worktree: string, projectDir: string, options: BaseOptions): Promise<StackPlan> {
  const args = [join(worktree, 'plan', 'main.ts'), '--stack', options.stack, '--format', 'json'];
  // Only an apps plan passes --project, so a base from before the apps project renders its platform.
  if (options.project !== 'platform') args.push('--project', options.project);
  // An older plan may not know --project-dir; it only matters when the project is not the repository root.
  if (resolve(projectDir) !== resolve(worktree)) args.push('--project-dir', projectDir);
  let stdout: string;
  try {
    ({ stdout } = await exec(join(worktree, 'node_modules', '.bin', 'tsx'), args, worktree));
  } catch (error) {
    if (!(error instanceof CommandFailed)) throw error;
    const lines = error.stderr
      .split('\n')
      .filter((line) => line.trim() && !line.startsWith('›'))
      .map((line) => `${options.revision.ref}: ${line.replace(/^error: /, '')}`);
    throw new PlanError(
      lines.join('\n') || `${options.revision.ref}: the plan failed (exit ${error.exitCode})`,
    );
  }
  let plan: Partial<StackPlan> | null;
  try {
    plan = JSON.parse(stdout) as Partial<StackPlan>;
  } catch {
    throw new PlanError(`${options.revision.ref}: its plan printed no JSON plan on stdout`);
  }
  if (plan?.formatVersion !== planFormatVersion || !Array.isArray(plan.resources)) {
    throw new PlanError(
      `${options.revision.ref}: its plan prints format ${String(plan?.formatVersion)}, this one reads ${planFormatVersion}`,
    );
  }
  return plan as StackPlan;
}

function removeWorktree(repoRoot: string, worktree: string, scratch: string): void {
  const quietGit = (args: string[]) => {
    try {
      execFileSync('git', args, { cwd: repoRoot, stdio: 'ignore' });
    } catch {
      // Nothing to remove: the worktree was never added, or is gone already.
    }
  };
  quietGit(['worktree', 'remove', '--force', worktree]);
  rmSync(scratch, { recursive: true, force: true });
  quietGit(['worktree', 'prune']);
}

async function git(args: string[], cwd: string): Promise<string> {
  return (await exec('git', args, cwd)).stdout;
}
