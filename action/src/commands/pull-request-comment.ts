import * as core from '@actions/core';
import type { ActionContext } from '../context';
import { statusOf } from '../io/github';
import { upsertStickyComment } from '../io/sticky-comment';
import { commentMarker, renderComment, type CommentInput } from '../preview/comment';
import { messageOf } from '../errors';

/**
 * Rewrites the stack's sticky comment on the pull requests this run belongs to: the event's own, or, for a
 * push, those the commit is part of (so a deploy after merging reports on the pull request that asked for
 * it). Failing to comment is a warning, never a failed run.
 */
export async function updatePullRequestComments(ctx: ActionContext, input: CommentInput): Promise<void> {
  if (!ctx.inputs.comment) return;
  const octokit = ctx.github();
  const warn = (what: string, error: unknown) =>
    core.warning(`could not ${what} (HTTP ${statusOf(error) ?? '?'}): ${messageOf(error)}`);
  let numbers: number[];
  const own = (ctx.payload.pull_request as { number?: number } | undefined)?.number;
  try {
    numbers =
      own !== undefined
        ? [own]
        : (
            await octokit.rest.repos.listPullRequestsAssociatedWithCommit({
              ...ctx.repo,
              commit_sha: ctx.sha,
            })
          ).data.map((pr) => pr.number);
  } catch (error) {
    warn(`find the pull requests of commit ${ctx.sha}`, error);
    return;
  }
  const marker = commentMarker(input.project, input.stack);
  const body = renderComment(input);
  for (const number of numbers) {
    try {
      core.setOutput(
        'comment-id',
        String(await upsertStickyComment(octokit, ctx.repo, number, marker, body)),
      );
    } catch (error) {
      warn(`post the ${input.command} comment for ${input.stack} on pull request #${number}`, error);
    }
  }
}
