import { cpSync, mkdtempSync, readdirSync, readFileSync, symlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { parse, stringify } from 'yaml';

const repoRoot = join(__dirname, '..');

// What rendering needs besides the project files: the program, the harness, the plan command, the policy
// pack it runs and the package that locks their dependencies.
const codePaths = [
  'package.json',
  'package-lock.json',
  'tsconfig.json',
  'infra',
  'offline',
  'plan',
  'policy',
];

/**
 * A temporary copy of both projects (Pulumi.yaml and every stack file at the root and in infra/apps,
 * services.yaml, slipway.yaml) to render with a
 * modified stack or catalog via `plan --project-dir`. With `withCode`, also the code and a link to
 * node_modules, so the copy is a checkout of its own (a git repository for `plan --base`, say).
 */
export function copyProject(options: { withCode?: boolean } = {}): string {
  const dir = mkdtempSync(join(tmpdir(), 'slipway-project-'));
  const projectFiles = readdirSync(repoRoot).filter(
    (f) => /^Pulumi(\.[^.]+)?\.yaml$/.test(f) || f === 'services.yaml' || f === 'slipway.yaml',
  );
  const appsFiles = readdirSync(join(repoRoot, 'infra', 'apps'))
    .filter((f) => /^Pulumi(\.[^.]+)?\.yaml$/.test(f))
    .map((f) => join('infra', 'apps', f));
  // With the code, infra/ (and so infra/apps/) is copied whole.
  const files = options.withCode ? [...projectFiles, ...codePaths] : [...projectFiles, ...appsFiles];
  for (const file of files) {
    cpSync(join(repoRoot, file), join(dir, file), { recursive: true });
  }
  if (options.withCode) symlinkSync(join(repoRoot, 'node_modules'), join(dir, 'node_modules'), 'dir');
  return dir;
}

/** Rewrites a YAML file (a stack file, the catalog) through `edit`, which changes the parsed document. */
export function editYaml(path: string, edit: (document: Record<string, unknown>) => void): void {
  const document = parse(readFileSync(path, 'utf8')) as Record<string, unknown>;
  edit(document);
  writeFileSync(path, stringify(document));
}
