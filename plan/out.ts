import { existsSync, statSync } from 'node:fs';
import { mkdir, rm, writeFile } from 'node:fs/promises';
import { dirname, join } from 'node:path';
import { PlanError } from './errors';
import { diffMarkdown, stackMarkdown } from './format/markdown';
import { kubernetesObjects, manifestFiles, toYaml } from './manifests';
import type { PlanDiff, StackPlan } from './model';

/**
 * Checks `--out` is, or can become, a folder before the stack renders: a typo costs milliseconds and one line, not
 * seconds of rendering and a stack trace. The folder may not exist yet; its nearest existing ancestor
 * must be a folder.
 */
export function assertOutIsFolder(dir: string): void {
  let existing = dir;
  while (!existsSync(existing) && dirname(existing) !== existing) existing = dirname(existing);
  if (!statSync(existing).isDirectory()) {
    throw new PlanError(`--out: cannot write to ${dir}: ${existing} is not a folder`);
  }
}

/**
 * Writes the plan to a folder: resources.json (every resource, inputs redacted), manifests/ (every
 * Kubernetes object, applyable in file order) and plan.md (what `--format markdown` prints). The
 * manifests folder is emptied first, so a namespace that went away leaves no stale file behind.
 */
export async function writeOut(dir: string, plan: StackPlan, diff?: PlanDiff): Promise<void> {
  const manifestsDir = join(dir, 'manifests');
  await rm(manifestsDir, { recursive: true, force: true });
  await mkdir(manifestsDir, { recursive: true });

  const resources = plan.resources.map(({ type, name, parent, inputs }) => ({ type, name, parent, inputs }));
  await writeFile(join(dir, 'resources.json'), `${JSON.stringify(resources, null, 2)}\n`);

  const files = manifestFiles(kubernetesObjects(plan.resources));
  await Promise.all(files.map((file) => writeFile(join(manifestsDir, file.file), toYaml(file))));

  const markdown = [diff ? diffMarkdown(diff) : '', stackMarkdown(plan)].filter(Boolean).join('\n');
  await writeFile(join(dir, 'plan.md'), markdown);
}
