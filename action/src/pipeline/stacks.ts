/**
 * A pipeline.yaml environment is a GitHub environment (where a deploy job runs, who approves it, which
 * branches may run there); its `stack` is the Pulumi stack it deploys. Several environments may deploy one
 * stack with different approval and branch rules (seed 004: `release-*` deploys prod on merge, `hotfix/*`
 * only once approved): the stack's settings (slipway.yaml), roles, secrets key and registry are the stack's,
 * shared by every environment that deploys it.
 */

/** The fields of an environment, as written, that belong to its stack and so must agree across it. */
interface StackBound {
  stack?: string;
  region?: string;
  role?: string;
  platformRole?: string;
}

/** The stack an environment deploys: its `stack:`, else its own name. */
export const stackOf = (name: string, environment: { stack?: string }): string => environment.stack ?? name;

/**
 * The name slipway.yaml, the bootstrap's roles and keys, and the registry know a stack by: its last segment
 * (`org/project/prod` → `prod`), as `pulumi.getStack()` names it inside the program.
 */
export const stackName = (stack: string): string => stack.split('/').pop() ?? stack;

/**
 * Whether any environment deploying the stack of environment `name` needs approval: that stack's state,
 * secrets and images are what approval guards, also where another of its environments deploys without (the
 * pull-request preview role stays off it, and its default scan gate is prod's).
 */
export function gatedStack(
  environments: Record<string, { stack?: string; approval?: boolean }>,
  name: string,
): boolean {
  const own = environments[name];
  if (!own) return false;
  const stack = stackName(stackOf(name, own));
  return Object.entries(environments).some(
    ([other, environment]) =>
      environment.approval === true && stackName(stackOf(other, environment)) === stack,
  );
}

/** Environment names grouped by the stack (its name) they deploy, in pipeline.yaml's order. */
export function environmentsByStack(environments: Record<string, { stack?: string }>): Map<string, string[]> {
  const byStack = new Map<string, string[]>();
  for (const [name, environment] of Object.entries(environments)) {
    const stack = stackName(stackOf(name, environment));
    byStack.set(stack, [...(byStack.get(stack) ?? []), name]);
  }
  return byStack;
}

/**
 * What environments sharing a stack must not disagree on (one line each, without the file): a region or role
 * stated differently (one stack runs in one region, under one pair of roles), and a branch rule that would
 * deploy the one stack twice in a push.
 */
export function sharedStackProblems(pipeline: {
  environments: Record<string, StackBound>;
  branches: { deploy?: string[] }[];
}): string[] {
  const problems: string[] = [];
  for (const [stack, names] of environmentsByStack(pipeline.environments)) {
    const [first, ...rest] = names;
    if (first === undefined) continue;
    for (const key of ['region', 'role', 'platformRole'] as const) {
      const stated = pipeline.environments[first]?.[key];
      for (const other of rest) {
        const value = pipeline.environments[other]?.[key];
        if (value !== stated)
          problems.push(
            `environments.${other}.${key}: ${value ?? 'unset'}, but environments.${first}.${key} is ${stated ?? 'unset'}; both deploy the stack ${stack}, which has one`,
          );
      }
    }
  }
  pipeline.branches.forEach((rule, index) => {
    const seen = new Map<string, string>();
    for (const name of rule.deploy ?? []) {
      const environment = pipeline.environments[name];
      // An unknown or repeated name has its own problem already.
      if (!environment || seen.get(stackName(stackOf(name, environment))) === name) continue;
      const stack = stackName(stackOf(name, environment));
      const earlier = seen.get(stack);
      if (earlier !== undefined)
        problems.push(
          `branches[${index}].deploy: ${earlier} and ${name} both deploy the stack ${stack}; a push deploys a stack once`,
        );
      else seen.set(stack, name);
    }
  });
  return problems;
}
