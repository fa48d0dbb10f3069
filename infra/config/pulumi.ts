import * as pulumi from '@pulumi/pulumi';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { catalogFile } from './files';
import { loadPlatformConfig, type PlatformConfig } from './load';

/** The repository root: Pulumi.yaml and services.yaml sit two folders above this file. */
export const repoRoot = join(__dirname, '..', '..');

/**
 * Reads the running stack's config the way Pulumi hands it to the program (every `namespace:key` as
 * text) plus the service catalog, and validates both. Throws ConfigError with every problem found.
 */
export function readPlatformConfig(): PlatformConfig {
  return loadPlatformConfig({
    stack: pulumi.getStack(),
    values: pulumi.runtime.allConfig(),
    catalogText: readFileSync(join(repoRoot, catalogFile), 'utf8'),
  });
}
