import type { Octokit } from './github';
import type { Repo } from './repo';
import { firstOwn } from './identity';

interface PostedComment {
  id: number;
  body?: string;
  user?: { login: string; type: string } | null;
}

/**
 * Creates the pull request comment carrying `marker`, or updates it in place. All pages of comments are
 * searched, so a busy pull request never gets a second copy. Anyone can paste the hidden marker into a
 * comment of their own, so only a comment the action could have posted is rewritten (see firstOwn).
 */
export async function upsertStickyComment(
  octokit: Octokit,
  repo: Repo,
  issueNumber: number,
  marker: string,
  body: string,
): Promise<number> {
  const comments: PostedComment[] = await octokit.paginate(octokit.rest.issues.listComments, {
    ...repo,
    issue_number: issueNumber,
    per_page: 100,
  });
  const existing = await firstOwn(
    octokit,
    comments.filter((comment) => comment.body?.includes(marker)),
  );
  if (existing) {
    await octokit.rest.issues.updateComment({ ...repo, comment_id: existing.id, body });
    return existing.id;
  }
  const created = await octokit.rest.issues.createComment({ ...repo, issue_number: issueNumber, body });
  return created.data.id;
}
