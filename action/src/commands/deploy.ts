import * as core from '@actions/core';
import type { OutputMap, Stack } from '@pulumi/pulumi/automation';
import { repositoryOf, targetEnvironment, type ActionContext } from '../context';
import { appliedDifferences } from '../deploy/applied-check';
import { changeSetRefusal } from '../deploy/change-set-check';
import { checkProtection } from '../deploy/protection';
import { createDeployment, setDeploymentStatus, type DeploymentState } from '../io/deployments';
import { readEnvironment } from '../io/environment';
import { maskSecret } from '../io/mask';
import { configEntries, maskedOutputs, preview, up } from '../io/pulumi';
import { writeSummary } from '../io/summary';
import { splitOutputs } from '../deploy/outputs';
import { changeSetDigest } from '../preview/change-set';
import type { ChangeSummary, PolicyViolation } from '../preview/change-summary';
import {
  oneLineSummary,
  renderComment,
  summaryLimit,
  type CommentInput,
  type Outcome,
} from '../preview/comment';
import { redact, redactedTail } from '../preview/redact';
import { codeBlock, escapeMarkdown } from '../markdown';
import { updatePullRequestComments } from './pull-request-comment';
import { requireProvenance } from './provenance';
import { openRegistry } from './registry-session';
import {
  applyImageDigests,
  lockPolicy,
  policyPacks,
  openStack,
  passedDigests,
  restoreImageDigests,
  setChangeOutputs,
} from './stack-session';
import { messageOf } from '../errors';
import { pulumiProject } from '../projects';
import { gatedStack } from '../pipeline/stacks';
import { platformEnvironmentName } from '../../../infra/bootstrap/role-names';

/** Where a deploy is, so a failure says which step failed (in the log, the summary and the PR comment). */
interface Progress {
  step: string;
  secrets: string[];
  diagnostics: readonly string[];
  policyViolations: readonly PolicyViolation[];
  changeSet: string;
}

export async function deployCommand(ctx: ActionContext): Promise<void> {
  const { stack: stackName } = targetEnvironment(ctx);
  const progress: Progress = {
    step: 'approval check',
    secrets: [],
    diagnostics: [],
    policyViolations: [],
    changeSet: '',
  };
  const report = (outcome: Outcome): CommentInput => ({
    command: 'deploy',
    project: pulumiProject(ctx.root, ctx.inputs.project).name,
    stack: stackName,
    commit: ctx.sha,
    time: new Date(),
    outcome,
    secrets: progress.secrets,
  });
  const comment = (outcome: Outcome) => updatePullRequestComments(ctx, report(outcome));
  try {
    const summary = await deploy(ctx, progress);
    await comment({ kind: 'previewed', summary, changeSet: progress.changeSet });
  } catch (error) {
    const message = redactedTail(messageOf(error), progress.secrets, 20);
    const failed: Outcome = {
      kind: 'failed',
      step: progress.step,
      error: message,
      diagnostics: progress.diagnostics,
      policyViolations: progress.policyViolations,
    };
    if (progress.policyViolations.length > 0) await writeSummary(renderComment(report(failed), summaryLimit));
    await comment(failed);
    throw new Error(redact(messageOf(error), progress.secrets));
  }
}

