import * as core from '@actions/core';
import { targetEnvironment, type ActionContext } from '../context';
import { driftAction, driftIssueBody, driftMarker } from '../drift/decision';
import { closeDriftIssue, findDriftIssue, openDriftIssue, updateDriftIssue } from '../io/drift-issue';
import { statusOf } from '../io/github';
import { preview } from '../io/pulumi';
import { writeSummary } from '../io/summary';
import { changeSetDigest } from '../preview/change-set';
import {
  commentLimit,
  oneLineSummary,
  renderComment,
  summaryLimit,
  type CommentInput,
} from '../preview/comment';
import { redactedTail } from '../preview/redact';
import { changesFoundExitCode } from './preview';
import { lockPolicy, openStack, setChangeOutputs } from './stack-session';
import { messageOf } from '../errors';
import { bootstrapStack, pulumiProject } from '../projects';

/**
 * Preview with refresh: reports drift in one labelled issue per stack, closed when the stack is clean. The
 * job summary always carries the report; an issue that cannot be written fails the run, since a drift
 * reported nowhere else would otherwise pass unseen.
 */
export async function driftCommand(ctx: ActionContext): Promise<number> {
  // The bootstrap's one stack belongs to no environment: the stack input, or its one stack file.
  const stackName =
    ctx.inputs.project === 'bootstrap'
      ? (ctx.inputs.stack ?? bootstrapStack(ctx.root))
      : targetEnvironment(ctx).stack;
  const { stack, secrets } = await openStack(ctx, stackName);
  const run = await preview(stack, { refresh: true, lock: lockPolicy(ctx) });
  if (run.error || run.incomplete) {
    core.setOutput('outcome', 'failed');
    throw new Error(
      `drift check of stack ${stackName} failed: ${redactedTail(run.error?.message ?? run.incomplete ?? '', secrets)}`,
    );
  }
  const changeSet = changeSetDigest(run.summary);
  setChangeOutputs(run.summary, changeSet);
  core.setOutput('outcome', run.summary.hasChanges ? 'changes' : 'no-changes');

  const project = pulumiProject(ctx.root, ctx.inputs.project).name;
  const marker = driftMarker(project, stackName);
  const report: CommentInput = {
    command: 'drift check',
    project,
    stack: stackName,
    commit: ctx.sha,
    time: new Date(),
    outcome: { kind: 'previewed', summary: run.summary, changeSet },
    secrets,
  };
  await writeSummary(renderComment(report, summaryLimit));
  const title = `Drift in ${project}/${stackName}: ${oneLineSummary(run.summary)}`;
  // The whole body, marker and preamble included, must fit GitHub's limit: the report gets what is left.
  const body = driftIssueBody(marker, (budget) => renderComment(report, budget), commentLimit);
  try {
    const octokit = ctx.github();
    const existing = await findDriftIssue(octokit, ctx.repo, marker);
    switch (driftAction(run.summary.hasChanges, existing !== undefined)) {
      case 'open': {
        const number = await openDriftIssue(octokit, ctx.repo, title, body);
        core.setOutput('drift-issue', String(number));
        break;
      }
      case 'update':
        await updateDriftIssue(octokit, ctx.repo, existing as number, title, body);
        core.setOutput('drift-issue', String(existing));
        break;
      case 'close':
        await closeDriftIssue(
          octokit,
          ctx.repo,
          existing as number,
          `${stackName} matches its code again (commit ${ctx.sha.slice(0, 12)}); closing.`,
        );
        break;
      case 'none':
        break;
    }
  } catch (error) {
    throw new Error(
      `drift check of stack ${stackName}: the drift issue could not be written (HTTP ${statusOf(error) ?? '?'}: ${messageOf(error)}); the report is in the job summary. Check that the job has \`issues: write\` permission`,
    );
  }
  if (ctx.inputs.expectNoChanges && run.summary.hasChanges) {
    core.error(`expect-no-changes is set and stack ${stackName} has drifted`);
    return changesFoundExitCode;
  }
  return 0;
}
