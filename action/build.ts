import { rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { build, type Plugin } from 'esbuild';
import { format, resolveConfig } from 'prettier';
import { pipelineJsonSchema } from './src/pipeline/json-schema';

const esmBanner = [
  "import { createRequire as __createRequire } from 'node:module';",
  "import { fileURLToPath as __fileURLToPath } from 'node:url';",
  "import { dirname as __pathDirname } from 'node:path';",
  'const require = __createRequire(import.meta.url);',
  'const __filename = __fileURLToPath(import.meta.url);',
  'const __dirname = __pathDirname(__filename);',
].join('\n');

/**
 * The Pulumi SDK loads TypeScript (3.5 MB) and npm's Arborist (with pacote, tar, cacache: 1.5 MB) only to
 * serialize JavaScript closures and analyze providers; the action runs a Pulumi program from disk through
 * the CLI and does neither. Leaving them out makes every preview and deploy start in half the time. Any use
 * fails loudly, never silently.
 */
const closureOnlyModules = /(typescript-shim|^@npmcli\/arborist)$/;
const withoutClosureSerialization: Plugin = {
  name: 'without-closure-serialization',
  setup(pluginBuild) {
    pluginBuild.onResolve({ filter: closureOnlyModules }, (args) => ({
      path: args.path,
      namespace: 'not-bundled',
    }));
    pluginBuild.onLoad({ filter: /.*/, namespace: 'not-bundled' }, (args) => ({
      // Module interop (`__importStar`) may look at `__esModule` while loading; any real use throws.
      contents: `module.exports = new Proxy({}, { get(_, key) {
        if (key === '__esModule' || typeof key === 'symbol') return undefined;
        throw new Error(${JSON.stringify(`${args.path} is not bundled in the Slipway action`)});
      } });`,
      loader: 'js',
    }));
  },
};

/**
 * Bundles the action into dist/index.mjs and its chunks (committed: the runner runs it without installing anything) and
 * writes pipeline.schema.json for editor completion from the same zod schema the action validates with.
 */
async function main(): Promise<void> {
  const dist = join(__dirname, 'dist');
  rmSync(dist, { recursive: true, force: true });
  await build({
    entryPoints: { index: join(__dirname, 'src/main.ts') },
    outdir: dist,
    bundle: true,
    platform: 'node',
    target: 'node20',
    // ESM with code splitting: each command loads only its own chunks, so resolve does not parse the
    // Pulumi SDK. The banner gives bundled CommonJS code the require/__dirname it expects.
    format: 'esm',
    splitting: true,
    outExtension: { '.js': '.mjs' },
    chunkNames: 'chunks/[name]-[hash]',
    banner: { js: esmBanner },
    plugins: [withoutClosureSerialization],
    minify: true,
    legalComments: 'none',
    logLevel: 'error',
  });
  writeFileSync(schemaFile, await formattedSchema());
}

const schemaFile = join(__dirname, '..', 'pipeline.schema.json');

/** pipeline.schema.json, formatted as the repository's prettier settings format it (lint checks it). */
async function formattedSchema(): Promise<string> {
  const options = await resolveConfig(schemaFile);
  return format(JSON.stringify(pipelineJsonSchema()), { ...options, parser: 'json' });
}

main().catch((error: unknown) => {
  console.error(error);
  process.exit(1);
});
