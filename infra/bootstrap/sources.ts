import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { loadPipeline, PipelineError } from '../../action/src/pipeline/load';
import { ConfigError } from '../config/errors';
import { readSettings } from '../settings/load';
import type { BootstrapSources } from './config';

/**
 * slipway.yaml and pipeline.yaml of a checkout, validated: what the bootstrap derives its repository,
 * environments, reviewers and branches from. Problems in either are one ConfigError, a line each.
 */
export function readBootstrapSources(root: string): BootstrapSources {
  const settings = readSettings(root);
  try {
    const pipeline = loadPipeline(
      readFileSync(join(root, 'pipeline.yaml'), 'utf8'),
      'pipeline.yaml',
      settings,
    );
    return { settings, pipeline };
  } catch (error) {
    if (error instanceof PipelineError) throw new ConfigError(error.problems);
    throw error;
  }
}
