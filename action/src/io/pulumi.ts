import { existsSync } from 'node:fs';
import { delimiter, dirname, join } from 'node:path';
import {
  LocalWorkspace,
  PulumiCommand,
  type ConfigMap,
  type EngineEvent,
  type OutputMap,
  type Stack,
} from '@pulumi/pulumi/automation';
import * as core from '@actions/core';
import { isStackLocked, lockHolder } from '../deploy/lock';
import { summarizeEvents, type ChangeSummary } from '../preview/change-summary';
import { grpcEventsVersion, streamIncompleteness, tailsEventFile } from '../preview/event-stream';
import type { ConfigEntry } from '../preview/change-set';
import { withRetry } from './retry';
import { run, tail } from './exec';
import { messageOf } from '../errors';
import { missingTool, ToolError } from '../tools/requirements';

export interface LockPolicy {
  retries: number;
  delayMs: number;
}

/**
 * The Pulumi CLI on PATH, the one the workflow installed at the pinned version (checked before the command
 * starts). Never downloaded here: an unpinned, unverified download is what the workflow step avoids.
 */
export async function pulumiCli(): Promise<PulumiCommand> {
  const onPath = (process.env.PATH ?? '')
    .split(delimiter)
    .filter(Boolean)
    .map((dir) => join(dir, 'pulumi'))
    .find((file) => existsSync(file));
  if (!onPath) throw new ToolError(missingTool('pulumi', 'this command'));
  const cli = await PulumiCommand.get({ root: dirname(dirname(onPath)) });
  const version = cli.version?.version ?? '0.0.0';
  if (tailsEventFile(version)) {
    core.warning(
      `Pulumi CLI ${version} hands engine events to the SDK through a file it polls, which can lose events under load; every run is cross-checked against the engine's summary and fails if events are missing, but install a CLI at ${grpcEventsVersion} or later (events over gRPC)`,
    );
  }
  return cli;
}

/**
 * Selects the stack; with a secrets provider (the bootstrap's KMS key) a stack that does not exist yet is
 * created with it, so a new environment needs only its Pulumi.<stack>.yaml and pipeline.yaml entry.
 */
export async function selectStack(
  workDir: string,
  stackName: string,
  cli: PulumiCommand,
  secretsProvider?: string,
): Promise<Stack> {
  if (secretsProvider)
    return LocalWorkspace.createOrSelectStack(
      { stackName, workDir },
      { pulumiCommand: cli, secretsProvider },
    );
  return LocalWorkspace.selectStack({ stackName, workDir }, { pulumiCommand: cli });
}

/**
 * Sets config values with `--path` semantics in one `pulumi config set-all`: a CLI start and a state read
 * per call, so one call per image would cost a pipeline of fifty services fifty of them.
 */
export async function setConfigPaths(stack: Stack, entries: readonly [string, string][]): Promise<void> {
  if (entries.length === 0) return;
  await stack.setAllConfig(Object.fromEntries(entries.map(([key, value]) => [key, { value }])), true);
}

/** The stack's whole config, secret values included (for the change set, which only hashes them). */
export async function configEntries(stack: Stack): Promise<ConfigEntry[]> {
  const config: ConfigMap = await stack.getAllConfig();
  return Object.entries(config).map(([key, entry]) => ({
    key,
    value: entry.value,
    secret: entry.secret ?? false,
  }));
}

/** Every secret value in the stack's config, to be masked in logs and removed from comments. */
export async function secretValues(stack: Stack): Promise<string[]> {
  const config: ConfigMap = await stack.getAllConfig();
  return Object.values(config)
    .filter((entry) => entry.secret)
    .map((entry) => entry.value);
}

/**
 * The stack's outputs as `pulumi stack output --json` prints them without --show-secrets: every secret,
 * at any depth, replaced by "[secret]". The SDK's own outputs only say whether a whole output is secret.
 */
