import { readdirSync } from 'node:fs';
import { join } from 'node:path';
import type { OfflineRun } from '../../offline/engine';
import { runApps, runPlatform } from '../../offline/projects';
import { repoRoot } from './render';

/** The seed applications under examples/, each a repository of its own: both projects and a catalog. */
export const examples = ['ecommerce', 'roboshop', 'flask-umbrella'] as const;
export type ExampleName = (typeof examples)[number];

export const exampleDir = (example: string) => join(repoRoot, 'examples', example);

export const exampleFolders = () => readdirSync(join(repoRoot, 'examples')).sort();

const runs = new Map<string, Promise<OfflineRun>>();
let queue: Promise<unknown> = Promise.resolve();

/**
 * One example's whole environment for a stack, as `npm run plan -- --example <name>` renders it: the
 * platform, then the apps against the platform's outputs, in one run (resources and outputs of both).
 * Rendered once per test file and shared by its cases; renders run one at a time, since the Pulumi
 * runtime is process-global.
 */
export function renderExample(example: string, stack: string): Promise<OfflineRun> {
  const key = `${example}/${stack}`;
  let run = runs.get(key);
  if (!run) {
    run = queue.then(async () => {
      const repoDir = exampleDir(example);
      const platform = await runPlatform({ repoDir, stack });
      const apps = await runApps({ repoDir, stack, platformOutputs: platform.outputs });
      return {
        ...apps,
        resources: [...platform.resources, ...apps.resources],
        outputs: { ...platform.outputs, ...apps.outputs },
      };
    });
    queue = run.catch(() => undefined);
    runs.set(key, run);
  }
  return run;
}