async function deploy(ctx: ActionContext, progress: Progress): Promise<ChangeSummary> {
  const { name, environment, stack: stackName } = targetEnvironment(ctx);
  // Bad images are an input error before anything runs: no stack is created or selected for them.
  const passed = passedDigests(ctx);
  // The platform deploys in its own GitHub environment (the one its role trusts): that is the gate to check.
  const githubEnvironment = ctx.inputs.project === 'platform' ? platformEnvironmentName(name) : name;
  const info = environment.approval
    ? await readEnvironment(ctx.github(), ctx.repo, githubEnvironment)
    : undefined;
  const verdict = checkProtection(githubEnvironment, environment.approval, info);
  if (!verdict.allowed) throw new Error(`deploy to ${name} refused: ${verdict.reason}`);
  verdict.warnings.forEach((warning) => core.warning(warning));

  // Only images this repository's workflow built reach an environment: each passed digest is verified where
  // the cluster pulls it from, this environment's repository (gh reads the registry with docker's login).
  if (Object.keys(passed).length > 0) {
    progress.step = 'provenance check';
    const { host } = (await openRegistry(ctx, [name])).at(name);
    for (const [service, digest] of Object.entries(passed))
      await requireProvenance(ctx, `${host}/${repositoryOf(ctx.pipeline, name, service)}@${digest}`);
  }

  progress.step = 'select stack';
  const { stack, secrets } = await openStack(ctx, stackName);
  progress.secrets = secrets;
  progress.step = 'set image digests';
  const previous = await applyImageDigests(stack, passed);
  progress.step = 'preview before up';
  const fresh = await preview(stack, {
    refresh: false,
    lock: lockPolicy(ctx),
    policyPacks: policyPacks(ctx),
  });
  progress.diagnostics = fresh.summary.diagnostics;
  progress.policyViolations = fresh.summary.policyViolations;
  if (fresh.error || fresh.incomplete) {
    throw new Error(
      `deploy to ${name}: the preview before up ${fresh.error ? 'failed' : 'was incomplete'} for stack ${stackName}: ${redactedTail(fresh.error?.message ?? fresh.incomplete ?? '', secrets)}`,
    );
  }
  progress.changeSet = changeSetDigest(fresh.summary, await configEntries(stack));
  core.setOutput('change-set', progress.changeSet);
  progress.step = 'change-set check';
  const refusal = changeSetRefusal(name, {
    approvalRequired: environment.approval,
    expected: ctx.inputs.expectedChangeSet,
    fresh: progress.changeSet,
    allowDrift: ctx.inputs.allowChangeSetDrift,
  });
  if (refusal) throw new Error(refusal);

  progress.step = 'up';
  const deploymentId = await deploymentStep(ctx, (octokit) =>
    createDeployment(octokit, ctx.repo, {
      ref: ctx.sha,
      environment: githubEnvironment,
      // A stack some environment gates is production, also where it deploys without approval (seed 004's
      // release branches): GitHub lists and protects its deployments as such.
      production: gatedStack(ctx.pipeline.environments, name),
      description: `Slipway ${stackName}: ${oneLineSummary(fresh.summary)}`,
    }),
  );
  const status = (state: DeploymentState, description: string, environmentUrl?: string) =>
    deploymentId === undefined
      ? Promise.resolve(undefined)
      : deploymentStep(ctx, (octokit) =>
          setDeploymentStatus(octokit, ctx.repo, deploymentId, state, {
            description,
            environmentUrl,
            logUrl: ctx.runUrl,
          }),
        );
  if (deploymentId !== undefined) core.setOutput('deployment-id', String(deploymentId));
  // Recorded while up runs: GitHub asks for a second between writes, and the deploy need not wait for it.
  const inProgress = status('in_progress', `pulumi up on ${stackName}`);

  const result = await up(stack, { lock: lockPolicy(ctx), policyPacks: policyPacks(ctx) });
  await inProgress;
  progress.diagnostics = result.summary.diagnostics;
  progress.policyViolations = result.summary.policyViolations;
  setChangeOutputs(result.summary, undefined);
  if (!result.error) {
    const outputs = await publicOutputs(stack, result.outputs ?? {});
    const url = typeof outputs.url === 'string' ? outputs.url : '';
    core.setOutput('outputs', JSON.stringify(outputs));
    core.setOutput('url', url);
    core.setOutput('rolled-back', 'false');
    if (result.incomplete) {
      // The update ran to the end: rolling back on a reporting fault would undo a good deploy. The run
      // fails so nobody takes the partial report for the whole, and says where to look instead.
      core.setOutput('outcome', 'failed');
      const reason = redact(result.incomplete, secrets);
      await status('failure', `pulumi up on ${stackName} finished but its report is incomplete`);
      await writeSummary(
        `## Deploy of ${escapeMarkdown(stackName)}: report incomplete\n\n${codeBlock(reason)}\n`,
      );
      throw new Error(
        `deploy to ${name}: ${reason}; the stack was updated and not rolled back: \`pulumi stack history\` and \`pulumi preview\` on ${stackName} show what it now holds`,
      );
    }
    // What up applied must be what was approved (the fresh preview that matched the approval): a change that
    // differs got past review, so the job fails and says what differed; the stack needs a look, not a retry.
    const differences = ctx.inputs.allowChangeSetDrift
      ? []
      : appliedDifferences(fresh.summary.changes, result.summary.changes);
    if (differences.length > 0) {
      progress.step = 'applied check';
      core.setOutput('outcome', 'failed');
      await status('failure', `pulumi up on ${stackName} applied a change that was not approved`);
      throw new Error(
        `deploy to ${name}: pulumi up applied a different change than the approved one on stack ${stackName}: ${differences.join('; ')}. Review the stack now; preview again and get a new approval for what it should be.`,
      );
    }
    core.setOutput('outcome', result.summary.hasChanges ? 'changes' : 'no-changes');
    await status('success', `Deployed ${stackName}`, url || undefined);
    await writeSummary(`## Deployed ${escapeMarkdown(stackName)}\n\n${oneLineSummary(result.summary)}\n`);
    return result.summary;
  }

  core.setOutput('outcome', 'failed');
  const failure = redactedTail(result.error.message, secrets);
  let rollback = 'the stack was not changed, so nothing was rolled back';
  let rolledBack = false;
  if (result.summary.applied > 0) {
    if (Object.keys(previous).length === 0) {
      rollback =
        'the stack was changed but no previous image digests are known, so it was not rolled back: fix forward';
    } else {
      core.warning(
        `up failed after changing ${result.summary.applied} resource(s) of ${stackName}; rolling back to the previous image digests`,
      );
      progress.step = 'rollback';
      await restoreImageDigests(stack, previous);
      const again = await up(stack, { lock: lockPolicy(ctx), policyPacks: policyPacks(ctx) });
      rolledBack = !again.error;
      rollback = rolledBack
        ? `rolled back to the previous image digests (${Object.entries(previous)
            .map(([service, digest]) => `${service}=${digest}`)
            .join(', ')})`
        : `the rollback failed too: ${redactedTail(again.error?.message ?? '', secrets)}; the stack needs attention now`;
      progress.step = 'up';
    }
  }
  core.setOutput('rolled-back', String(rolledBack));
  await status(
    'failure',
    `pulumi up failed on ${stackName}; ${rolledBack ? 'rolled back' : 'not rolled back'}`,
  );
  await writeSummary(
    `## Deploy of ${escapeMarkdown(stackName)} failed\n\n${escapeMarkdown(rollback)}\n\n${codeBlock(failure)}\n`,
  );
  throw new Error(`deploy to ${name}: pulumi up failed for stack ${stackName}; ${rollback}.\n${failure}`);
}

/** Deployment records are bookkeeping: failing to write one is a warning, never a failed deploy. */
async function deploymentStep<T>(
  ctx: ActionContext,
  step: (octokit: ReturnType<ActionContext['github']>) => Promise<T>,
): Promise<T | undefined> {
  try {
    return await step(ctx.github());
  } catch (error) {
    core.warning(`could not record the GitHub deployment: ${messageOf(error)}`);
    return undefined;
  }
}

/**
 * Stack outputs without a secret at any depth; each secret is masked, in case the engine's log ever shows
 * it. When the CLI's masked view cannot be read, no output is trusted as public.
 */
async function publicOutputs(stack: Stack, outputs: OutputMap): Promise<Record<string, unknown>> {
  let masked: Record<string, unknown> = {};
  try {
    masked = await maskedOutputs(stack);
  } catch (error) {
    core.warning(
      `the stack outputs are withheld: which of them are secret could not be read (${messageOf(error)})`,
    );
  }
  const { shown, secrets } = splitOutputs(outputs, masked);
  // A one- to three-character "secret" (a port, a flag) masked everywhere would blank the whole log.
  secrets.filter((secret) => secret.length >= 4).forEach(maskSecret);
  return shown;
}
