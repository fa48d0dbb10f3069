import type { Octokit } from './github';
import type { Repo } from './repo';
import { firstOwn } from './identity';

export const driftLabel = 'slipway-drift';

/**
 * The open drift issue the action wrote for the stack, if there is one. Label and marker alone are not
 * enough: an issue someone else opened with both is never edited or closed (see firstOwn).
 */
export async function findDriftIssue(
  octokit: Octokit,
  repo: Repo,
  marker: string,
): Promise<number | undefined> {
  const issues = await octokit.paginate(octokit.rest.issues.listForRepo, {
    ...repo,
    state: 'open',
    labels: driftLabel,
    per_page: 100,
  });
  const marked = issues.filter((issue) => !issue.pull_request && issue.body?.includes(marker));
  return (await firstOwn(octokit, marked))?.number;
}

export async function openDriftIssue(
  octokit: Octokit,
  repo: Repo,
  title: string,
  body: string,
): Promise<number> {
  const created = await octokit.rest.issues.create({ ...repo, title, body, labels: [driftLabel] });
  return created.data.number;
}

/** Rewrites the issue's title too: it carries the counts, which change from one run to the next. */
export async function updateDriftIssue(
  octokit: Octokit,
  repo: Repo,
  issueNumber: number,
  title: string,
  body: string,
): Promise<void> {
  await octokit.rest.issues.update({ ...repo, issue_number: issueNumber, title, body });
}

export async function closeDriftIssue(
  octokit: Octokit,
  repo: Repo,
  issueNumber: number,
  note: string,
): Promise<void> {
  await octokit.rest.issues.createComment({ ...repo, issue_number: issueNumber, body: note });
  await octokit.rest.issues.update({
    ...repo,
    issue_number: issueNumber,
    state: 'closed',
    state_reason: 'completed',
  });
}
