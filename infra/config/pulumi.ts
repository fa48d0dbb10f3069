import * as pulumi from '@pulumi/pulumi';
import { existsSync, readFileSync } from 'node:fs';
import { isAbsolute, join } from 'node:path';
import { ConfigError } from './errors';
import { catalogFile } from './files';
import { loadPlatformConfig, type PlatformConfig } from './load';
import type { ProjectName } from './projects';
import { readSettings } from '../settings/load';
import { settingsFile } from '../settings/schema';

/** The repository root: Pulumi.yaml and services.yaml sit two folders above this file. */
export const repoRoot = join(__dirname, '..', '..');

/**
 * How an entry point hands a failure to Pulumi. A bad stack file is the user's mistake, not a
 * crash: as a RunError Pulumi prints the problem lines alone, without the stack trace it shows for
 * other errors.
 */
export function asPulumiFailure(error: unknown): never {
  if (error instanceof ConfigError) throw new pulumi.RunError(error.message);
  throw error;
}

/**
 * Where the repository root is, and so the catalog: the engine tells the program where its project is
 * (the offline engine too, so the plan can render a copy of the project), and the apps project sits in
 * infra/apps below the root; this checkout when nothing says.
 */
function catalogRoot(project: ProjectName): string {
  const root = pulumi.runtime.getRootDirectory();
  if (!isAbsolute(root)) return repoRoot;
  return project === 'apps' ? join(root, '..', '..') : root;
}

/**
 * Reads the running stack's config the way Pulumi hands it to the program (every `namespace:key` as
 * text) plus the service catalog, and validates both. Throws ConfigError with every problem found.
 */
export function readPlatformConfig(project: ProjectName = 'platform'): PlatformConfig {
  const root = catalogRoot(project);
  return loadPlatformConfig({
    stack: pulumi.getStack(),
    values: pulumi.runtime.allConfig(),
    catalogText: readFileSync(join(root, catalogFile), 'utf8'),
    // A copy of the project without slipway.yaml (a scratch render) relies on its stack files alone.
    settings: existsSync(join(root, settingsFile)) ? readSettings(root) : undefined,
    project,
    ...(project === 'platform' ? { platformProject: pulumi.getProject() } : {}),
  });
}
