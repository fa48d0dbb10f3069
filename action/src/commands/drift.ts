import * as core from '@actions/core';
import { targetEnvironment, type ActionContext } from '../context';
import { driftAction, driftMarker } from '../drift/decision';
import { closeDriftIssue, findDriftIssue, openDriftIssue, updateDriftIssue } from '../io/drift-issue';
import { tail } from '../io/exec';
import { preview } from '../io/pulumi';
import { changeSetDigest } from '../preview/change-set';
import { oneLineSummary, renderComment } from '../preview/comment';
import { changesFoundExitCode } from './preview';
import { lockPolicy, openStack, setChangeOutputs } from './stack-session';
import { messageOf } from '../errors';

/** Preview with refresh: reports drift in one labelled issue per stack, closed when the stack is clean. */
export async function driftCommand(ctx: ActionContext): Promise<number> {
  const { stack: stackName } = targetEnvironment(ctx);
  const { stack, secrets } = await openStack(ctx, stackName);
  const run = await preview(stack, { refresh: true, lock: lockPolicy(ctx) });
  if (run.error) {
    core.setOutput('outcome', 'failed');
    throw new Error(`drift check of stack ${stackName} failed: ${tail(run.error.message)}`);
  }
  const changeSet = changeSetDigest(run.summary);
  setChangeOutputs(run.summary, changeSet);
  core.setOutput('outcome', run.summary.hasChanges ? 'changes' : 'no-changes');

  const marker = driftMarker(ctx.pipeline.project, stackName);
  const report = renderComment({
    command: 'drift check',
    project: ctx.pipeline.project,
    stack: stackName,
    commit: ctx.sha,
    time: new Date(),
    outcome: { kind: 'previewed', summary: run.summary, changeSet },
    secrets,
  });
  await core.summary.addRaw(report).write();
  try {
    const octokit = ctx.github();
    const existing = await findDriftIssue(octokit, ctx.repo, marker);
    const body = `${marker}\nThe stack differs from its code. Deploy again, or change the code to match.\n\n${report}`;
    switch (driftAction(run.summary.hasChanges, existing !== undefined)) {
      case 'open': {
        const number = await openDriftIssue(
          octokit,
          ctx.repo,
          `Drift in ${ctx.pipeline.project}/${stackName}: ${oneLineSummary(run.summary)}`,
          body,
        );
        core.setOutput('drift-issue', String(number));
        break;
      }
      case 'update':
        await updateDriftIssue(octokit, ctx.repo, existing as number, body);
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
    core.warning(`could not update the drift issue for ${stackName}: ${messageOf(error)}`);
  }
  if (ctx.inputs.expectNoChanges && run.summary.hasChanges) {
    core.error(`expect-no-changes is set and stack ${stackName} has drifted`);
    return changesFoundExitCode;
  }
  return 0;
}
