import { run } from './exec';
import type { Tool } from '../tools/pins';
import {
  backendProblem,
  builderProblem,
  missingTool,
  ToolError,
  versionProblem,
} from '../tools/requirements';

/** Runs a tool's version command; a tool that cannot be started is missing. */
async function ask(command: string, args: string[]): Promise<{ code: number; output: string } | undefined> {
  try {
    const result = await run(command, args);
    return { code: result.code, output: `${result.stdout}\n${result.stderr}` };
  } catch {
    return undefined;
  }
}

/** Refuses early, with one line, when a tool the command runs is missing or not the pinned version. */
export async function requireTools(tools: readonly Tool[], command: string): Promise<void> {
  for (const tool of tools) {
    if (tool === 'buildx') {
      const version = await ask('docker', ['buildx', 'version']);
      if (!version || version.code !== 0) throw new ToolError(missingTool(tool, command));
      const inspect = await ask('docker', ['buildx', 'inspect']);
      const problem = builderProblem(inspect?.output ?? '');
      if (problem) throw new ToolError(problem);
      continue;
    }
    const version = await ask(tool, tool === 'pulumi' ? ['version'] : ['--version']);
    if (!version || version.code !== 0) throw new ToolError(missingTool(tool, command));
    const problem = versionProblem(tool, version.output);
    if (problem) throw new ToolError(problem);
    if (tool === 'pulumi') {
      const backend = backendProblem(process.env);
      if (backend) throw new ToolError(backend);
    }
  }
}
