import { existsSync } from 'node:fs';
import { join, resolve } from 'node:path';
import * as core from '@actions/core';
import { InputError } from '../inputs';
import type { Stack } from '@pulumi/pulumi/automation';
import type { ActionContext } from '../context';
import {
  configValue,
  pulumiCli,
  secretValues,
  selectStack,
  setConfigPaths,
  type LockPolicy,
} from '../io/pulumi';
import type { ChangeSummary } from '../preview/change-summary';
import { configPathEntries, imageTagKey } from '../preview/config-paths';
import { maskSecret } from '../io/mask';

export interface StackSession {
  stack: Stack;
  /** Secret config values, already masked in the log. */
  secrets: string[];
}

/** Selects the stack with the CLI on PATH and masks every secret in its config before anything is logged. */
export async function openStack(ctx: ActionContext, stackName: string): Promise<StackSession> {
  // Only a deploy creates a missing stack; a preview or drift check of a stack that is not there is an error.
  const secretsProvider = ctx.inputs.command === 'deploy' ? ctx.inputs.secretsProvider : undefined;
  const stack = await selectStack(ctx.root, stackName, await pulumiCli(), secretsProvider);
  const secrets = await secretValues(stack);
  secrets.forEach(maskSecret);
  return { stack, secrets };
}

/**
 * The services whose image tag this run sets: those in the images input, or every service when image-tag
 * is given explicitly. Otherwise the stack keeps the tags it has (a pull request preview builds nothing).
 */
export function servicesToTag(ctx: ActionContext): string[] {
  if (Object.keys(ctx.inputs.images).length > 0) return Object.keys(ctx.inputs.images);
  return ctx.inputs.imageTag ? Object.keys(ctx.pipeline.services) : [];
}

/** Sets each service's image tag by nested path; returns the tags they had before (for rollback). */
export async function applyImageTags(ctx: ActionContext, stack: Stack): Promise<Record<string, string>> {
  const previous: Record<string, string> = {};
  const tags: Record<string, { imageTag: string }> = {};
  for (const service of servicesToTag(ctx)) {
    const before = await configValue(stack, imageTagKey(service));
    if (before !== undefined) previous[service] = before;
    tags[service] = { imageTag: ctx.imageTag };
  }
  await setConfigPaths(stack, configPathEntries('slipway:services', tags));
  return previous;
}

export async function restoreImageTags(stack: Stack, previous: Record<string, string>): Promise<void> {
  const tags = Object.fromEntries(
    Object.entries(previous).map(([service, imageTag]) => [service, { imageTag }]),
  );
  await setConfigPaths(stack, configPathEntries('slipway:services', tags));
}

/**
 * The policy pack folder to hand the engine (`--policy-pack`), as a list for the SDK. The default folder
 * missing means the project has no pack; a folder named in the input and missing is an input error.
 */
export function policyPacks(ctx: ActionContext): string[] {
  const folder = ctx.inputs.policyPack;
  if (folder === undefined) return [];
  const path = resolve(ctx.root, folder);
  if (existsSync(join(path, 'PulumiPolicy.yaml'))) return [path];
  if (core.getInput('policy-pack').trim() === '') {
    core.info(`No policy pack at ${folder}/ (no PulumiPolicy.yaml): the engine runs without policies`);
    return [];
  }
  throw new InputError(
    `input policy-pack: ${folder} has no PulumiPolicy.yaml (set policy-pack: none to run without a pack)`,
  );
}

export function lockPolicy(ctx: ActionContext): LockPolicy {
  return { retries: ctx.inputs.lockRetries, delayMs: ctx.inputs.lockRetryDelayMs };
}

/** The change outputs shared by preview, deploy and drift. */
export function setChangeOutputs(summary: ChangeSummary, changeSet: string | undefined): void {
  core.setOutput('changes', JSON.stringify(summary.counts));
  core.setOutput('has-changes', String(summary.hasChanges));
  for (const op of ['create', 'update', 'delete', 'replace', 'same'] as const) {
    core.setOutput(`${op}-count`, String(summary.counts[op] ?? 0));
  }
  if (changeSet !== undefined) core.setOutput('change-set', changeSet);
}
