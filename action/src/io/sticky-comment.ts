import type { Octokit } from './github';
import type { Repo } from './repo';

interface PostedComment {
  id: number;
  body?: string;
  user?: { login: string; type: string } | null;
}

/**
 * Creates the pull request comment carrying `marker`, or updates it in place. All pages of comments are
 * searched, so a busy pull request never gets a second copy. Anyone can paste the hidden marker into a
 * comment of their own, so only a comment the action could have posted is rewritten: a bot's (the
 * workflow token posts as github-actions[bot]) or, with a personal token, that token's user's.
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
  const marked = comments.filter((comment) => comment.body?.includes(marker));
  let existing = marked.find((comment) => comment.user?.type === 'Bot');
  if (!existing && marked.length > 0) {
    const login = await tokenLogin(octokit);
    existing = marked.find((comment) => login !== undefined && comment.user?.login === login);
  }
  if (existing) {
    await octokit.rest.issues.updateComment({ ...repo, comment_id: existing.id, body });
    return existing.id;
  }
  const created = await octokit.rest.issues.createComment({ ...repo, issue_number: issueNumber, body });
  return created.data.id;
}

/** The user a personal token acts as; an app or workflow token has none (GitHub answers 403). */
async function tokenLogin(octokit: Octokit): Promise<string | undefined> {
  try {
    return (await octokit.rest.users.getAuthenticated()).data.login;
  } catch {
    return undefined;
  }
}
