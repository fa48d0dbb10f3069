import { pipelineEnvironments, platformEnvironmentName } from './role-names';
import {
  environmentsByStack,
  sharedStackProblems,
  stackName,
  stackOf,
} from '../../action/src/pipeline/stacks';
import { z } from 'zod';
import type { Pipeline } from '../../action/src/pipeline/schema';
import { ConfigError, keyPath } from '../config/errors';
import { stackFileName } from '../config/files';
import { environmentOf } from '../settings/derive';
import { settingsFile, type Reviewers, type Settings } from '../settings/schema';

export const bootstrapNamespace = 'slipway-bootstrap';

// The OIDC `sub` claim is compared exactly, so names are kept to what GitHub writes there unescaped.
const environmentName = z
  .string()
  .regex(/^[a-z][a-z0-9-]*$/, 'must be lower-case letters, digits and dashes');
const region = z.string().regex(/^[a-z]{2}(-[a-z]+)+-\d$/, 'must be an AWS region such as eu-west-1');
const branch = z.string().regex(/^[A-Za-z0-9._/*-]+$/, 'must be a branch name or glob');

/** A stack the pipeline deploys, with the GitHub environments whose jobs deploy it. */
const stackSchema = z.strictObject({
  region,
  /** The AWS account the stack runs in (slipway.yaml): its roles, key and state are made by that account's bootstrap. */
  account: z.string().regex(/^\d{12}$/, 'must be a 12-digit AWS account ID'),
  /** Whether any environment deploys the stack with approval: then pull requests may not preview it. */
  approval: z.boolean().default(false),
  /**
   * pipeline.yaml's environments that deploy the stack: each is a GitHub environment whose jobs the stack's
   * apps role trusts (and `platform-<name>` the platform role). One, named as the stack, unless several
   * environments share it with different approval and branch rules.
   */
  environments: z.array(environmentName).min(1),
  /**
   * For a gated stack, the stacks its environments promote from (pipeline.yaml's promoteFrom): its deploy
   * job copies their images into its own repositories, which nothing else writes.
   */
  promoteFrom: z.array(environmentName).default([]),
});

const bootstrapSchema = z
  .object({
    region,
    repository: z.string().regex(/^[A-Za-z0-9_.-]+\/[A-Za-z0-9_.-]+$/, 'must be owner/repo'),
    project: z.string().regex(/^[a-z][a-z0-9-]*$/, 'must be lower-case letters, digits and dashes'),
    /** By stack name: its roles, boundaries and secrets key are named by it. */
    stacks: z
      .record(environmentName, stackSchema)
      .refine((stacks) => Object.keys(stacks).length > 0, 'must name at least one environment'),
    /** Stacks a pull request's own code may preview with AWS credentials; the rest get the offline plan. */
    previewEnvironments: z.array(environmentName).optional(),
    publishBranches: z.array(branch).min(1),
    defaultBranch: branch.refine((name) => !name.includes('*'), 'must be one branch, not a glob'),
    noncurrentVersionDays: z.number().int().min(1).default(90),
  })
  .strict()
  .superRefine((config, ctx) => {
    config.previewEnvironments?.forEach((name, index) => {
      if (!(name in config.stacks))
        ctx.addIssue({
          code: 'custom',
          path: ['previewEnvironments', index],
          message: `${name} is not a stack pipeline.yaml deploys (${Object.keys(config.stacks).join(', ')})`,
        });
    });
  });

/** What the GitHub side of the bootstrap needs per GitHub environment, from slipway.yaml and pipeline.yaml. */
export interface GitHubEnvironmentSettings {
  /** Who approves a deploy (the stack's reviewers); present exactly when pipeline.yaml gates the environment. */
  reviewers?: Reviewers;
  /** Branch globs whose pushes deploy here: pipeline.yaml's branch rules, in their order. */
  deployBranches: string[];
}

export type BootstrapConfig = z.infer<typeof bootstrapSchema> & {
  /**
   * slipway.yaml's aws.account, the home account: its bootstrap also makes what the whole repository shares
   * (the publish role, the repository's variables, the read and publish GitHub environments, the ruleset).
   */
  accountId: string;
  /**
   * slipway.yaml's platform.adminRoleArn: the people's break-glass role, admin of every cluster, and the one
   * identity besides the pipeline's roles that may use the stacks' secrets keys (a first deploy by hand, a
   * secrets-provider migration).
   */
  adminRoleArn: string;
  github: Record<string, GitHubEnvironmentSettings>;
};

/** What the bootstrap derives instead of asking its stack file, and where each value is set now. */
const derivedKeys: Partial<Record<keyof z.infer<typeof bootstrapSchema> | 'environments', string>> = {
  repository: `${settingsFile} (github.repository)`,
  defaultBranch: `${settingsFile} (github.defaultBranch)`,
  project: 'pipeline.yaml (project)',
  environments: `pipeline.yaml (environments) and ${settingsFile} (environments)`,
  stacks: `pipeline.yaml (environments.<name>.stack) and ${settingsFile} (environments)`,
  publishBranches: 'pipeline.yaml (branches that deploy)',
};

/** The files the bootstrap derives its repository, environments and branches from. */
export interface BootstrapSources {
  settings: Settings;
  pipeline: Pipeline;
}

/** Keys of the stack file, `namespace:key`, mapped to the schema's field names. */
const keys: Record<string, keyof z.infer<typeof bootstrapSchema>> = {
  'aws:region': 'region',
  ...Object.fromEntries(
    (['previewEnvironments', 'noncurrentVersionDays'] as const).map((key) => [
      `${bootstrapNamespace}:${key}`,
      key,
    ]),
  ),
};

/**
 * Validates the bootstrap stack's flat config (`namespace:key` → text, structured values as JSON, as
 * Pulumi hands it over) together with what slipway.yaml and pipeline.yaml say: the repository, the stacks
 * (slipway.yaml's entries) with their regions and the environments that deploy each, every GitHub
 * environment's approval, reviewers and deploying branches. Every problem is one line naming the file and the key.
 */
export function loadBootstrapConfig(
  stack: string,
  values: Record<string, string>,
  sources: BootstrapSources,
): BootstrapConfig {
  const file = stackFileName(stack);
  const { settings, pipeline } = sources;
  const problems: string[] = [];
  const raw: Record<string, unknown> = {};
  for (const [key, text] of Object.entries(values)) {
    const field = keys[key];
    const moved = derivedKeys[key.slice(bootstrapNamespace.length + 1) as keyof typeof derivedKeys];
    if (field) raw[field] = parseValue(text);
    else if (key.startsWith(`${bootstrapNamespace}:`))
      problems.push(`${file}: ${key}: ${moved ? `set in ${moved}, not here` : 'unknown key'}`);
  }
  if (raw.region !== undefined && raw.region !== settings.aws.region)
    problems.push(
      `${file}: aws:region: ${String(raw.region)} differs from ${settingsFile} aws.region ${settings.aws.region}`,
    );

  const stacks: Record<
    string,
    { region: string; account: string; approval: boolean; environments: string[]; promoteFrom: string[] }
  > = {};
  const github: Record<string, GitHubEnvironmentSettings> = {};
  for (const [stack, names] of environmentsByStack(pipeline.environments)) {
    const resolved = environmentOf(settings, stack);
    if (!resolved) {
      problems.push(
        `${settingsFile}: environments.${stack}: missing (pipeline.yaml deploys the stack ${stack}: ${names.join(', ')})`,
      );
      continue;
    }
    const reviewers = settings.environments[stack]?.reviewers;
    const hasReviewers = reviewers !== undefined && reviewers.users.length + reviewers.teams.length > 0;
    const gated = names.filter((name) => pipeline.environments[name]?.approval);
    if (gated.length > 0 && !hasReviewers)
      problems.push(
        `${settingsFile}: environments.${stack}.reviewers: required, pipeline.yaml gates ${gated.join(', ')} with approval`,
      );
    // A gated stack's images arrive only by its own deploy job's promotion, from its promoteFrom stacks.
    const sources = names.flatMap((name) => {
      const from = pipeline.environments[name]?.promoteFrom;
      const source = from === undefined ? undefined : pipeline.environments[from];
      return from !== undefined && source ? [stackName(stackOf(from, source))] : [];
    });
    stacks[stack] = {
      region: resolved.region,
      account: resolved.account,
      approval: gated.length > 0,
      environments: names,
      promoteFrom: gated.length > 0 ? [...new Set(sources)] : [],
    };
    for (const name of names) {
      // The read and publish roles trust their GitHub environments by name: a deploy environment of the
      // same name would let its jobs assume them.
      if (Object.values(pipelineEnvironments).includes(name as never))
        problems.push(
          `pipeline.yaml: environments.${name}: the name is the pipeline's own GitHub environment`,
        );
      // Each GitHub environment gets the branches of the rules that deploy to it, and the stack's reviewers
      // only where pipeline.yaml gates it: a stack deployed on merge by one rule and behind approval by another.
      github[name] = {
        ...(pipeline.environments[name]?.approval && reviewers ? { reviewers } : {}),
        deployBranches: pipeline.branches
          .filter((rule) => rule.deploy.includes(name))
          .map((rule) => rule.branch),
      };
      // The platform deploy of the environment runs in its own GitHub environment, with the same reviewers
      // and branches: approval wherever the apps need it, and only its jobs can assume the platform role.
      github[platformEnvironmentName(name)] = github[name];
    }
  }
  // Environments of one stack that disagree on its region or roles (pipeline.yaml's own check, for a
  // pipeline loaded without it).
  problems.push(...sharedStackProblems(pipeline).map((problem) => `pipeline.yaml: ${problem}`));
  const publishBranches = pipeline.branches
    .filter((rule) => rule.deploy.length > 0)
    .map((rule) => rule.branch);
  // The read and publish roles trust exactly these environments' jobs; their deployment branch policies are
  // what decides which pushes may run such a job: the deploying branches, and the default branch's drift
  // checks for read. No reviewers: they change nothing a deploy has not been approved for.
  github[pipelineEnvironments.publish] = { deployBranches: publishBranches };
  github[pipelineEnvironments.read] = {
    deployBranches: [...new Set([...publishBranches, settings.github.defaultBranch])],
  };
  raw.repository = settings.github.repository;
  raw.defaultBranch = settings.github.defaultBranch;
  raw.project = pipeline.project;
  raw.stacks = stacks;
  raw.publishBranches = publishBranches;

  const result = bootstrapSchema.safeParse(raw);
  if (!result.success) {
    for (const issue of result.error.issues) {
      const [field, ...rest] = issue.path;
      const moved = derivedKeys[field as keyof typeof derivedKeys];
      const root = field === 'region' ? 'aws:region' : `${bootstrapNamespace}:${String(field)}`;
      // A bad record key (an environment name) carries the key schema's own message one level down.
      const message =
        issue.code === 'invalid_key' ? (issue.issues[0]?.message ?? issue.message) : issue.message;
      problems.push(
        moved
          ? `${moved}: ${keyPath('', rest) || 'value'}: ${message}`
          : `${file}: ${keyPath(root, rest)}: ${message}`,
      );
    }
  }
  if (problems.length > 0 || !result.success) throw new ConfigError(problems);
  return {
    ...result.data,
    accountId: settings.aws.account,
    adminRoleArn: settings.platform.adminRoleArn,
    github,
  };
}

/** What one run of the bootstrap sets up: the account its credentials are in. */
export interface AccountPlan {
  accountId: string;
  /** Whether this is slipway.yaml's aws.account, which also holds what the whole repository shares. */
  home: boolean;
  /** The stacks slipway.yaml places in this account, with their settings. */
  stacks: BootstrapConfig['stacks'];
}

/**
 * The part of the layout the account `accountId` holds. One account for every environment is one bootstrap
 * run; one account per environment is one run per account, each with that account's credentials, all of them
 * before the first platform deploy (docs/accounts.md). An account slipway.yaml does not name is refused,
 * since every role ARN derived from it would be wrong.
 */
export function accountPlan(config: BootstrapConfig, accountId: string): AccountPlan {
  const stacks = Object.fromEntries(
    Object.entries(config.stacks).filter(([, settings]) => settings.account === accountId),
  );
  const home = accountId === config.accountId;
  if (!home && Object.keys(stacks).length === 0) {
    const named = [...new Set([config.accountId, ...Object.values(config.stacks).map((s) => s.account)])];
    throw new ConfigError([
      `${settingsFile}: aws.account: the bootstrap runs with credentials of account ${accountId}, which neither aws.account nor any environments.<stack>.account names (${named.join(', ')})`,
    ]);
  }
  return { accountId, home, stacks };
}

/** Each stack's account, for the ARNs of what one account grants another (images promoted, pushed). */
export function stackAccounts(config: BootstrapConfig): Record<string, string> {
  return Object.fromEntries(
    Object.entries(config.stacks).map(([stack, settings]) => [stack, settings.account]),
  );
}

/**
 * The stacks the pull-request preview role may open: as configured, or else every stack no environment
 * deploys with approval, since a gated stack's state and secrets are what approval protects.
 */
export function previewEnvironmentsOf(config: BootstrapConfig): string[] {
  return (
    config.previewEnvironments ??
    Object.entries(config.stacks)
      .filter(([, settings]) => !settings.approval)
      .map(([name]) => name)
  );
}

function parseValue(text: string): unknown {
  try {
    return JSON.parse(text);
  } catch {
    return text;
  }
}
