import type { EnvironmentInfo } from '../deploy/protection';
import type { Octokit } from './github';
import type { Repo } from './repo';

/** GitHub's description of an environment, or undefined when it does not exist or cannot be read. */
export async function readEnvironment(
  octokit: Octokit,
  repo: Repo,
  name: string,
): Promise<EnvironmentInfo | undefined> {
  try {
    const response = await octokit.rest.repos.getEnvironment({ ...repo, environment_name: name });
    return response.data as EnvironmentInfo;
  } catch {
    return undefined;
  }
}
