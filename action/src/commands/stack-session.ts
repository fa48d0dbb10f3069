import { existsSync } from 'node:fs';
import { join, resolve } from 'node:path';
import * as core from '@actions/core';
import { InputError } from '../inputs';
import type { Stack } from '@pulumi/pulumi/automation';
import type { ActionContext } from '../context';
import { pulumiCli, secretValues, selectStack, setConfigPaths, type LockPolicy } from '../io/pulumi';
import type { ChangeSummary } from '../preview/change-summary';
import { configPathEntries } from '../preview/config-paths';
import { pulumiProject } from '../projects';
import { maskSecret } from '../io/mask';
import { imagesInput } from '../images/references';

export interface StackSession {
  stack: Stack;
  /** Secret config values, already masked in the log. */
  secrets: string[];
}

/** Selects the project's stack with the CLI on PATH and masks every secret in its config before anything is logged. */
export async function openStack(ctx: ActionContext, stackName: string): Promise<StackSession> {
  // Only a deploy creates a missing stack; a preview or drift check of a stack that is not there is an error.
  const secretsProvider = ctx.inputs.command === 'deploy' ? ctx.inputs.secretsProvider : undefined;
  const { directory } = pulumiProject(ctx.root, ctx.inputs.project);
  const stack = await selectStack(directory, stackName, await pulumiCli(), secretsProvider);
  const secrets = await secretValues(stack);
  secrets.forEach(maskSecret);
  return { stack, secrets };
}

/** The apps stack's output recording the digest each service runs (infra/apps/images.ts). */
export const runningDigestsOutput = 'appsImageDigests';

/**
 * The digest this run passes for each service of the images input (`<repository>@sha256:…` as push
 * outputs it, or the bare digest). Images go to the apps only: the platform runs none, so images for it are
 * an input error, as are a service pipeline.yaml does not build and a reference that is not by digest.
 */
export function passedDigests(ctx: ActionContext): Record<string, string> {
  if (Object.keys(ctx.inputs.images).length === 0) return {};
  if (ctx.inputs.project !== 'apps') {
    throw new InputError(
      `input images: the ${ctx.inputs.project} project runs no images; pass them to the apps project (project: apps)`,
    );
  }
  return Object.fromEntries(imagesInput(ctx).map(({ service, digest }) => [service, digest]));
}

/**
 * Writes the passed digests into the runner's copy of the apps stack file (`slipway:images`, never
 * committed); services not passed keep what the stack runs. Returns the digests the passed services ran
 * before, from the stack's outputs, so a failed deploy can roll back to them.
 */
export async function applyImageDigests(
  stack: Stack,
  passed: Record<string, string>,
): Promise<Record<string, string>> {
  if (Object.keys(passed).length === 0) return {};
  const running = await runningDigests(stack);
  const previous = Object.fromEntries(
    Object.keys(passed)
      .filter((service) => running[service] !== undefined)
      .map((service) => [service, running[service] as string]),
  );
  await setConfigPaths(stack, configPathEntries(imagesKey, passed));
  return previous;
}

export async function restoreImageDigests(stack: Stack, previous: Record<string, string>): Promise<void> {
  await setConfigPaths(stack, configPathEntries(imagesKey, previous));
}

const imagesKey = 'slipway:images';

/** What the stack's last update recorded; nothing for a stack never deployed. */
async function runningDigests(stack: Stack): Promise<Record<string, string>> {
  const recorded = (await stack.outputs())[runningDigestsOutput]?.value;
  if (recorded === null || typeof recorded !== 'object') return {};
  return Object.fromEntries(
    Object.entries(recorded as Record<string, unknown>).filter(
      (entry): entry is [string, string] => typeof entry[1] === 'string',
    ),
  );
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
