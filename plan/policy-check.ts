import type { EnforcementLevel, Policies, PolicyResource, ResourceValidationArgs } from '@pulumi/policy';
import { resourceKey, type PlanResource, type StackPlan } from './model';

/** One policy violation the offline plan found, as `pulumi preview --policy-pack` would report it. */
export interface PolicyViolation {
  policy: string;
  level: EnforcementLevel;
  /** `type::name` of the resource, or undefined for a stack-wide finding. */
  resource?: string;
  message: string;
}

// What `args.notApplicable` throws in the real analyzer too: the policy skips this resource.
export class NotApplicable extends Error {}
export const notApplicable = (reason?: string): never => {
  throw new NotApplicable(reason);
};

const isTypeOf = (type: string) => (resourceClass: unknown) =>
  (resourceClass as { __pulumiType?: string }).__pulumiType === type;

/** One resource as the analyzer knows it: its type, name, URN, inputs and parent's URN. */
export interface AnalyzedResource {
  type: string;
  name: string;
  urn: string;
  props: Record<string, unknown>;
  parentUrn?: string;
}

/**
 * What the analyzer hands a resource policy for one resource (and, with dependencies added, a stack policy):
 * no stack tags or config, the resource's inputs as its properties.
 */
export function validationArgs(resource: AnalyzedResource): ResourceValidationArgs {
  const { type, props } = resource;
  return {
    type,
    name: resource.name,
    urn: resource.urn,
    props,
    opts: {
      protect: false,
      ignoreChanges: [],
      aliases: [],
      customTimeouts: { createSeconds: 0, updateSeconds: 0, deleteSeconds: 0 },
      additionalSecretOutputs: [],
      parent: resource.parentUrn,
    },
    stackTags: new Map(),
    isType: isTypeOf(type),
    asType: ((resourceClass: unknown) =>
      isTypeOf(type)(resourceClass) ? props : undefined) as ResourceValidationArgs['asType'],
    getConfig: <T extends object>() => ({}) as T,
    notApplicable,
  };
}

/** The URN the engine gives a resource: `urn:pulumi:<stack>::<project>::<parent types$…$type>::<name>`. */
function urnsOf(plan: StackPlan): Map<string, string> {
  const byKey = new Map(plan.resources.map((resource) => [resourceKey(resource), resource]));
  const urns = new Map<string, string>();
  for (const resource of plan.resources) {
    const types = [resource.type];
    for (let parent = resource.parent; parent; parent = byKey.get(parent)?.parent) {
      const found = byKey.get(parent);
      if (!found) break;
      types.unshift(found.type);
    }
    urns.set(
      resourceKey(resource),
      `urn:pulumi:${plan.stack}::${plan.project}::${types.join('$')}::${resource.name}`,
    );
  }
  return urns;
}

/**
 * Runs every policy of a pack on the rendered resources, as Pulumi's analyzer runs them on a preview:
 * resource policies on each custom resource's inputs, stack policies on all of them. Levels are the
 * pack's own (`disabled` policies are skipped).
 */
export async function checkPolicies(plan: StackPlan, policies: Policies): Promise<PolicyViolation[]> {
  const urns = urnsOf(plan);
  const keyOfUrn = new Map([...urns].map(([key, urn]) => [urn, key]));
  const custom = plan.resources.filter((resource) => resource.custom);
  const violations: PolicyViolation[] = [];
  for (const policy of policies) {
    const level = policy.enforcementLevel ?? 'advisory';
    if (level === 'disabled') continue;
    const report = (fallback: PlanResource | undefined) => (message: string, urn?: string) =>
      violations.push({
        policy: policy.name,
        level,
        resource: (urn ? keyOfUrn.get(urn) : undefined) ?? (fallback ? resourceKey(fallback) : undefined),
        message,
      });
    if ('validateResource' in policy && policy.validateResource) {
      for (const resource of custom) {
        const args = resourceArgs(resource, urns);
        for (const validate of [policy.validateResource].flat()) {
          try {
            await validate(args, report(resource));
          } catch (error) {
            if (!(error instanceof NotApplicable)) throw error;
          }
        }
      }
    }
    if ('validateStack' in policy) {
      const resources: PolicyResource[] = custom.map((resource) => ({
        ...resourceArgs(resource, urns),
        dependencies: [],
        propertyDependencies: {},
      }));
      try {
        await policy.validateStack(
          { resources, stackTags: new Map(), getConfig: <T extends object>() => ({}) as T, notApplicable },
          report(undefined),
        );
      } catch (error) {
        if (!(error instanceof NotApplicable)) throw error;
      }
    }
  }
  return violations;
}

function resourceArgs(resource: PlanResource, urns: Map<string, string>): ResourceValidationArgs {
  return validationArgs({
    type: resource.type,
    name: resource.name,
    urn: urns.get(resourceKey(resource)) ?? '',
    props: resource.inputs,
    parentUrn: resource.parent ? urns.get(resource.parent) : undefined,
  });
}

/** One line per violation: level, policy, resource and message. */
export function violationLines(violations: readonly PolicyViolation[]): string[] {
  return violations.map(
    (v) =>
      `policy ${v.policy} (${v.level}): ${v.resource ?? 'the stack'}: ${v.message.replace(/\s*\n\s*/g, ' ')}`,
  );
}
