import * as core from '@actions/core';
import * as github from '@actions/github';
import { loadContext, type ActionContext } from './context';
import { readInputs, type Command } from './inputs';
import { messageOf } from './errors';
import { requireTools } from './io/tools';
import { toolsOf } from './tools/requirements';

// Each command is loaded only when chosen: the Pulumi SDK is large, and resolve should not pay for it.
const handlers: Record<Command, () => Promise<(ctx: ActionContext) => Promise<unknown>>> = {
  resolve: async () => (await import('./commands/resolve.js')).resolveCommand,
  build: async () => (await import('./commands/build.js')).buildCommand,
  scan: async () => (await import('./commands/scan.js')).scanCommand,
  push: async () => (await import('./commands/push.js')).pushCommand,
  preview: async () => (await import('./commands/preview.js')).previewCommand,
  deploy: async () => (await import('./commands/deploy.js')).deployCommand,
  drift: async () => (await import('./commands/drift.js')).driftCommand,
  'offline-comment': async () => (await import('./commands/offline-comment.js')).offlineCommentCommand,
};

async function main(): Promise<void> {
  try {
    const inputs = readInputs(github.context.eventName);
    const ctx = loadContext(inputs);
    // A missing or wrong tool is refused before the command starts, naming the step that installs it.
    await requireTools(toolsOf[inputs.command], inputs.command);
    const command = await handlers[inputs.command]();
    const code = await command(ctx);
    if (typeof code === 'number' && code !== 0) process.exitCode = code;
  } catch (error) {
    fail(messageOf(error));
  }
}

/**
 * On a runner the error becomes an annotation (`::error::`, whose newlines are escaped as %0A and decoded
 * by the runner); anywhere else it is printed as it is, so a multi-line error reads as lines, not %0A.
 */
function fail(message: string): void {
  if (process.env.GITHUB_ACTIONS === 'true') {
    core.setFailed(message);
    return;
  }
  process.exitCode = 1;
  process.stderr.write(`Error: ${message}\n`);
}

void main();
