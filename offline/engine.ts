import * as pulumi from '@pulumi/pulumi';
import { resolve } from 'node:path';
import { OfflineMocks, type RecordedResource } from './mocks';
import { readStackFiles, secretPlaceholder } from './stack-files';

export type { RecordedResource } from './mocks';

export interface OfflineRun {
  project: string;
  stack: string;
  resources: RecordedResource[];
  /** Stack outputs, with secret outputs already replaced by the placeholder. */
  outputs: Record<string, unknown>;
}

export interface OfflineRunOptions {
  /** Folder holding Pulumi.yaml and the stack files. */
  projectDir: string;
  stack: string;
  /** The program: what Pulumi's entry point runs, returning the stack outputs. */
  program: () => Promise<Record<string, unknown>>;
  /** Replaces or adds flat config values (`namespace:key` → value) after the stack file is read. */
  configOverrides?: Record<string, string>;
  /** Called as each resource is recorded, so a caller can report progress while the program runs. */
  onResource?: (resource: RecordedResource) => void;
  /**
   * The stacks a StackReference may read, by full name (`organization/project/stack`), with their
   * outputs; `{}` for a stack that exists with no outputs. Any other stack does not exist.
   */
  stackOutputs?: Record<string, Record<string, unknown>>;
  /** The account the program runs with credentials of (`getCallerIdentity`); the offline account if unset. */
  accountId?: string;
}

/** The organization a self-managed (S3) backend puts every stack in, as the bootstrap's backend is. */
export const offlineOrganization = 'organization';

// `waitForRPCs` is internal to the SDK but is what `pulumi.runtime.disconnect` waits on: it resolves
// once every registration the program started has been answered.
const waitForRegistrations = (pulumi.runtime as unknown as { waitForRPCs: () => Promise<void> }).waitForRPCs;

// The engine tells a program where its project is (`pulumi.runtime.getRootDirectory()`); setMocks has
// no parameter for it, so it is set in the runtime's settings store, as the engine's env var would.
function setRootDirectory(projectDir: string): void {
  // eslint-disable-next-line @typescript-eslint/no-require-imports
  const state = require('@pulumi/pulumi/runtime/state') as {
    getStore: () => { settings: { options: { rootDirectory?: string } } };
  };
  state.getStore().settings.options.rootDirectory = resolve(projectDir);
}

/**
 * Runs a Pulumi program for one stack with no engine, no providers and no cloud: the real program
 * code, its real config, and the mocks in ./mocks answering for AWS. Runs are sequential; the Pulumi
 * runtime is process-global.
 */
export async function runOffline(options: OfflineRunOptions): Promise<OfflineRun> {
  const files = readStackFiles(options.projectDir, options.stack);
  const config = { ...files.config, ...options.configOverrides };
  const region = config['aws:region'] ?? 'us-east-1';

  const parents = new Map<string, string>();
  const labels = new WeakMap<pulumi.Resource, string>();
  const mocks = new OfflineMocks(
    region,
    (type, name) => parents.get(`${type}::${name}`),
    options.onResource,
    options.stackOutputs,
    options.accountId,
  );

  await pulumi.runtime.setMocks(mocks, files.project, options.stack, false, offlineOrganization);
  pulumi.runtime.setAllConfig(config, files.secretKeys);
  setRootDirectory(options.projectDir);

  // The SDK leaves a second, unobserved copy of a failed registration or invoke; keep the first such
  // failure so that the run fails with it instead of the process dying on an unhandled rejection.
  const stray: unknown[] = [];
  const keepStray = (reason: unknown) => stray.push(reason);
  process.on('unhandledRejection', keepStray);
  let outputs: Record<string, unknown> | undefined;
  let failure: { error: unknown } | undefined;
  try {
    outputs = await pulumi.runtime.runInPulumiStack(async () => {
      pulumi.runtime.registerStackTransformation((args) => {
        const label = `${args.type}::${args.name}`;
        labels.set(args.resource, label);
        const parentLabel = args.opts.parent ? labels.get(args.opts.parent) : undefined;
        if (parentLabel) parents.set(label, parentLabel);
        return undefined;
      });
      // The program's own failure is kept rather than rethrown here: thrown inside the stack, the SDK
      // would also leave a copy of it that no one awaits.
      try {
        return redactSecretOutputs(await options.program());
      } catch (error) {
        failure = { error };
        return {};
      }
    });
    await waitForRegistrations();
  } finally {
    await new Promise((resolve) => setImmediate(resolve));
    process.off('unhandledRejection', keepStray);
  }
  if (failure) throw failure.error;
  if (stray.length > 0) throw stray[0];
  return { project: files.project, stack: options.stack, resources: mocks.resources, outputs: outputs ?? {} };
}

/** Secret outputs (a kubeconfig, say) become the placeholder before anything can print them. */
async function redactSecretOutputs(outputs: Record<string, unknown>): Promise<Record<string, unknown>> {
  const entries = await Promise.all(
    Object.entries(outputs).map(async ([key, value]) => {
      const secret = pulumi.Output.isInstance(value) && (await pulumi.isSecret(value));
      return [key, secret ? secretPlaceholder : value] as const;
    }),
  );
  return Object.fromEntries(entries);
}
