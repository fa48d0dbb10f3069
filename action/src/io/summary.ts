import * as core from '@actions/core';

let warned = false;

/**
 * Appends to the job summary. Without GITHUB_STEP_SUMMARY (a run outside GitHub Actions) the report has
 * nowhere to go: that is said once, and the command carries on with its comment and outputs.
 */
export async function writeSummary(markdown: string): Promise<void> {
  if (!process.env.GITHUB_STEP_SUMMARY) {
    if (!warned) {
      core.warning(
        'GITHUB_STEP_SUMMARY is not set (not running in a GitHub Actions job?): the job summary is skipped',
      );
    }
    warned = true;
    return;
  }
  await core.summary.addRaw(markdown).write();
}
