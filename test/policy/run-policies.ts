import type { PolicyResource, ResourceValidationPolicy, StackValidationPolicy } from '@pulumi/policy';
import { NotApplicable, notApplicable, validationArgs, type AnalyzedResource } from '../../plan/policy-check';
import type { OfflineRun, RecordedResource } from '../../offline/engine';
import { policies } from '../../policy/policies';

export interface Violation {
  policy: string;
  message: string;
  urn?: string;
}

/** What the policy engine is handed for a resource: its type, name, URN and input properties. */
export type Candidate = AnalyzedResource;

export const resourcePolicies = policies.filter(
  (policy): policy is ResourceValidationPolicy => 'validateResource' in policy,
);
export const stackPolicies = policies.filter(
  (policy): policy is StackValidationPolicy => 'validateStack' in policy,
);

/**
 * The URN the engine gives a recorded resource: `urn:pulumi:<stack>::<project>::<parent types$…$type>::<name>`
 * (the stack resource itself is not part of the chain).
 */
export function urnOf(run: OfflineRun, resource: RecordedResource): string {
  const types = [resource.type];
  let parentLabel = resource.parent;
  while (parentLabel) {
    const parent = run.resources.find((candidate) => `${candidate.type}::${candidate.name}` === parentLabel);
    if (!parent || parent.type === 'pulumi:pulumi:Stack') break;
    types.unshift(parent.type);
    parentLabel = parent.parent;
  }
  return `urn:pulumi:${run.stack}::${run.project}::${types.join('$')}::${resource.name}`;
}

/** The engine's view of every custom resource of a render (components are not validated). */
export function candidatesOf(run: OfflineRun): Candidate[] {
  const urns = new Map(
    run.resources.map((resource) => [`${resource.type}::${resource.name}`, urnOf(run, resource)]),
  );
  return run.resources
    .filter((resource) => resource.custom)
    .map((resource) => ({
      type: resource.type,
      name: resource.name,
      urn: urnOf(run, resource),
      props: resource.inputs,
      parentUrn: resource.parent ? urns.get(resource.parent) : undefined,
    }));
}

export interface ResourceOutcome {
  /** False when the policy declared itself not applicable to the resource (another type). */
  applied: boolean;
  violations: Violation[];
}

/** Runs one resource policy's validations on one resource, as the analyzer does. */
export async function checkResource(
  policy: ResourceValidationPolicy,
  candidate: Candidate,
): Promise<ResourceOutcome> {
  const violations: Violation[] = [];
  const args = validationArgs(candidate);
  const validations = [policy.validateResource ?? []].flat();
  let applied = validations.length > 0;
  for (const validate of validations) {
    try {
      await validate(args, (message, urn) => violations.push({ policy: policy.name, message, urn }));
    } catch (error) {
      if (!(error instanceof NotApplicable)) throw error;
      applied = false;
    }
  }
  return { applied, violations };
}

/** Every violation any resource policy of the pack reports for one resource. */
export async function packViolations(candidate: Candidate): Promise<Violation[]> {
  const outcomes = await Promise.all(resourcePolicies.map((policy) => checkResource(policy, candidate)));
  return outcomes.flatMap((outcome) => outcome.violations);
}

/** Runs one stack policy over a set of resources; undefined when it declared itself not applicable. */
export async function checkStack(
  policy: StackValidationPolicy,
  candidates: Candidate[],
): Promise<Violation[] | undefined> {
  const resources: PolicyResource[] = candidates.map((candidate) => ({
    ...validationArgs(candidate),
    dependencies: [],
    propertyDependencies: {},
  }));
  const violations: Violation[] = [];
  try {
    await policy.validateStack(
      { resources, stackTags: new Map(), getConfig: <T extends object>() => ({}) as T, notApplicable },
      (message, urn) => violations.push({ policy: policy.name, message, urn }),
    );
  } catch (error) {
    if (error instanceof NotApplicable) return undefined;
    throw error;
  }
  return violations;
}

/** A deep copy of a recorded resource, to break one property without touching the shared render. */
export function copyOf(candidate: Candidate): Candidate {
  return structuredClone(candidate);
}
