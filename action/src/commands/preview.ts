import * as core from '@actions/core';
import { targetEnvironment, type ActionContext } from '../context';
import { configEntries, preview } from '../io/pulumi';
import { changeSetDigest } from '../preview/change-set';
import { renderComment, summaryLimit, type CommentInput, type Outcome } from '../preview/comment';
import { redactedTail } from '../preview/redact';
import { writeSummary } from '../io/summary';
import { updatePullRequestComments } from './pull-request-comment';
import {
  applyImageDigests,
  lockPolicy,
  policyPacks,
  openStack,
  passedDigests,
  setChangeOutputs,
  type StackSession,
} from './stack-session';
import { messageOf } from '../errors';
import { pulumiProject } from '../projects';

/** Exit code when expect-no-changes is set and changes were found (a failed command exits with 1). */
export const changesFoundExitCode = 2;

export async function previewCommand(ctx: ActionContext): Promise<number> {
  const { stack: stackName } = targetEnvironment(ctx);
  let step = 'select stack';
  let session: StackSession | undefined;
  let outcome: Outcome;
  // Bad images are an input error before anything runs.
  const passed = passedDigests(ctx);
  try {
    session = await openStack(ctx, stackName);
    step = 'set image digests';
    await applyImageDigests(session.stack, passed);
    step = 'preview';
    const run = await preview(session.stack, {
      refresh: false,
      lock: lockPolicy(ctx),
      policyPacks: policyPacks(ctx),
    });
    if (run.error || run.incomplete) {
      outcome = {
        kind: 'failed',
        step,
        error: redactedTail(run.error?.message ?? run.incomplete ?? '', session.secrets, 20),
        diagnostics: run.summary.diagnostics,
        policyViolations: run.summary.policyViolations,
      };
    } else {
      const changeSet = changeSetDigest(run.summary, await configEntries(session.stack));
      setChangeOutputs(run.summary, changeSet);
      outcome = { kind: 'previewed', summary: run.summary, changeSet };
    }
  } catch (error) {
    outcome = {
      kind: 'failed',
      step,
      error: redactedTail(messageOf(error), session?.secrets ?? [], 20),
      diagnostics: [],
    };
  }

  const input: CommentInput = {
    command: 'preview',
    project: pulumiProject(ctx.root, ctx.inputs.project).name,
    stack: stackName,
    commit: ctx.sha,
    time: new Date(),
    outcome,
    secrets: session?.secrets ?? [],
  };
  await writeSummary(renderComment(input, summaryLimit));
  // A preview outside a pull request (the pre-approval preview of a deploy) reports in the job summary only:
  // the pull request a pushed commit came from is already merged and has no say in the approval.
  if (ctx.payload.pull_request) await updatePullRequestComments(ctx, input);
  else core.info('No pull request in this event: the preview is in the job summary and outputs only');

  if (outcome.kind === 'failed') {
    core.setOutput('outcome', 'failed');
    throw new Error(`preview of stack ${stackName} failed at step "${outcome.step}": ${outcome.error}`);
  }
  core.setOutput('outcome', outcome.summary.hasChanges ? 'changes' : 'no-changes');
  if (ctx.inputs.expectNoChanges && outcome.summary.hasChanges) {
    core.error(`expect-no-changes is set and the preview of ${stackName} has changes`);
    return changesFoundExitCode;
  }
  return 0;
}
