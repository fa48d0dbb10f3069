import { parse as parseYaml } from 'yaml';
import type { z } from 'zod';
import { pipelineSchema, type Pipeline, type PipelineEnvironment, type PipelineFile } from './schema';
import { messageOf } from '../errors';
import { catalogMismatches } from './catalog';
import { publishingOf } from '../images/publishing';
import { sharedStackProblems, stackName, stackOf } from './stacks';
import { deployRoleArn, environmentOf, platformRoleArn } from '../../../infra/settings/derive';
import type { Settings } from '../../../infra/settings/schema';

/** Raised when pipeline.yaml is invalid: one line per problem, each naming the file and the key. */
export class PipelineError extends Error {
  constructor(readonly problems: string[]) {
    super(problems.join('\n'));
    this.name = 'PipelineError';
  }
}

/**
 * Parses and validates pipeline.yaml; every problem is reported at once, nothing partial comes back. An
 * environment's stack left out is its own name; its role and region left out are its stack's in slipway.yaml
 * (`settings`, keyed by stack): the role the bootstrap creates for the stack in its account, and its region.
 */
export function loadPipeline(
  text: string,
  file: string,
  settings?: Settings,
  /** The catalog's services (services.yaml beside pipeline.yaml), which must be the services built here. */
  declaredServices?: string[],
): Pipeline {
  let data: unknown;
  try {
    data = parseYaml(text);
  } catch (error) {
    throw new PipelineError([`${file}: not valid YAML: ${messageOf(error).split('\n')[0]}`]);
  }
  const parsed = pipelineSchema.safeParse(data);
  if (!parsed.success) throw new PipelineError(describeIssues(parsed.error, file));
  const problems = crossFieldProblems(parsed.data).map((p) => `${file}: ${p}`);
  if (problems.length === 0) problems.push(...publishingProblems(parsed.data, file));
  if (declaredServices)
    problems.push(...catalogMismatches(file, Object.keys(parsed.data.services), declaredServices));
  const environments: Record<string, PipelineEnvironment> = {};
  for (const [name, environment] of Object.entries(parsed.data.environments)) {
    const stack = stackOf(name, environment);
    const key = stackName(stack);
    const role = environment.role ?? (settings && deployRoleArn(settings, parsed.data.project, key));
    const platformRole =
      environment.platformRole ?? (settings && platformRoleArn(settings, parsed.data.project, key));
    const region = environment.region ?? (settings && environmentOf(settings, key)?.region);
    for (const [field, value] of [
      ['role', role],
      ['platformRole', platformRole],
      ['region', region],
    ] as const) {
      if (value === undefined) {
        problems.push(
          `${file}: environments.${name}.${field}: is required, unless slipway.yaml names the stack ${key} (environments.${key})`,
        );
      }
    }
    environments[name] = {
      ...environment,
      stack,
      role: role ?? '',
      platformRole: platformRole ?? '',
      region: region ?? '',
      // arn:<partition>:iam::<account>:role/<name>: the role is the bootstrap's in the stack's account.
      account: role?.split(':')[4] ?? '',
    };
  }
  if (problems.length > 0) throw new PipelineError(problems);
  return { ...parsed.data, environments };
}

function crossFieldProblems(pipeline: PipelineFile): string[] {
  const problems: string[] = [];
  const known = Object.keys(pipeline.environments);
  pipeline.branches.forEach((rule, index) => {
    for (const field of ['deploy', 'preview'] as const) {
      rule[field].forEach((name, position) => {
        if (!known.includes(name)) {
          problems.push(
            `branches[${index}].${field}[${position}]: no environment named ${name} (known: ${known.join(', ')})`,
          );
        }
      });
      if (new Set(rule[field]).size !== rule[field].length) {
        problems.push(`branches[${index}].${field}: lists an environment twice`);
      }
    }
  });
  problems.push(...sharedStackProblems(pipeline));
  for (const [name, environment] of Object.entries(pipeline.environments)) {
    const from = environment.promoteFrom;
    if (from === undefined) continue;
    if (from === name) problems.push(`environments.${name}.promoteFrom: cannot promote from itself`);
    else if (!known.includes(from)) {
      problems.push(
        `environments.${name}.promoteFrom: no environment named ${from} (known: ${known.join(', ')})`,
      );
    }
  }
  return problems;
}

/**
 * What a push of each deploying branch rule would be refused for at build or push (a gated stack's images
 * promoted from nowhere, or from an environment that push does not reach), found here instead, before any
 * run: one line each, naming the rule.
 */
function publishingProblems(pipeline: PipelineFile, file: string): string[] {
  const problems: string[] = [];
  for (const [index, rule] of pipeline.branches.entries()) {
    if (rule.deploy.length === 0) continue;
    try {
      publishingOf(pipeline, rule.deploy, file);
    } catch (error) {
      problems.push(`${messageOf(error)} (branches[${index}]: ${rule.branch})`);
    }
  }
  return problems;
}

function describeIssues(error: z.ZodError, file: string): string[] {
  return error.issues.flatMap((issue) => {
    if (issue.code === 'unrecognized_keys') {
      return issue.keys.map((key) => `${file}: ${keyPath([...issue.path, key])}: unknown key`);
    }
    return [`${file}: ${keyPath(issue.path) || '(root)'}: ${issue.message}`];
  });
}

function keyPath(path: readonly PropertyKey[]): string {
  return path.reduce<string>(
    (text, part) =>
      typeof part === 'number' ? `${text}[${part}]` : `${text}${text ? '.' : ''}${String(part)}`,
    '',
  );
}
