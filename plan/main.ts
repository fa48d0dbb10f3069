import { join } from 'node:path';
import { ConfigError } from '../infra/config/errors';
import { parsePlanArgs, usage } from './args';
import { PlanError, UsageError } from './errors';
import { exitCodes, runPlan } from './command';
import { Progress } from './progress';

/** `npm run plan -- --stack <name> …`: see ./args for the options and README.md for the rest. */
async function main(argv: string[]): Promise<number> {
  const progress = new Progress(process.stderr);
  try {
    const options = parsePlanArgs(argv, join(__dirname, '..'));
    if (options.help) {
      process.stdout.write(`${usage}\n`);
      return exitCodes.ok;
    }
    return await runPlan(options, process.stdout, progress);
  } catch (error) {
    progress.error(describe(error));
    if (error instanceof UsageError) process.stderr.write(`\n${usage}\n`);
    return exitCodes.error;
  }
}

/** The lines to show for an error: a user's mistake reads as its message alone, a bug keeps its trace. */
function describe(error: unknown): string[] {
  if (error instanceof ConfigError) return error.problems;
  if (error instanceof PlanError) return error.message.split('\n');
  if (error instanceof Error) return [error.stack ?? error.message];
  return [String(error)];
}

void main(process.argv.slice(2)).then((code) => {
  process.exitCode = code;
});
