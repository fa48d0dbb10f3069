import type { ProjectName } from '../infra/config/projects';
import { runOffline, type OfflineRun, type RecordedResource } from '../offline/engine';
import { runApps, runPlatform } from '../offline/projects';
import { planFormatVersion, type PlanResource, type StackPlan } from './model';
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
