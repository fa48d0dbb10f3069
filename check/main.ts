import { resolve } from 'node:path';
import { ConfigError } from '../infra/config/errors';
import { checkRepository } from './checks';
import { readRepository } from './read';

/**
 * `npm run check [-- <root>]`: checks slipway.yaml, pipeline.yaml, the stack files and the workflows against
 * each other. One line per inconsistency on stderr and exit 1; a one-line summary and exit 0 when they agree.
 */
function main(argv: string[]): number {
  const root = resolve(argv[0] ?? process.cwd());
  try {
    const repository = readRepository(root);
    const problems = checkRepository(repository);
    if (problems.length > 0) {
      process.stderr.write(`${problems.join('\n')}\n`);
      return 1;
    }
    const { stackFiles, workflows, pipeline } = repository;
    process.stdout.write(
      `slipway.yaml, pipeline.yaml (${Object.keys(pipeline.environments).length} environments), ${stackFiles.length} stack files and ${workflows.length} workflows agree\n`,
    );
    return 0;
  } catch (error) {
    if (error instanceof ConfigError) {
      process.stderr.write(`${error.problems.join('\n')}\n`);
      return 1;
    }
    throw error;
  }
}

process.exitCode = main(process.argv.slice(2));
