import { readFileSync, readdirSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { parse as parseYaml } from 'yaml';
import { InputError } from './inputs';
import { messageOf } from './errors';
import {
  projectDirs as programDirs,
  projects as programs,
  type ProjectName,
} from '../../infra/config/projects';

/**
 * The two Pulumi projects of an environment (docs/two-lifecycles.md, infra/config/projects.ts): the platform
 * at the root of the working directory and the apps in `infra/apps`, each with a stack per environment.
 */
export { programs as programKinds };

/**
 * What the project input names: either lifecycle's project, or the bootstrap (`infra/bootstrap`), which
 * the pipeline only checks for drift: it is applied by hand with administrator credentials, and its one
 * stack belongs to no environment.
 */
export const projectKinds = [...programs, 'bootstrap'] as const;
export type ProjectKind = ProjectName | 'bootstrap';

const projectDirs: Record<ProjectKind, string> = { ...programDirs, bootstrap: 'infra/bootstrap' };

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
    throw new InputError(`input project: ${file} names no Pulumi project (its name key is missing or empty)`);
  }
  return { kind, directory, name };
}

/**
 * The bootstrap's one stack: the name of its one stack file (`infra/bootstrap/Pulumi.<stack>.yaml`, one per
 * account the checkout sets up), so no workflow names it.
 */
export function bootstrapStack(root: string): string {
  const dir = projectDirs.bootstrap;
  const stacks = readdirSync(resolve(root, dir))
    .map((file) => /^Pulumi\.([\w.-]+)\.yaml$/.exec(file)?.[1])
    .filter((stack): stack is string => stack !== undefined);
  if (stacks.length !== 1) {
    throw new InputError(
      `input project: bootstrap needs exactly one stack file ${dir}/Pulumi.<stack>.yaml (found ${stacks.length ? stacks.join(', ') : 'none'}); set the stack input to choose one`,
    );
  }
  return stacks[0] as string;
}
