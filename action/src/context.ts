import { existsSync, readFileSync } from 'node:fs';
import { dirname, resolve } from 'node:path';
import * as github from '@actions/github';
import { createOctokit, type Octokit } from './io/github';
import type { Repo } from './io/repo';
import { InputError, type Inputs } from './inputs';
import { loadPipeline, PipelineError } from './pipeline/load';
import type { Pipeline, PipelineEnvironment, ServiceBuild } from './pipeline/schema';
import { messageOf } from './errors';
import { ConfigError } from '../../infra/config/errors';
import { loadSettings } from '../../infra/settings/load';
import { settingsFile, type Settings } from '../../infra/settings/schema';
import { catalogFile } from '../../infra/config/files';
import { catalogServices } from './pipeline/catalog';
import { publishingOf, type Publishing } from './images/publishing';
import { stackName } from './pipeline/stacks';

/** Everything a command needs: validated inputs, pipeline.yaml, the triggering event, the GitHub client. */
export interface ActionContext {
  inputs: Inputs;
  root: string;
  pipeline: Pipeline;
  eventName: string;
  ref: string;
  sha: string;
  payload: typeof github.context.payload;
  repo: Repo;
  runUrl: string;
  /** GITHUB_SERVER_URL: `https://github.com`, or a GitHub Enterprise Server's. */
  serverUrl: string;
  /** The image tag: the image-tag input, or the commit SHA. */
  imageTag: string;
  github: () => Octokit;
}

/**
 * The runner variables every command reads: the branch or tag (which environments a run reaches) and the
 * commit (image tag, comments, deployments). Each one missing is one line saying which and why.
 */
const requiredVariables = {
  GITHUB_REF: 'the branch or tag that started the run, e.g. refs/heads/main',
  GITHUB_SHA: 'the commit the run builds and deploys',
} as const;

/** A runner variable the action needs is missing: the action ran outside a GitHub Actions job. */
export class ContextError extends Error {}

export function missingVariables(env: NodeJS.ProcessEnv): string[] {
  return Object.entries(requiredVariables)
    .filter(([name]) => !env[name])
    .map(
      ([name, what]) =>
        `${name} is not set: it names ${what}; GitHub Actions sets it in every job (set it yourself to run the action elsewhere)`,
    );
}

export function loadContext(inputs: Inputs): ActionContext {
  const missing = missingVariables(process.env);
  if (missing.length > 0) throw new ContextError(missing.join('\n'));
  const root = resolve(inputs.workingDirectory);
  let text: string;
  try {
    text = readFileSync(resolve(root, inputs.config), 'utf8');
  } catch (error) {
    throw new PipelineError([`${inputs.config}: cannot be read: ${messageOf(error)}`]);
  }
  const pipelinePath = resolve(root, inputs.config);
  const pipeline = loadPipeline(
    text,
    inputs.config,
    readSettingsBeside(pipelinePath),
    readCatalogBeside(pipelinePath),
  );
  const ctx = github.context;
  const [owner = '', repo = ''] = (process.env.GITHUB_REPOSITORY ?? '').split('/');
  let client: Octokit | undefined;
  return {
    inputs,
    root,
    pipeline,
    eventName: ctx.eventName,
    ref: ctx.ref,
    sha: ctx.sha,
    payload: ctx.payload,
    repo: { owner, repo },
    runUrl: `${ctx.serverUrl}/${owner}/${repo}/actions/runs/${ctx.runId}`,
    serverUrl: ctx.serverUrl,
    imageTag: inputs.imageTag ?? ctx.sha,
    github: () => (client ??= createOctokit(inputs.githubToken)),
  };
}

/**
 * slipway.yaml beside pipeline.yaml, when there is one: it supplies the roles and regions pipeline.yaml
 * leaves out. A broken one is a pipeline error, one line per problem like pipeline.yaml's own.
 */
