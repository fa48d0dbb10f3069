import { createHash } from 'node:crypto';
import { readdirSync, readFileSync } from 'node:fs';
import { join, relative } from 'node:path';
import type { ServiceBuild } from '../pipeline/schema';

const skipped = new Set(['.git', 'node_modules']);

/**
 * A digest of everything that goes into an image: every file of the build context, the Dockerfile and the
 * build arguments. Two builds with the same digest produce the same image, so the second one is skipped.
 */
export function buildInputsDigest(root: string, build: ServiceBuild): string {
  const hash = createHash('sha256');
  const context = join(root, build.context);
  for (const file of listFiles(context)) {
    hash.update(`file\0${relative(context, file)}\0`).update(readFileSync(file));
  }
  hash.update(`dockerfile\0${build.dockerfile}\0`).update(readFileSync(join(context, build.dockerfile)));
  for (const [name, value] of Object.entries(build.buildArgs).sort(([a], [b]) => a.localeCompare(b))) {
    hash.update(`arg\0${name}\0${value}\0`);
  }
  return hash.digest('hex').slice(0, 40);
}

function listFiles(dir: string): string[] {
  return readdirSync(dir, { withFileTypes: true })
    .filter((entry) => !skipped.has(entry.name))
    .sort((a, b) => a.name.localeCompare(b.name))
    .flatMap((entry) => {
      const path = join(dir, entry.name);
      if (entry.isDirectory()) return listFiles(path);
      return entry.isFile() ? [path] : [];
    });
}
