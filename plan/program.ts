export type PulumiProgram = () => Promise<Record<string, unknown>>;

/**
 * Loads the platform's Pulumi program only when a stack is actually rendered: `--help` and argument
 * errors stay instant, and the AWS and Kubernetes SDKs load only when they are needed.
 */
export function loadPlatformProgram(): PulumiProgram {
  // eslint-disable-next-line @typescript-eslint/no-require-imports
  const loaded = require('../infra/program') as typeof import('../infra/program');
  return loaded.platformProgram;
}
