import type { ProjectName } from '../infra/config/projects';
import { runOffline, type OfflineRun, type RecordedResource } from '../offline/engine';
import { runApps, runPlatform } from '../offline/projects';
import { planFormatVersion, resourceKey, type StackPlan } from './model';
import { assignedValues, secretReads } from './assigned';
import { redactSecrets } from './redact';

export type PulumiProgram = () => Promise<Record<string, unknown>>;

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

export interface ProjectRenderOptions {
  /** The repository root. */
  repoDir: string;
  stack: string;
  project: ProjectName;
  onResource?: (resource: RecordedResource, count: number) => void;
  /** Told when the platform render an apps plan needs is done and the apps render starts. */
  onPlatformRendered?: (run: OfflineRun) => void;
}

/**
 * Renders a stack of either project. An apps stack renders against the outputs of a fresh render of the
 * platform stack of the same name, as its StackReference would read them from the deployed platform.
 */
export async function renderProjectStack(options: ProjectRenderOptions): Promise<StackPlan> {
  let count = 0;
  const onResource = (resource: RecordedResource) => options.onResource?.(resource, ++count);
  const platform = await runPlatform({
    repoDir: options.repoDir,
    stack: options.stack,
    onResource: options.project === 'platform' ? onResource : undefined,
  });
  if (options.project === 'platform') return planOf(platform);
  options.onPlatformRendered?.(platform);
  return planOf(
    await runApps({
      repoDir: options.repoDir,
      stack: options.stack,
      platformOutputs: platform.outputs,
      onResource,
    }),
  );
}

/** The plan of an offline run: the stack's resources without the stack itself, every value redacted. */
export function planOf(run: Pick<OfflineRun, 'project' | 'stack' | 'resources' | 'outputs'>): StackPlan {
  const resources = run.resources.filter((r) => r.type !== stackType);
  const inputs = resources.map((r) => redactSecrets(r.inputs) as Record<string, unknown>);
  const assigned = resources.map((r, index) => assignedValues(r, inputs[index] ?? {}));
  const assignedByResource = new Map(
    resources.flatMap((r, index) => (assigned[index]?.length ? [[resourceKey(r), assigned[index]]] : [])),
  );
  return {
    formatVersion: planFormatVersion,
    project: run.project,
    stack: run.stack,
    resources: resources.map((resource, index) => {
      const parent = resource.parent?.startsWith(`${stackType}::`) ? undefined : resource.parent;
      const reads = secretReads(resource.inputs, assignedByResource, resourceKey(resource));
      return {
        type: resource.type,
        name: resource.name,
        ...(parent ? { parent } : {}),
        custom: resource.custom,
        inputs: inputs[index] ?? {},
        ...(assigned[index]?.length ? { assigned: assigned[index] } : {}),
        ...(Object.keys(reads).length > 0 ? { secretReads: reads } : {}),
      };
    }),
    outputs: redactSecrets(run.outputs) as Record<string, unknown>,
  };
}

// The stack is Pulumi's root of the tree, not something to deploy: the plan leaves it out, and its
// children become top-level resources.
const stackType = 'pulumi:pulumi:Stack';
