import * as core from '@actions/core';
import { z } from 'zod';
import { projectKinds, type ProjectKind } from './projects';

export const commands = [
  'resolve',
  'build',
  'scan',
  'push',
  'preview',
  'deploy',
  'drift',
  'offline-comment',
] as const;
export type Command = (typeof commands)[number];

export interface Inputs {
  command: Command;
  config: string;
  environment?: string;
  /** The environments a push reaches, in promotion order (resolve's environments output). */
  environments?: string[];
  /** false: build and scan a local image only, with no registry (pull requests, forks without credentials). */
  push: boolean;
  stack?: string;
  githubToken: string;
  imageTag?: string;
  workingDirectory: string;
  services?: string[];
  images: Record<string, string>;
  expectedChangeSet?: string;
  allowChangeSetDrift: boolean;
  expectNoChanges: boolean;
  lockRetries: number;
  lockRetryDelayMs: number;
  comment: boolean;
  sarifFile: string;
  /** The bootstrap's secretsProvider output: preview and deploy create a missing stack with it. */
  secretsProvider?: string;
  /** push: only the inputs-<digest> tag of what this job built (a build job of the fan-out). */
  stage: boolean;
  /** Where offline-comment finds the downloaded offline-plan-* artifacts. */
  plansDirectory: string;
  /** The policy pack folder preview and deploy pass to the engine; undefined runs none. */
  policyPack?: string;
  /** Which project preview, deploy and drift act on: the apps (services) or the platform; drift also the bootstrap. */
  project: ProjectKind;
  /** The workflow whose build provenance an image must carry to be reused, promoted or deployed. */
  provenanceWorkflow: string;
}

const pullRequestEvents = new Set(['pull_request', 'pull_request_target']);

/** Raised for a bad input: names the input and what it expects. */
export class InputError extends Error {
  override name = 'InputError';
}

const optional = (name: string) => core.getInput(name).trim() || undefined;

/** Reads and validates the action's inputs (INPUT_* variables) in one place. */
export function readInputs(eventName: string): Inputs {
  const command = core.getInput('command', { required: true }).trim();
  if (!(commands as readonly string[]).includes(command)) {
    throw new InputError(`input command: must be one of ${commands.join(', ')} (got "${command}")`);
  }
  const githubToken = core.getInput('github-token');
  // The runner masks its own token, not one a workflow builds or reads from a file.
  if (githubToken) core.setSecret(githubToken);
  const imageTag = optional('image-tag');
  if (imageTag !== undefined && (!/^[\w][\w.-]{0,127}$/.test(imageTag) || imageTag === 'latest')) {
    throw new InputError('input image-tag: must be a Docker tag other than latest');
  }
  return {
    command: command as Command,
    config: core.getInput('config').trim() || 'pipeline.yaml',
    environment: optional('environment'),
    environments: optional('environments')
      ? jsonInput('environments', z.array(z.string()).min(1, 'must name at least one environment'), [])
      : undefined,
    // A pull request's code never reaches the registry unless a workflow asks for it explicitly.
    push: core.getInput('push').trim() === '' ? !pullRequestEvents.has(eventName) : booleanInput('push'),
    stack: optional('stack'),
    githubToken,
    imageTag,
    workingDirectory: core.getInput('working-directory').trim() || '.',
    services: optional('services')
      ?.split(',')
      .map((s) => s.trim())
      .filter(Boolean),
    images: jsonInput('images', z.record(z.string(), z.string()), {}),
    expectedChangeSet: optional('expected-change-set'),
    allowChangeSetDrift: booleanInput('allow-change-set-drift'),
    expectNoChanges: booleanInput('expect-no-changes'),
    lockRetries: numberInput('lock-retries', 6),
    lockRetryDelayMs: numberInput('lock-retry-delay', 10) * 1000,
    comment: core.getInput('comment').trim() === '' ? true : booleanInput('comment'),
    sarifFile: core.getInput('sarif-file').trim() || 'trivy-results.sarif',
    secretsProvider: optional('secrets-provider'),
    stage: booleanInput('stage'),
    plansDirectory: core.getInput('plans-directory').trim() || 'plans',
    policyPack: policyPackInput(core.getInput('policy-pack').trim()),
    project: projectInput(core.getInput('project').trim() || 'apps', command),
    provenanceWorkflow: workflowPath(
      core.getInput('provenance-workflow').trim() || defaultProvenanceWorkflow,
    ),
  };
}

const defaultProvenanceWorkflow = '.github/workflows/deploy.yml';

/** A workflow file of this repository, the form a signing workflow's identity names it by. */
function workflowPath(path: string): string {
  if (!/^\.github\/workflows\/[\w.-]+\.ya?ml$/.test(path))
    throw new InputError(
      `input provenance-workflow: must be a workflow file such as ${defaultProvenanceWorkflow} (got "${path}")`,
    );
  return path;
}

function projectInput(text: string, command: string): ProjectKind {
  if (!(projectKinds as readonly string[]).includes(text))
    throw new InputError(`input project: must be one of ${projectKinds.join(', ')} (got "${text}")`);
  // The bootstrap is applied by hand with administrator credentials; the pipeline only checks it for drift.
  if (text === 'bootstrap' && command !== 'drift')
    throw new InputError(
      `input project: bootstrap is only checked for drift (command: drift), never ${command}: its \`pulumi up\` is run by hand with administrator credentials (docs/guides/first-deploy.md)`,
    );
  return text as ProjectKind;
}

function booleanInput(name: string): boolean {
  const text = core.getInput(name).trim().toLowerCase();
  if (text === '' || text === 'false') return false;
  if (text === 'true') return true;
  throw new InputError(`input ${name}: must be true or false (got "${text}")`);
}

function numberInput(name: string, fallback: number): number {
  const text = core.getInput(name).trim();
  if (text === '') return fallback;
  const value = Number(text);
  if (!Number.isFinite(value) || value < 0)
    throw new InputError(`input ${name}: must be a non-negative number`);
  return value;
}

function jsonInput<T>(name: string, schema: z.ZodType<T>, fallback: T): T {
  const text = core.getInput(name).trim();
  if (text === '') return fallback;
  let data: unknown;
  try {
    data = JSON.parse(text);
  } catch {
    throw new InputError(`input ${name}: must be JSON`);
  }
  const parsed = schema.safeParse(data);
  if (!parsed.success) throw new InputError(`input ${name}: ${parsed.error.issues[0]?.message ?? 'invalid'}`);
  return parsed.data;
}

/** `policy-pack`: a folder (default `policy`), or `none` to run the engine without a pack. */
function policyPackInput(value: string): string | undefined {
  if (value === 'none') return undefined;
  return value || 'policy';
}
