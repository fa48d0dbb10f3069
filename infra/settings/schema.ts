import { z } from 'zod';

/**
 * slipway.yaml: the one file of values a team must replace to adopt Slipway. Everything account- or
 * organisation-specific lives here; pipeline.yaml's roles, the stack files' admin role, certificate and
 * hosts, and the bootstrap's repository and environments are derived from it.
 */

const accountMessage = 'must be a 12-digit AWS account ID, quoted so that YAML keeps its leading zeros';
const accountId = z.string({ error: accountMessage }).regex(/^\d{12}$/, accountMessage);
const region = z.string().regex(/^[a-z]{2}(-gov)?-[a-z]+-\d$/, 'must be an AWS region such as eu-west-1');
const environmentName = z
  .string()
  .regex(/^[a-z][a-z0-9-]{0,30}$/, 'must be a lower-case name of letters, digits and dashes');
const dnsName = z
  .string()
  .regex(/^([a-z0-9]([a-z0-9-]*[a-z0-9])?\.)+[a-z]{2,}$/, 'must be a DNS name such as app.example.org');
const cidrBlock = z
  .string()
  .regex(/^(\d{1,3}\.){3}\d{1,3}\/\d{1,2}$/, 'must be an IPv4 CIDR block such as 198.51.100.0/24');
// GitHub logins: alphanumerics and single dashes, at most 39 characters.
const githubLogin = z.string().regex(/^[A-Za-z0-9](-?[A-Za-z0-9]){0,38}$/, 'must be a GitHub user login');
const teamSlug = z
  .string()
  .regex(/^[a-z0-9][a-z0-9_-]*$/, "must be a team's slug (lower case, as in its URL)");

export const reviewersSchema = z
  .strictObject({
    users: z.array(githubLogin).default([]).describe('GitHub logins that may approve a deploy'),
    teams: z.array(teamSlug).default([]).describe("slugs of the owner organisation's teams that may approve"),
  })
  // GitHub takes at most six reviewers per environment.
  .refine((r) => r.users.length + r.teams.length <= 6, 'GitHub allows at most 6 users and teams together')
  .describe('who approves a deploy to a gated environment; one approval lets it proceed');

export const settingsEnvironmentSchema = z.strictObject({
  account: accountId.optional().describe('the AWS account the environment runs in; aws.account when absent'),
  region: region.optional().describe('the AWS region the environment runs in; aws.region when absent'),
  domain: dnsName.describe("the host name the environment's services answer on (their ingress host)"),
  certificateArn: z
    .string()
    .regex(/^arn:aws[a-z-]*:acm:[a-z0-9-]+:\d{12}:certificate\/[\w-]+$/, 'must be an ACM certificate ARN')
    .describe("the ACM certificate of the environment's HTTPS load balancer, valid for domain"),
  apiAccessCidrs: z
    .array(cidrBlock)
    .optional()
    .describe(
      "CIDRs that may reach the cluster's public API endpoint; absent: the tier's default (none in prod)",
    ),
  reviewers: reviewersSchema
    .optional()
    .describe(
      'required when pipeline.yaml gates an environment of this stack (approval: true); they approve every such one',
    ),
});

export const settingsSchema = z.strictObject({
  github: z.strictObject({
    repository: z
      .string()
      .regex(/^[A-Za-z0-9_.-]+\/[A-Za-z0-9_.-]+$/, 'must be owner/repo')
      .describe('the repository whose workflows deploy, owner/name'),
    defaultBranch: z
      .string()
      .regex(/^[A-Za-z0-9._/-]+$/, 'must be one branch name')
      .default('main')
      .describe('the branch scheduled workflows (the drift check) run on'),
  }),
  aws: z.strictObject({
    account: accountId.describe(
      'the account the bootstrap sets up: state bucket, secrets key, the pipeline roles',
    ),
    region: region.describe("the bootstrap's region: state bucket, secrets key, the registry"),
  }),
  platform: z.strictObject({
    adminRoleArn: z
      .string()
      .regex(/^arn:aws[a-z-]*:iam::\d{12}:role\/.+$/, 'must be an IAM role ARN')
      .describe('the platform team role granted cluster-admin on every cluster'),
  }),
  environments: z
    .record(environmentName, settingsEnvironmentSchema)
    .refine((envs) => Object.keys(envs).length > 0, 'must name at least one environment')
    .describe(
      'per Pulumi stack pipeline.yaml deploys, named as the stack (usually its environment of the same name)',
    ),
});

export type Settings = z.infer<typeof settingsSchema>;
export type SettingsEnvironment = z.infer<typeof settingsEnvironmentSchema>;
export type Reviewers = z.infer<typeof reviewersSchema>;

/** The file's name at the repository root, named in every error line. */
export const settingsFile = 'slipway.yaml';
