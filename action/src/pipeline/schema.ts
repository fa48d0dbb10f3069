import { z } from 'zod';

export const severities = ['CRITICAL', 'HIGH', 'MEDIUM', 'LOW', 'UNKNOWN'] as const;
export type Severity = (typeof severities)[number];

const environmentName = z
  .string()
  .regex(/^[a-z][a-z0-9-]{0,30}$/, 'must be a lower-case name of letters, digits and dashes');

/** A CVE accepted for a while: the gate ignores it until `expires`, then it blocks again. */
export const allowEntrySchema = z.strictObject({
  id: z.string().regex(/^(CVE-\d{4}-\d{4,}|GHSA(-[0-9a-z]{4}){3})$/, 'must be a CVE or GHSA id'),
  expires: z.iso.date('must be a date such as 2027-01-31'),
  reason: z.string().min(1, 'must say why the finding is accepted'),
});

export const scanGateSchema = z.strictObject({
  /** Severities that fail the gate. */
  failOn: z.array(z.enum(severities)).min(1, 'must name at least one severity'),
  /** Only findings with a fixed version count: an unfixable finding cannot be acted on. */
  fixableOnly: z.boolean().default(true),
  allow: z.array(allowEntrySchema).default([]),
});

const roleArn = z.string().regex(/^arn:aws[\w-]*:iam::\d{12}:role\/[\w+=,.@/-]+$/, 'must be an IAM role ARN');

/**
 * An environment is the GitHub environment a deploy job runs in (its approval, its branch rules); `stack` is
 * the Pulumi stack it deploys. Several environments may share a stack, e.g. to gate only some of the branches
 * that deploy it (action/src/pipeline/stacks.ts).
 */
export const environmentSchema = z.strictObject({
  /** The Pulumi stack; the environment's own name when absent. */
  stack: z
    .string()
    .regex(/^[\w.-]+(\/[\w.-]+){0,2}$/, 'must be a Pulumi stack name')
    .optional(),
  /** The stack's region; slipway.yaml's (the stack's entry) when absent. */
  region: z
    .string()
    .regex(/^[a-z]{2}(-gov)?-[a-z]+-\d$/, 'must be an AWS region such as eu-west-1')
    .optional(),
  /** The apps deploy role; when absent, the one the bootstrap creates for the stack in its account. */
  role: roleArn.optional(),
  /** The platform deploy role; when absent, the one the bootstrap creates for the stack in its account. */
  platformRole: roleArn.optional(),
  approval: z.boolean().default(false),
  scan: scanGateSchema.optional(),
  /**
   * The environment whose repository this one takes images from when it is the first a push reaches
   * (release branches → prod take staging's digest instead of building again).
   */
  promoteFrom: environmentName.optional(),
});

export const branchRuleSchema = z.strictObject({
  /** Branch glob (minimatch): `main`, `release-*`, `hotfix/*`. The first matching rule wins. */
  branch: z.string().min(1),
  /** Environments a push deploys to, in promotion order. Empty: preview only. */
  deploy: z.array(environmentName).default([]),
  /** Environments a push previews without deploying (defaults to none). */
  preview: z.array(environmentName).default([]),
});

export const serviceBuildSchema = z.strictObject({
  context: z.string().min(1),
  dockerfile: z.string().min(1).default('Dockerfile'),
  buildArgs: z.record(z.string().regex(/^[A-Za-z_][A-Za-z0-9_]*$/), z.string()).default({}),
});

export const pipelineSchema = z.strictObject({
  project: z.string().regex(/^[\w.-]+$/, 'must be the Pulumi project name'),
  registry: z.strictObject({
    region: z.string().regex(/^[a-z]{2}(-gov)?-[a-z]+-\d$/, 'must be an AWS region such as eu-west-1'),
  }),
  environments: z.record(environmentName, environmentSchema),
  branches: z.array(branchRuleSchema).min(1, 'must list at least one branch rule'),
  services: z.record(
    z.string().regex(/^[a-z][a-z0-9-]{1,30}[a-z0-9]$/, 'must be a service name'),
    serviceBuildSchema,
  ),
});

/** pipeline.yaml as written: an environment's role and region may be left to slipway.yaml. */
export type PipelineFile = z.infer<typeof pipelineSchema>;
/** An environment as the action uses it: its stack, role and region always known. */
export type PipelineEnvironment = Omit<
  z.infer<typeof environmentSchema>,
  'stack' | 'role' | 'platformRole' | 'region'
> & {
  stack: string;
  role: string;
  platformRole: string;
  region: string;
  /** The stack's AWS account, its apps role's: its registry, state and read roles are there. */
  account: string;
};
export type Pipeline = Omit<PipelineFile, 'environments'> & {
  environments: Record<string, PipelineEnvironment>;
};
export type ScanGate = z.infer<typeof scanGateSchema>;
export type ServiceBuild = z.infer<typeof serviceBuildSchema>;
