import { projectStackFile } from '../infra/config/projects';
import { absentPlan, renderBaseRevision, resolveBaseRevision, stackFileMissingAt } from './base';
import { diffPlans } from './diff';
import { renderDiffAs, renderStackAs } from './format';
import type { PlanOptions } from './args';
import type { PlanDiff, StackPlan } from './model';
import { assertOutIsFolder, writeOut } from './out';
import type { Progress } from './progress';
import { renderProjectStack } from './render';
import { checkPolicies, violationLines } from './policy-check';
import type { Policies } from '@pulumi/policy';
import { policies } from '../policy/policies';
import { assertStackExists } from './stacks';

/** Exit codes, as `terraform plan -detailed-exitcode` has them. */
export const exitCodes = { ok: 0, error: 1, changes: 2 } as const;

/**
 * Renders the stack, diffs it against the base revision when asked, writes the out folder, and prints
 * the result on `stdout`. Returns the exit code; errors are thrown for main to report.
 */
export async function runPlan(
  options: PlanOptions,
  stdout: { write: (text: string) => unknown },
  progress: Progress,
  pack: Policies = policies,
): Promise<number> {
  assertStackExists(options.projectDir, options.stack, options.project);
  if (options.out) assertOutIsFolder(options.out);
  // The base renders in a child process, so it runs alongside the current render rather than after it.
  const revision = options.base ? await resolveBaseRevision(options.base, options.projectDir) : undefined;
  const missing = revision
    ? await stackFileMissingAt(revision, options.projectDir, options.stack, options.project)
    : undefined;
  const base =
    revision && !missing
      ? renderBaseRevision({
          revision,
          projectDir: options.projectDir,
          stack: options.stack,
          project: options.project,
          progress,
        })
      : undefined;
  // Handled here so a failure before it is awaited below is not an unhandled rejection.
  base?.catch(() => undefined);
  if (base && revision) progress.phase(`rendering ${options.stack} at ${revision.ref} in a git worktree`);
  const newStackNote =
    revision && missing
      ? `${missing} does not exist at ${revision.ref}: ${options.stack} is a new stack, so every resource is a create`
      : undefined;
  if (newStackNote) progress.phase(newStackNote);

  let plan: StackPlan;
  try {
    progress.phase(`running the platform program for Pulumi.${options.stack}.yaml under the offline engine`);
    plan = await renderProjectStack({
      repoDir: options.projectDir,
      stack: options.stack,
      project: options.project,
      onResource: (_, count) => progress.count(`${count} resources registered`),
      onPlatformRendered: () =>
        progress.phase(
          `running the apps program for ${projectStackFile('apps', options.stack)} against the platform's outputs`,
        ),
    });
  } catch (error) {
    // Wait for the base render to finish and remove its worktree before reporting.
    await base?.catch(() => undefined);
    throw error;
  }
  progress.phase(`rendered ${plan.resources.length} resources`);

  let diff: PlanDiff | undefined;
  if (base && revision) diff = diffPlans(await base, plan, revision.ref);
  else if (revision && newStackNote) {
    diff = { ...diffPlans(absentPlan(plan.project, plan.stack), plan, revision.ref), note: newStackNote };
  }
  if (options.out) {
    progress.phase(`writing resources.json, manifests/ and plan.md to ${options.out}`);
    await writeOut(options.out, plan, diff);
  }

  stdout.write(diff ? renderDiffAs[options.format](diff) : renderStackAs[options.format](plan));

  // The policy pack runs on every rendered resource, as `pulumi preview --policy-pack policy` would.
  progress.phase(`checking the ${pack.length} policies of the pack`);
  const violations = await checkPolicies(plan, pack);
  const mandatory = violations.filter((v) => v.level === 'mandatory');
  progress.note(violationLines(violations.filter((v) => v.level !== 'mandatory')));
  if (mandatory.length > 0) {
    progress.error(violationLines(mandatory));
    return exitCodes.error;
  }
  const changed = diff !== undefined && diff.changes.length > 0;
  progress.done(diff ? `${diff.changes.length} resources change` : `${plan.resources.length} resources`);
  return changed ? exitCodes.changes : exitCodes.ok;
}
