import type { Command } from '../inputs';
import { toolPins, type Tool } from './pins';

/** The tools each command runs; resolve runs none. */
export const toolsOf: Record<Command, Tool[]> = {
  resolve: [],
  build: ['buildx'],
  scan: ['trivy'],
  push: ['buildx'],
  preview: ['pulumi'],
  deploy: ['pulumi'],
  drift: ['pulumi'],
  'offline-comment': [],
};

/** Raised when a tool is missing or at another version: one line naming the step that installs it. */
export class ToolError extends Error {
  override name = 'ToolError';
}

const installs = (tool: Tool) => `the workflow step "${toolPins[tool].step}" installs it (docs/workflows.md)`;

export const missingTool = (tool: Tool, command: string) =>
  `${command} needs ${tool === 'buildx' ? 'docker buildx' : tool}, which is not installed on this runner: ${installs(tool)}`;

/**
 * What is wrong with the version a tool reports, or undefined when it is the pinned one. `pulumi version`
 * prints `v3.253.0`, `trivy --version` prints `Version: 0.69.3` first.
 */
export function versionProblem(tool: 'pulumi' | 'trivy', output: string): string | undefined {
  const found = /v?(\d+\.\d+\.\d+)/.exec(output)?.[1];
  const wanted = toolPins[tool].version;
  if (found === wanted) return undefined;
  return `${tool} ${found ?? '(unknown version)'} is installed, Slipway needs ${wanted}: ${installs(tool)}`;
}

/**
 * The build cache goes to GitHub's cache (type=gha), which the default `docker` driver cannot export to;
 * `docker buildx inspect` names the builder's driver.
 */
export function builderProblem(inspectOutput: string): string | undefined {
  const driver = /^Driver:\s*(\S+)/m.exec(inspectOutput)?.[1];
  if (driver && driver !== 'docker') return undefined;
  return `docker buildx uses the ${driver ?? 'unknown'} driver, which cannot export the build cache to GitHub (type=gha): ${installs('buildx')}`;
}

/** Without a backend URL the CLI falls back to Pulumi Cloud, which needs a token the pipeline never has. */
export function backendProblem(env: NodeJS.ProcessEnv): string | undefined {
  if (env.PULUMI_BACKEND_URL?.trim() || env.PULUMI_ACCESS_TOKEN) return undefined;
  return "PULUMI_BACKEND_URL is not set, so pulumi would log in to Pulumi Cloud: set the repository variable SLIPWAY_BACKEND_URL to the bootstrap's backendUrl output and pass it in the job's env (docs/workflows.md)";
}
