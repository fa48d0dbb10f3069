import { z } from 'zod';
import { ConfigError, keyPath } from '../config/errors';
import { stackFileName } from '../config/files';

export const bootstrapNamespace = 'slipway-bootstrap';

// The OIDC `sub` claim is compared exactly, so names are kept to what GitHub writes there unescaped.
const environmentName = z
  .string()
  .regex(/^[a-z][a-z0-9-]*$/, 'must be lower-case letters, digits and dashes');
const region = z.string().regex(/^[a-z]{2}(-[a-z]+)+-\d$/, 'must be an AWS region such as eu-west-1');
const branch = z.string().regex(/^[A-Za-z0-9._/*-]+$/, 'must be a branch name or glob');

const bootstrapSchema = z
  .object({
    region,
    repository: z.string().regex(/^[A-Za-z0-9_.-]+\/[A-Za-z0-9_.-]+$/, 'must be owner/repo'),
    project: z.string().regex(/^[a-z][a-z0-9-]*$/, 'must be lower-case letters, digits and dashes'),
    environments: z
      .record(environmentName, z.strictObject({ region, approval: z.boolean().default(false) }))
      .refine((envs) => Object.keys(envs).length > 0, 'must name at least one environment'),
    /** Stacks a pull request's own code may preview with AWS credentials; the rest get the offline plan. */
    previewEnvironments: z.array(environmentName).optional(),
    publishBranches: z.array(branch).min(1),
    defaultBranch: branch.refine((name) => !name.includes('*'), 'must be one branch, not a glob'),
    noncurrentVersionDays: z.number().int().min(1).default(90),
  })
  .strict()
  .superRefine((config, ctx) => {
    config.previewEnvironments?.forEach((name, index) => {
      if (!(name in config.environments))
        ctx.addIssue({
          code: 'custom',
          path: ['previewEnvironments', index],
          message: `${name} is not one of environments`,
        });
    });
  });

export type BootstrapConfig = z.infer<typeof bootstrapSchema>;

/** Keys of the stack file, `namespace:key`, mapped to the schema's field names. */
const keys: Record<string, keyof BootstrapConfig> = {
  'aws:region': 'region',
  ...Object.fromEntries(
    (
      [
        'repository',
        'project',
        'environments',
        'previewEnvironments',
        'publishBranches',
        'defaultBranch',
        'noncurrentVersionDays',
      ] as const
    ).map((key) => [`${bootstrapNamespace}:${key}`, key]),
  ),
};

/**
 * Validates the bootstrap stack's flat config (`namespace:key` → text, structured values as JSON, as
 * Pulumi hands it over). Every problem is one line naming the stack file and the key.
 */
export function loadBootstrapConfig(stack: string, values: Record<string, string>): BootstrapConfig {
  const file = stackFileName(stack);
  const problems: string[] = [];
  const raw: Record<string, unknown> = {};
  for (const [key, text] of Object.entries(values)) {
    const field = keys[key];
    if (field) raw[field] = parseValue(text);
    else if (key.startsWith(`${bootstrapNamespace}:`)) problems.push(`${file}: ${key}: unknown key`);
  }
  const result = bootstrapSchema.safeParse(raw);
  if (!result.success) {
    for (const issue of result.error.issues) {
      const [field, ...rest] = issue.path;
      const root = field === 'region' ? 'aws:region' : `${bootstrapNamespace}:${String(field)}`;
      // A bad record key (an environment name) carries the key schema's own message one level down.
      const message =
        issue.code === 'invalid_key' ? (issue.issues[0]?.message ?? issue.message) : issue.message;
      problems.push(`${file}: ${keyPath(root, rest)}: ${message}`);
    }
  }
  if (problems.length > 0 || !result.success) throw new ConfigError(problems);
  return result.data;
}

/**
 * The environments the pull-request preview role may open: as configured, or else every environment that
 * deploys without approval, since a gated environment's state and secrets are what approval protects.
 */
export function previewEnvironmentsOf(config: BootstrapConfig): string[] {
  return (
    config.previewEnvironments ??
    Object.entries(config.environments)
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
