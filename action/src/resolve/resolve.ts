import { minimatch } from 'minimatch';
import { platformEnvironmentName } from '../../../infra/bootstrap/role-names';
import { accountsOf } from '../pipeline/accounts';
import type { Pipeline } from '../pipeline/schema';
import { environmentsByStack, gatedStack } from '../pipeline/stacks';

/** What the runner tells about the triggering event, reduced to what branch mapping needs. */
export interface TriggerEvent {
  eventName: string;
  /** GITHUB_REF: refs/heads/<branch>, refs/tags/<tag> or refs/pull/<n>/merge. */
  ref: string;
  /** For pull requests: the branch the pull request merges into. */
  baseRef?: string;
}

export interface Resolution {
  /** Environments to deploy to, in promotion order. */
  environments: string[];
  /** Environments to preview (pull requests: what the base branch deploys to). */
  previewEnvironments: string[];
  /** Environment → whether deploying there needs approval. */
  approval: Record<string, boolean>;
}

const pullRequestEvents = new Set(['pull_request', 'pull_request_review', 'merge_group']);

/** Maps an event to the environments it deploys and previews, from the branch rules of pipeline.yaml. */
export function resolveEnvironments(pipeline: Pipeline, event: TriggerEvent): Resolution {
  const isPullRequest = pullRequestEvents.has(event.eventName);
  let environments: string[] = [];
  let previewEnvironments: string[] = [];
  if (isPullRequest) {
    previewEnvironments = event.baseRef ? [...(matchRule(pipeline, event.baseRef)?.deploy ?? [])] : [];
  } else {
    const branch = branchOf(event.ref);
    const rule = branch === undefined ? undefined : matchRule(pipeline, branch);
    environments = [...(rule?.deploy ?? [])];
    previewEnvironments = [...(rule?.preview ?? [])];
  }
  const approval: Record<string, boolean> = {};
  for (const name of [...environments, ...previewEnvironments]) {
    approval[name] = pipeline.environments[name]?.approval ?? false;
  }
  return { environments, previewEnvironments, approval };
}

/**
 * Which previews may run online with the pull-request preview role, and which fall back to the offline
 * plan: the bootstrap scopes that role to the stacks no environment deploys with approval, so a gated
 * stack's state and secrets stay out of reach of a pull request's own code.
 */
export function previewReach(
  pipeline: Pipeline,
  resolution: Resolution,
): { online: string[]; offline: string[] } {
  // A stack is gated when any environment deploys it with approval, even if this one deploys it without.
  const gated = (name: string) => gatedStack(pipeline.environments, name);
  return {
    online: resolution.previewEnvironments.filter((name) => !gated(name)),
    offline: resolution.previewEnvironments.filter(gated),
  };
}

/**
 * Each environment's Pulumi stack: jobs that run without the action (the offline plan of a pull
 * request) need the stack an environment deploys, which pipeline.yaml may name differently.
 */
export const stacksOf = (pipeline: Pipeline): Record<string, string> =>
  Object.fromEntries(
    Object.entries(pipeline.environments).map(([name, environment]) => [name, environment.stack]),
  );

/**
 * One environment of each stack: a job that reads every stack once (the drift check, with the read role)
 * needs no more, however many environments deploy a stack.
 */
export const oneEnvironmentPerStack = (pipeline: Pipeline): string[] =>
  [...environmentsByStack(pipeline.environments).values()].flatMap(([first]) => (first ? [first] : []));

/** One environment a push deploys to, with everything its deploy jobs need, from pipeline.yaml. */
export interface DeployTarget {
  /**
   * The pipeline.yaml environment, which is also the GitHub environment the apps deploy job runs in: its
   * protection rules gate the job, and its name is the OIDC subject the stack's roles trust.
   */
  environment: string;
  /** The Pulumi stack, which other environments may deploy too (with other approval and branches). */
  stack: string;
  region: string;
  /** The apps deploy role: the stack's (`<project>-deploy-<stack>`), whichever environment deploys it. */
  role: string;
  /** The GitHub environment the platform deploy job runs in: only it may assume the platform role. */
  platformEnvironment: string;
  platformRole: string;
  approval: boolean;
  /**
   * Whether the stack is gated (some environment deploys it with approval): then the publish role never
   * writes its repositories, and this environment's deploy job promotes the digests into them itself.
   */
  promote: boolean;
  /** The read role of the stack's account: its preview before approval runs with it. */
  readRole: string;
  /** The state bucket of the stack's account, as `PULUMI_BACKEND_URL`. */
  backendUrl: string;
}

/**
 * The deploy workflow's matrix: each environment the push reaches, in promotion order, as pipeline.yaml
 * describes it, so adding an environment needs no workflow edit.
 */
export function deployTargets(pipeline: Pipeline, resolution: Resolution): DeployTarget[] {
  const accounts = accountsOf(pipeline);
  return resolution.environments.flatMap((name) => {
    const environment = pipeline.environments[name];
    const account = accounts[name];
    if (!environment || !account) return [];
    const { stack, region, role, platformRole, approval } = environment;
    const platformEnvironment = platformEnvironmentName(name);
    const promote = gatedStack(pipeline.environments, name);
    const { readRole, backendUrl } = account;
    return [
      {
        environment: name,
        stack,
        region,
        role,
        platformEnvironment,
        platformRole,
        approval,
        promote,
        readRole,
        backendUrl,
      },
    ];
  });
}

/** The first rule whose glob matches the branch; `*` does not cross `/`, so `hotfix/*` is one level. */
export function matchRule(pipeline: Pipeline, branch: string): Pipeline['branches'][number] | undefined {
  return pipeline.branches.find((rule) =>
    minimatch(branch, rule.branch, { dot: true, nocomment: true, nonegate: true }),
  );
}

/** The branch a ref names, or undefined for tags and other refs (they deploy nowhere). */
export function branchOf(ref: string): string | undefined {
  const prefix = 'refs/heads/';
  return ref.startsWith(prefix) ? ref.slice(prefix.length) : undefined;
}
