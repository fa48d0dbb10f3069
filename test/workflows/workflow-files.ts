import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { parse } from 'yaml';

export const repoRoot = join(__dirname, '..', '..');

/** Every workflow this repository ships: the templates and its own CI. */
export const workflowPaths = [
  'workflows/pull-request.yml',
  'workflows/pull-request-comment.yml',
  'workflows/deploy.yml',
  'workflows/drift.yml',
  '.github/workflows/ci.yml',
];

export interface Step {
  id?: string;
  name?: string;
  if?: string;
  uses?: string;
  run?: string;
  with?: Record<string, string | number | boolean>;
  env?: Record<string, string>;
}

export interface Job {
  needs?: string | string[];
  if?: string;
  environment?: string | { name: string };
  concurrency?: string | { group: string; 'cancel-in-progress'?: boolean | string };
  permissions?: Record<string, string> | string;
  outputs?: Record<string, string>;
  strategy?: unknown;
  steps?: Step[];
}

export interface Workflow {
  name: string;
  on: Record<string, unknown> | string | string[];
  permissions?: Record<string, string> | string;
  env?: Record<string, string>;
  jobs: Record<string, Job>;
}

export interface WorkflowFile {
  path: string;
  text: string;
  workflow: Workflow;
}

/** The command a step gives the repository's own action (`uses: ./action`), or undefined for other steps. */
export const actionCommand = (step: Step): string | undefined =>
  step.uses === './action' ? String(step.with?.command ?? '') : undefined;

export function readWorkflow(path: string): WorkflowFile {
  const text = readFileSync(join(repoRoot, path), 'utf8');
  return { path, text, workflow: parse(text) as Workflow };
}

/** A deep copy to break on purpose, so each rule is shown to catch what it is about. */
export function mutated(
  file: WorkflowFile,
  change: (workflow: Workflow) => void,
  text?: string,
): WorkflowFile {
  const workflow = structuredClone(file.workflow);
  change(workflow);
  return { path: file.path, text: text ?? file.text, workflow };
}
