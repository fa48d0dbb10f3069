import { join, resolve } from 'node:path';
import { parseArgs } from 'node:util';
import { projects, type ProjectName } from '../infra/config/projects';
import { UsageError } from './errors';

export const formats = ['text', 'json', 'markdown'] as const;
export type Format = (typeof formats)[number];

export interface PlanOptions {
  stack: string;
  /** Which project's stack: the platform (root) or the apps (infra/apps, against the platform's outputs). */
  project: ProjectName;
  format: Format;
  /** Folder to write resources.json, manifests/ and plan.md to (absolute). */
  out?: string;
  /** Git revision to diff against. */
  base?: string;
  /** The repository root: Pulumi.yaml, the stack files, services.yaml and infra/apps/ (absolute). */
  projectDir: string;
  help: boolean;
}

export const usage = `Usage: npm run plan -- --stack <name> [--project platform|apps] [--format text|json|markdown] [--out <dir>]
                     [--base <git-ref>] [--project-dir <dir> | --example <name>]

Renders a stack offline: the real Pulumi program under mocks, no cloud, no Pulumi CLI, no credentials.

  --stack <name>        the stack to render (reads Pulumi.<name>.yaml)
  --project <project>   platform (default: the root project) or apps (infra/apps/Pulumi.<name>.yaml,
                        rendered against the outputs of the platform stack of the same name)
  --format <format>     text (default), json or markdown, printed on stdout
  --out <dir>           also write resources.json, manifests/ and plan.md there
  --base <git-ref>      render the stack at that revision too and print what changes
  --project-dir <dir>   where Pulumi.yaml, the stack files and services.yaml are (default: this checkout)
  --example <name>      render examples/<name> (ecommerce, roboshop, flask-umbrella) instead
  -h, --help            this text

Exit codes: 0 rendered (with --base: nothing changes), 2 with --base: something changes, 1 error.`;

const stackPattern = /^[A-Za-z0-9][\w.-]*$/;
// A ref is handed to git as one argument, never through a shell; refusing a leading dash keeps git from
// reading it as an option.
const refPattern = /^[^-\s][^\s]*$/;
// An example is a folder name under examples/: no path separators, no way out of the folder.
const examplePattern = /^[a-z][a-z0-9-]*$/;

export function parsePlanArgs(argv: string[], defaultProjectDir: string, cwd = process.cwd()): PlanOptions {
  let values;
  try {
    ({ values } = parseArgs({
      args: argv,
      strict: true,
      allowPositionals: false,
      options: {
        stack: { type: 'string' },
        project: { type: 'string', default: 'platform' },
        format: { type: 'string', default: 'text' },
        out: { type: 'string' },
        base: { type: 'string' },
        'project-dir': { type: 'string' },
        example: { type: 'string' },
        help: { type: 'boolean', short: 'h', default: false },
      },
    }));
  } catch (error) {
    throw new UsageError((error as Error).message);
  }
  if (values.help) {
    return { stack: '', project: 'platform', format: 'text', projectDir: defaultProjectDir, help: true };
  }

  if (values.stack === undefined) throw new UsageError('--stack is required');
  if (!stackPattern.test(values.stack))
    throw new UsageError(`--stack: "${values.stack}" is not a stack name`);
  const project = values.project as ProjectName;
  if (!projects.includes(project)) {
    throw new UsageError(`--project: "${values.project}" is not one of ${projects.join(', ')}`);
  }
  const format = values.format as Format;
  if (!formats.includes(format)) {
    throw new UsageError(`--format: "${values.format}" is not one of ${formats.join(', ')}`);
  }
  if (values.base !== undefined && !refPattern.test(values.base)) {
    throw new UsageError(`--base: "${values.base}" is not a git revision`);
  }
  if (values.out === '') throw new UsageError('--out: needs a folder');
  if (values.example !== undefined) {
    if (values['project-dir'] !== undefined) {
      throw new UsageError('--example and --project-dir: give one or the other');
    }
    if (!examplePattern.test(values.example)) {
      throw new UsageError(`--example: "${values.example}" is not an example name`);
    }
  }
  const projectDir =
    values.example !== undefined
      ? join(defaultProjectDir, 'examples', values.example)
      : values['project-dir'] === undefined
        ? defaultProjectDir
        : resolve(cwd, values['project-dir']);
  return {
    stack: values.stack,
    project,
    format,
    out: values.out === undefined ? undefined : resolve(cwd, values.out),
    base: values.base,
    projectDir,
    help: false,
  };
}