export async function maskedOutputs(stack: Stack): Promise<Record<string, unknown>> {
  const result = await run(
    stack.workspace.pulumiCommand.command,
    ['stack', 'output', '--json', '--stack', stack.name],
    { cwd: stack.workspace.workDir },
  );
  if (result.code !== 0) {
    throw new Error(`pulumi stack output exited with ${result.code}: ${tail(result.stderr, 5)}`);
  }
  return JSON.parse(result.stdout) as Record<string, unknown>;
}

export interface EngineRun {
  summary: ChangeSummary;
  outputs?: OutputMap;
  /** Set when the engine failed; the summary then holds what happened before the failure. */
  error?: Error;
  /**
   * Set when the engine succeeded but its event stream was incomplete (no summary event, an unparseable
   * line, counts that differ from the summary): the summary may be partial and must not be reported or
   * approved as the whole plan.
   */
  incomplete?: string;
}

/** `pulumi preview` (with refresh for drift), progress streamed to the log, summary from engine events. */
export function preview(
  stack: Stack,
  options: { refresh: boolean; lock: LockPolicy; policyPacks?: string[] },
): Promise<EngineRun> {
  return engineRun('preview', options.lock, async (onEvent) => {
    await stack.preview({
      onEvent,
      onOutput: log,
      refresh: options.refresh,
      color: 'never',
      policyPacks: options.policyPacks,
    });
    return undefined;
  });
}

/** `pulumi up`, progress streamed to the log; returns the stack outputs. */
export function up(stack: Stack, options: { lock: LockPolicy; policyPacks?: string[] }): Promise<EngineRun> {
  return engineRun('up', options.lock, async (onEvent) => {
    const result = await stack.up({
      onEvent,
      onOutput: log,
      color: 'never',
      policyPacks: options.policyPacks,
    });
    return result.outputs;
  });
}

async function engineRun(
  step: string,
  lock: LockPolicy,
  operation: (onEvent: (event: EngineEvent) => void) => Promise<OutputMap | undefined>,
): Promise<EngineRun> {
  let events: EngineEvent[] = [];
  let parseFailures = 0;
  try {
    const outputs = await withRetry(
      () => {
        events = [];
        parseFailures = 0;
        return countingParseWarnings(
          () => operation((event) => events.push(event)),
          () => parseFailures++,
        );
      },
      {
        retries: lock.retries,
        delayMs: lock.delayMs,
        retryable: (error) => isStackLocked(messageOf(error)),
        onRetry: (error, attempt, waitMs) => {
          const holder = lockHolder(messageOf(error));
          core.warning(
            `The stack is locked by another update${holder ? ` (held by ${holder})` : ''}; ${step} retry ${attempt} of ${lock.retries} in ${Math.round(waitMs / 100) / 10}s`,
          );
        },
      },
    );
    const summary = summarizeEvents(events);
    const incomplete = streamIncompleteness(events, summary, parseFailures);
    return incomplete
      ? { summary, outputs, incomplete: `${step} finished but its report cannot be trusted: ${incomplete}` }
      : { summary, outputs };
  } catch (error) {
    const message = messageOf(error);
    const wrapped = isStackLocked(message)
      ? new Error(
          `the stack is still locked by another update${lockHolder(message) ? ` (held by ${lockHolder(message)})` : ''} after ${lock.retries} retries; wait for it to finish, or if it died run \`pulumi cancel\``,
        )
      : new Error(message);
    return { summary: summarizeEvents(events), error: wrapped };
  }
}

/**
 * The SDK drops an engine event line it cannot parse with only a `console.warn` ("Failed to parse engine
 * event"), in both its file and gRPC readers; counting those warnings is the one way to know one was lost.
 */
async function countingParseWarnings<T>(operation: () => Promise<T>, onFailure: () => void): Promise<T> {
  const original = console.warn;
  console.warn = (...args: unknown[]) => {
    if (args.some((arg) => typeof arg === 'string' && arg.includes('Failed to parse engine event')))
      onFailure();
    original(...args);
  };
  try {
    return await operation();
  } finally {
    console.warn = original;
  }
}

function log(text: string): void {
  process.stdout.write(text);
}
