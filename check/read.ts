import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { parse as parseYaml } from 'yaml';
import { pipelineSchema } from '../action/src/pipeline/schema';
import { ConfigError } from '../infra/config/errors';
import { readSettings } from '../infra/settings/load';
import type { Repository, StackFile, WorkflowFile } from './checks';
import { catalogServices } from '../action/src/pipeline/catalog';
import { catalogFile } from '../infra/config/files';

/** Where workflow files live: the templates, and a repository's own copies of them. */
const workflowDirs = ['workflows', join('.github', 'workflows')];

/**
 * Reads the files the check compares from a checkout. A file that does not parse or validate on its own is a
 * ConfigError, one line per problem: the cross-file check needs each file sound first.
 */
export function readRepository(root: string): Repository {
  const settings = readSettings(root);
  const pipelineText = readText(root, 'pipeline.yaml');
  const parsed = pipelineSchema.safeParse(parseYamlFile('pipeline.yaml', pipelineText));
  if (!parsed.success)
    throw new ConfigError(
      parsed.error.issues.map(
        (issue) => `pipeline.yaml: ${issue.path.join('.') || '(root)'}: ${issue.message}`,
      ),
    );
  const stackFiles: StackFile[] = readdirSync(root)
    .map((file) => /^Pulumi\.([\w-]+)\.yaml$/.exec(file))
    .filter((match): match is RegExpExecArray => match !== null)
    .map(([file, stack = '']) => {
      const document = parseYamlFile(file, readText(root, file)) as {
        config?: Record<string, unknown>;
      } | null;
      const region = document?.config?.['aws:region'];
      return { stack, ...(typeof region === 'string' ? { region } : {}) };
    });
  const workflows: WorkflowFile[] = workflowDirs
    .filter((dir) => existsSync(join(root, dir)))
    .flatMap((dir) =>
      readdirSync(join(root, dir))
        .filter((file) => /\.ya?ml$/.test(file))
        .map((file) => {
          const path = join(dir, file);
          return { path, document: parseYamlFile(path, readText(root, path)) };
        }),
    );
  let services: string[];
  try {
    services = catalogServices(readText(root, catalogFile));
  } catch (error) {
    throw new ConfigError([(error as Error).message]);
  }
  return { settings, pipeline: parsed.data, stackFiles, workflows, catalogServices: services };
}

function readText(root: string, file: string): string {
  try {
    return readFileSync(join(root, file), 'utf8');
  } catch {
    throw new ConfigError([`${file}: not found in ${root}`]);
  }
}

function parseYamlFile(file: string, text: string): unknown {
  try {
    return parseYaml(text);
  } catch (error) {
    throw new ConfigError([`${file}: not valid YAML: ${(error as Error).message.split('\n')[0]}`]);
  }
}
