import type { Octokit } from './github';
import type { Repo } from './repo';

export type DeploymentState = 'in_progress' | 'success' | 'failure' | 'error';

/** A GitHub Deployment for one environment, so the repository shows what runs where. */
export async function createDeployment(
  octokit: Octokit,
  repo: Repo,
  options: { ref: string; environment: string; production: boolean; description: string },
): Promise<number> {
  const response = await octokit.rest.repos.createDeployment({
    ...repo,
    ref: options.ref,
    environment: options.environment,
    description: options.description,
    production_environment: options.production,
    auto_merge: false,
    required_contexts: [],
  });
  if (!('id' in response.data))
    throw new Error(`GitHub did not create a deployment: ${response.data.message ?? ''}`);
  return response.data.id;
}

export async function setDeploymentStatus(
  octokit: Octokit,
  repo: Repo,
  deploymentId: number,
  state: DeploymentState,
  details: { description: string; environmentUrl?: string; logUrl?: string },
): Promise<void> {
  await octokit.rest.repos.createDeploymentStatus({
    ...repo,
    deployment_id: deploymentId,
    state,
    description: details.description.slice(0, 140),
    environment_url: details.environmentUrl,
    log_url: details.logUrl,
  });
}
