import * as pulumi from '@pulumi/pulumi';
import { existsSync, readFileSync } from 'node:fs';
import { isAbsolute, join } from 'node:path';
import { catalogFile } from './files';
import { loadPlatformConfig, type PlatformConfig } from './load';
import { readSettings } from '../settings/load';
import { settingsFile } from '../settings/schema';

/** The repository root: Pulumi.yaml and services.yaml sit two folders above this file. */
export const repoRoot = join(__dirname, '..', '..');

/**
 * Where Pulumi.yaml is, and so the catalog: the engine tells the program (the offline engine too, so
 * the plan can render a copy of the project); this checkout when nothing does.
 */
function projectRoot(): string {
  const root = pulumi.runtime.getRootDirectory();
  return isAbsolute(root) ? root : repoRoot;
}

/**
 * Reads the running stack's config the way Pulumi hands it to the program (every `namespace:key` as
 * text) plus the service catalog, and validates both. Throws ConfigError with every problem found.
 */
export function readPlatformConfig(): PlatformConfig {
  const root = projectRoot();
  return loadPlatformConfig({
    stack: pulumi.getStack(),
    values: pulumi.runtime.allConfig(),
    catalogText: readFileSync(join(root, catalogFile), 'utf8'),
    // A copy of the project without slipway.yaml (a scratch render) relies on its stack files alone.
    settings: existsSync(join(root, settingsFile)) ? readSettings(root) : undefined,
  });
}