function readSettingsBeside(pipelinePath: string): Settings | undefined {
  const path = resolve(dirname(pipelinePath), settingsFile);
  if (!existsSync(path)) return undefined;
  try {
    return loadSettings(readFileSync(path, 'utf8'));
  } catch (error) {
    if (error instanceof ConfigError) throw new PipelineError(error.problems);
    throw error;
  }
}

/**
 * The catalog's service names from services.yaml beside pipeline.yaml, when there is one: pipeline.yaml must
 * build exactly those. A repository with no catalog there (the action used on its own) has nothing to match.
 */
function readCatalogBeside(pipelinePath: string): string[] | undefined {
  const path = resolve(dirname(pipelinePath), catalogFile);
  if (!existsSync(path)) return undefined;
  try {
    return catalogServices(readFileSync(path, 'utf8'));
  } catch (error) {
    throw new PipelineError([messageOf(error)]);
  }
}

/** The environment named by the `environment` input; commands that act on a stack need one. */
export function targetEnvironment(ctx: ActionContext): {
  name: string;
  environment: PipelineEnvironment;
  stack: string;
} {
  const name = ctx.inputs.environment;
  if (!name) throw new InputError(`input environment: required for ${ctx.inputs.command}`);
  const environment = environmentNamed(ctx, name);
  return { name, environment, stack: ctx.inputs.stack ?? environment.stack };
}

/** The environment of pipeline.yaml named by the environment input; an unknown name is an input error. */
export function environmentNamed(ctx: ActionContext, name: string): PipelineEnvironment {
  const environment = ctx.pipeline.environments[name];
  if (!environment) {
    throw new InputError(
      `input environment: ${ctx.inputs.config} has no environment named ${name} (known: ${Object.keys(ctx.pipeline.environments).join(', ')})`,
    );
  }
  return environment;
}

/** The services to act on: the services input, or every service in pipeline.yaml. */
export function selectedServices(ctx: ActionContext): [string, ServiceBuild][] {
  const all = Object.entries(ctx.pipeline.services);
  if (!ctx.inputs.services) return all;
  const unknown = ctx.inputs.services.filter((name) => !(name in ctx.pipeline.services));
  if (unknown.length > 0) {
    throw new InputError(
      `input services: ${unknown.join(', ')} not in ${ctx.inputs.config} (known: ${all.map(([n]) => n).join(', ')})`,
    );
  }
  return all.filter(([name]) => ctx.inputs.services?.includes(name));
}

/**
 * The ECR repository of a service in an environment, as the platform creates it: one per service and stack,
 * `<project>-<stack>/<service>` (the stack's last segment, as `pulumi.getStack()` names it).
 */
export function repositoryOf(pipeline: Pipeline, environmentName: string, service: string): string {
  return `${pipeline.project}-${stackName(pipeline.environments[environmentName]?.stack ?? environmentName)}/${service}`;
}

/**
 * The environments whose repositories receive the images, in promotion order: the environments input
 * (resolve's output), else the environment input alone. The first gets the build; the rest get copies.
 */
export function deliveryEnvironments(ctx: ActionContext): string[] {
  const names = ctx.inputs.environments ?? (ctx.inputs.environment ? [ctx.inputs.environment] : []);
  if (names.length === 0) {
    throw new InputError(
      `input environments: required for ${ctx.inputs.command} when push is true (resolve's environments output)`,
    );
  }
  const unknown = names.filter((name) => !(name in ctx.pipeline.environments));
  if (unknown.length > 0) {
    throw new InputError(
      `input environments: ${ctx.inputs.config} has no environment named ${unknown.join(', ')} (known: ${Object.keys(ctx.pipeline.environments).join(', ')})`,
    );
  }
  return names;
}

/** Who writes which repository for this push: the publish role its home and copies, gated stacks' own jobs the rest. */
export const publishing = (ctx: ActionContext): Publishing =>
  publishingOf(ctx.pipeline, deliveryEnvironments(ctx), ctx.inputs.config);
