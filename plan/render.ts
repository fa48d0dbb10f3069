import { runOffline, type OfflineRun, type RecordedResource } from '../offline/engine';
import { planFormatVersion, type PlanResource, type StackPlan } from './model';
import type { PulumiProgram } from './program';
import { redactSecrets } from './redact';

export interface RenderOptions {
  projectDir: string;
  stack: string;
  program: PulumiProgram;
  onResource?: (resource: RecordedResource, count: number) => void;
}

/**
 * Runs the stack's real program under the offline engine and returns every resource it registers,
 * with secrets redacted before anything else can see them.
 */
export async function renderStack(options: RenderOptions): Promise<StackPlan> {
  let count = 0;
  const run = await runOffline({
    projectDir: options.projectDir,
    stack: options.stack,
    program: options.program,
    onResource: (resource) => options.onResource?.(resource, ++count),
  });
  return planOf(run);
}

/** The plan of an offline run: the stack's resources without the stack itself, every value redacted. */
export function planOf(run: Pick<OfflineRun, 'project' | 'stack' | 'resources' | 'outputs'>): StackPlan {
  return {
    formatVersion: planFormatVersion,
    project: run.project,
    stack: run.stack,
    resources: run.resources.filter((r) => r.type !== stackType).map(toPlanResource),
    outputs: redactSecrets(run.outputs) as Record<string, unknown>,
  };
}

// The stack is Pulumi's root of the tree, not something to deploy: the plan leaves it out, and its
// children become top-level resources.
const stackType = 'pulumi:pulumi:Stack';

function toPlanResource(resource: RecordedResource): PlanResource {
  const parent = resource.parent?.startsWith(`${stackType}::`) ? undefined : resource.parent;
  return {
    type: resource.type,
    name: resource.name,
    ...(parent ? { parent } : {}),
    custom: resource.custom,
    inputs: redactSecrets(resource.inputs) as Record<string, unknown>,
  };
}
