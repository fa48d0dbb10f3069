import type { EnvironmentInfo, EnvironmentUnreadable } from '../deploy/protection';
import { messageOf } from '../errors';
import { statusOf, type Octokit } from './github';
import type { Repo } from './repo';

/** GitHub's description of an environment, or why it could not be read (the deploy then fails closed). */
export async function readEnvironment(
  octokit: Octokit,
  repo: Repo,
  name: string,
): Promise<EnvironmentInfo | EnvironmentUnreadable> {
  try {
    const response = await octokit.rest.repos.getEnvironment({ ...repo, environment_name: name });
    return response.data as EnvironmentInfo;
  } catch (error) {
    const status = statusOf(error);
    return {
      unreadable:
        status === 404
          ? `there is no GitHub environment "${name}"; a misspelt environment: in the workflow creates an unprotected one`
          : `HTTP ${status ?? '?'}: ${messageOf(error)}; the token needs actions: read to see environments`,
    };
  }
}
