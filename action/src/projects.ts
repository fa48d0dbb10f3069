import { readFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { parse as parseYaml } from 'yaml';
import { InputError } from './inputs';
import { messageOf } from './errors';
import { projectDirs, type ProjectName as ProjectKind } from '../../infra/config/projects';

/**
 * The two Pulumi projects of an environment (docs/two-lifecycles.md, infra/config/projects.ts): the platform
 * at the root of the working directory and the apps in `infra/apps`, each with a stack per environment.
 */
export { projects as projectKinds, type ProjectName as ProjectKind } from '../../infra/config/projects';

export interface PulumiProject {
  kind: ProjectKind;
  /** Absolute path of the folder holding its Pulumi.yaml. */
  directory: string;
  /** The `name:` of its Pulumi.yaml: stacks, comments and drift issues are keyed by it. */
  name: string;
}

/** The project a preview, deploy or drift check acts on, read from its Pulumi.yaml. */
export function pulumiProject(root: string, kind: ProjectKind): PulumiProject {
  const directory = resolve(root, projectDirs[kind]);
  const file = join(projectDirs[kind], 'Pulumi.yaml');
  let data: unknown;
  try {
    data = parseYaml(readFileSync(join(directory, 'Pulumi.yaml'), 'utf8'));
  } catch (error) {
    throw new InputError(`input project: ${kind} needs ${file}, which cannot be read: ${messageOf(error)}`);
  }
  const name = (data as { name?: unknown } | null)?.name;
  if (typeof name !== 'string' || name === '') {
    throw new InputError(`input project: ${file} has no name: (the Pulumi project name)`);
  }
  return { kind, directory, name };
}
