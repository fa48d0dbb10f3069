import { deployRoleArn, environmentOf, platformRoleArn } from '../infra/settings/derive';
import { settingsFile, type Settings } from '../infra/settings/schema';
import { githubEnvironmentVariables, githubVariables } from '../infra/bootstrap/github-variables';
import { pipelineEnvironments } from '../infra/bootstrap/role-names';
import type { PipelineFile } from '../action/src/pipeline/schema';
import { catalogMismatches } from '../action/src/pipeline/catalog';
import { environmentsByStack, sharedStackProblems, stackName, stackOf } from '../action/src/pipeline/stacks';

/** A platform stack file as the check sees it: its name and the region it deploys to. */
export interface StackFile {
  stack: string;
  region?: string;
}

/** A workflow file: its path and parsed document. */
export interface WorkflowFile {
  path: string;
  document: unknown;
}

/** Everything the check compares: slipway.yaml, pipeline.yaml as written, the stack files, the workflows. */
export interface Repository {
  settings: Settings;
  pipeline: PipelineFile;
  stackFiles: StackFile[];
  workflows: WorkflowFile[];
  /** The services services.yaml declares. */
  catalogServices: string[];
}

const pipelineFile = 'pipeline.yaml';
const stackFile = (stack: string) => `Pulumi.${stack}.yaml`;

/**
 * Every inconsistency between the files a team edits, one line each naming the file and the key: what would
 * otherwise surface as a misspelt GitHub environment without reviewers, a stack nobody deploys, or a role
 * nothing created.
 */
export function checkRepository(repo: Repository): string[] {
  return [
    ...environmentProblems(repo),
    ...branchProblems(repo),
    ...stackProblems(repo),
    ...workflowProblems(repo),
    ...catalogMismatches(pipelineFile, Object.keys(repo.pipeline.services), repo.catalogServices),
  ];
}

/**
 * slipway.yaml names every stack pipeline.yaml deploys (its entries are keyed by stack, shared by every
 * environment that deploys it), and nothing else; a stack some environment gates has reviewers, and reviewers
 * are asked somewhere; environments of one stack agree on its region and roles.
 */
function environmentProblems({ settings, pipeline }: Repository): string[] {
  const problems = sharedStackProblems(pipeline).map((problem) => `${pipelineFile}: ${problem}`);
  const byStack = environmentsByStack(pipeline.environments);
  for (const [stack, names] of byStack) {
    const settled = settings.environments[stack];
    const deployers = names.join(', ');
    if (!settled) {
      problems.push(
        `${settingsFile}: environments.${stack}: missing, but ${pipelineFile} deploys the stack ${stack} (${deployers})`,
      );
      continue;
    }
    const gated = names.filter((name) => pipeline.environments[name]?.approval);
    const reviewers = (settled.reviewers?.users.length ?? 0) + (settled.reviewers?.teams.length ?? 0);
    if (gated.length > 0 && reviewers === 0)
      problems.push(
        `${settingsFile}: environments.${stack}.reviewers: none, but ${pipelineFile} gates ${gated.join(', ')} (approval: true)`,
      );
    if (gated.length === 0 && settled.reviewers)
      problems.push(
        `${settingsFile}: environments.${stack}.reviewers: nobody is asked, ${pipelineFile} gates no environment of the stack ${stack} (approval: false)`,
      );
    for (const name of names) {
      const environment = pipeline.environments[name];
      if (!environment) continue;
      for (const [key, stated, derived] of [
        ['role', environment.role, deployRoleArn(settings, pipeline.project, stack)],
        ['platformRole', environment.platformRole, platformRoleArn(settings, pipeline.project, stack)],
      ] as const)
        if (stated !== undefined && stated !== derived)
          problems.push(
            `${pipelineFile}: environments.${name}.${key}: ${stated} is not the role the bootstrap creates (${derived}); leave it out`,
          );
      const region = environmentOf(settings, stack)?.region;
      if (environment.region !== undefined && environment.region !== region)
        problems.push(
          `${pipelineFile}: environments.${name}.region: ${environment.region}, but ${settingsFile} puts the stack ${stack} in ${region}`,
        );
    }
  }
  for (const stack of Object.keys(settings.environments)) {
    if (!byStack.has(stack))
      problems.push(
        `${settingsFile}: environments.${stack}: no ${pipelineFile} environment deploys the stack ${stack}`,
      );
  }
  return problems;
}

