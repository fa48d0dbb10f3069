import * as core from '@actions/core';
import * as github from '@actions/github';
import { retry } from '@octokit/plugin-retry';
import { throttling } from '@octokit/plugin-throttling';
import Bottleneck from 'bottleneck';

export type Octokit = ReturnType<typeof github.getOctokit>;

/**
 * Octokit's throttling callback: warns, and retries a few times (fewer for the secondary limit, which GitHub
 * enforces more harshly on repeat offenders).
 */
function retryWithin(limit: string, maxRetries: number) {
  return (
    retryAfter: number,
    options: { method: string; url: string },
    _octokit: unknown,
    retryCount: number,
  ): boolean => {
    core.warning(`GitHub ${limit} hit for ${options.method} ${options.url}; retrying in ${retryAfter}s`);
    return retryCount < maxRetries;
  };
}

/**
 * Writes one at a time, without the throttling plugin's default pauses (a second before each write, three
 * before each that notifies, such as a comment), which GitHub asks of clients writing in bulk. A run of the
 * action writes a handful of times (a deployment and its statuses, a comment, an issue), and parallel matrix
 * jobs write from processes these pauses cannot coordinate anyway: the pauses only made every run seconds
 * longer. Should GitHub's secondary limit answer, it names its wait, and onSecondaryRateLimit retries after it.
 */
const oneWriteAtATime = () => new Bottleneck.Group({ maxConcurrent: 1, minTime: 0 });

/** Octokit on GITHUB_API_URL with retries for transient failures and GitHub's rate limits respected. */
export function createOctokit(token: string): Octokit {
  return github.getOctokit(
    token,
    {
      throttle: {
        onRateLimit: retryWithin('rate limit', 2),
        onSecondaryRateLimit: retryWithin('secondary rate limit', 1),
        write: oneWriteAtATime(),
        notifications: oneWriteAtATime(),
      },
    },
    retry,
    throttling,
  );
}

/** The HTTP status of an Octokit error, if it has one. */
export function statusOf(error: unknown): number | undefined {
  const status = (error as { status?: unknown } | null)?.status;
  return typeof status === 'number' ? status : undefined;
}
