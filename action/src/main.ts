import * as core from '@actions/core';
import { buildCommand } from './commands/build';
import { deployCommand } from './commands/deploy';
import { driftCommand } from './commands/drift';
import { previewCommand } from './commands/preview';
import { pushCommand } from './commands/push';
import { resolveCommand } from './commands/resolve';
import { scanCommand } from './commands/scan';
import { loadContext, type ActionContext } from './context';
import { readInputs, type Command } from './inputs';

const handlers: Record<Command, (ctx: ActionContext) => Promise<unknown>> = {
  resolve: resolveCommand,
  build: buildCommand,
  scan: scanCommand,
  push: pushCommand,
  preview: previewCommand,
  deploy: deployCommand,
  drift: driftCommand,
};

async function main(): Promise<void> {
  try {
    const inputs = readInputs();
    const code = await handlers[inputs.command](loadContext(inputs));
    if (typeof code === 'number' && code !== 0) process.exitCode = code;
  } catch (error) {
    core.setFailed((error as Error).message);
  }
}

void main();
