import type { Octokit } from './github';
import type { Repo } from './repo';

export const driftLabel = 'slipway-drift';

/** The open drift issue carrying the stack's marker, if there is one. */
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
  return issues.find((issue) => !issue.pull_request && issue.body?.includes(marker))?.number;
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

export async function updateDriftIssue(
  octokit: Octokit,
  repo: Repo,
  issueNumber: number,
  body: string,
): Promise<void> {
  await octokit.rest.issues.update({ ...repo, issue_number: issueNumber, body });
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