/** Every environment a branch rule deploys to becomes a GitHub environment: slipway.yaml must name its stack. */
function branchProblems({ settings, pipeline }: Repository): string[] {
  return pipeline.branches.flatMap((rule, index) =>
    (rule.deploy ?? [])
      .filter((name) => {
        const environment = pipeline.environments[name];
        return environment !== undefined && !(stackName(stackOf(name, environment)) in settings.environments);
      })
      .map(
        (name) =>
          `${pipelineFile}: branches[${index}].deploy: ${rule.branch} deploys to ${name}, whose stack ${settingsFile} does not name (no account, region or reviewers)`,
      ),
  );
}

/** Each environment's stack has a stack file in the stack's region, and each stack file a deployer. */
function stackProblems({ settings, pipeline, stackFiles }: Repository): string[] {
  const problems: string[] = [];
  const files = new Map(stackFiles.map((file) => [file.stack, file]));
  const deployed = environmentsByStack(pipeline.environments);
  for (const [stack, [name]] of deployed) {
    const environment = name === undefined ? undefined : pipeline.environments[name];
    if (name === undefined || !environment) continue;
    const file = files.get(stack);
    if (!file) {
      problems.push(`${pipelineFile}: environments.${name}.stack: ${stack} has no ${stackFile(stack)}`);
      continue;
    }
    const region = environment.region ?? environmentOf(settings, stack)?.region;
    if (region !== undefined && file.region !== region)
      problems.push(
        `${stackFile(file.stack)}: aws:region: ${file.region ?? 'missing'}, but ${name} deploys to ${region}`,
      );
  }
  for (const file of stackFiles) {
    if (!deployed.has(file.stack))
      problems.push(
        `${stackFile(file.stack)}: no ${pipelineFile} environment deploys the stack ${file.stack}`,
      );
  }
  return problems;
}

/**
 * The workflows run jobs only in environments pipeline.yaml has or the bootstrap creates for the read and
 * publish roles (a literal name GitHub would otherwise create on first use, without reviewers or branch
 * policies) and read only the variables the bootstrap writes.
 */
function workflowProblems({ pipeline, workflows }: Repository): string[] {
  const problems: string[] = [];
  for (const workflow of workflows) {
    const jobs =
      (workflow.document as { jobs?: Record<string, { environment?: unknown }> } | null)?.jobs ?? {};
    for (const [job, spec] of Object.entries(jobs)) {
      const raw = spec?.environment;
      const name = typeof raw === 'object' && raw !== null ? (raw as { name?: unknown }).name : raw;
      const known =
        typeof name === 'string' &&
        (name in pipeline.environments || Object.values(pipelineEnvironments).includes(name as never));
      if (typeof name === 'string' && !name.includes('${{') && !known)
        problems.push(
          `${workflow.path}: jobs.${job}.environment: ${name} is not a ${pipelineFile} environment; GitHub would create it without reviewers`,
        );
    }
    const text = JSON.stringify(workflow.document);
    for (const match of new Set(text.match(/\bvars\.[A-Za-z_][A-Za-z0-9_]*/g) ?? [])) {
      const variable = match.slice('vars.'.length);
      if (!(variable in githubVariables) && !(variable in githubEnvironmentVariables))
        problems.push(`${workflow.path}: reads vars.${variable}, which the bootstrap does not write`);
    }
  }
  return problems;
}
