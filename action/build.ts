import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { build } from 'esbuild';
import { z } from 'zod';
import { pipelineSchema } from './src/pipeline/schema';

/**
 * Bundles the action into dist/index.js (committed: the runner runs it without installing anything) and
 * writes pipeline.schema.json for editor completion from the same zod schema the action validates with.
 */
async function main(): Promise<void> {
  await build({
    entryPoints: [join(__dirname, 'src/main.ts')],
    outfile: join(__dirname, 'dist/index.js'),
    bundle: true,
    platform: 'node',
    target: 'node20',
    format: 'cjs',
    minify: true,
    legalComments: 'none',
    logLevel: 'error',
  });
  writeFileSync(join(__dirname, '..', 'pipeline.schema.json'), pipelineJsonSchema());
}

export function pipelineJsonSchema(): string {
  const schema = z.toJSONSchema(pipelineSchema, { io: 'input' });
  return `${JSON.stringify({ ...schema, title: 'Slipway pipeline.yaml' }, null, 2)}\n`;
}

if (require.main === module) {
  main().catch((error: unknown) => {
    console.error(error);
    process.exit(1);
  });
}
