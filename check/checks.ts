import { deployRoleArn, environmentOf, platformRoleArn } from '../infra/settings/derive';
import { settingsFile, type Settings } from '../infra/settings/schema';
import { githubVariables } from '../infra/bootstrap/github-variables';
import type { PipelineFile } from '../action/src/pipeline/schema';
import { catalogMismatches } from '../action/src/pipeline/catalog';

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

/** slipway.yaml and pipeline.yaml name the same environments; each gated one has reviewers. */
function environmentProblems({ settings, pipeline }: Repository): string[] {
  const problems: string[] = [];
  for (const [name, environment] of Object.entries(pipeline.environments)) {
    const settled = settings.environments[name];
    if (!settled) {
      problems.push(
        `${settingsFile}: environments.${name}: missing, but ${pipelineFile} has the environment ${name}`,
      );
      continue;
    }
    const reviewers = (settled.reviewers?.users.length ?? 0) + (settled.reviewers?.teams.length ?? 0);
    if (environment.approval && reviewers === 0)
      problems.push(
        `${settingsFile}: environments.${name}.reviewers: none, but ${pipelineFile} gates ${name} (approval: true)`,
      );
    if (!environment.approval && settled.reviewers)
      problems.push(
        `${settingsFile}: environments.${name}.reviewers: nobody is asked, ${pipelineFile} does not gate ${name} (approval: false)`,
      );
    for (const [key, stated, derived] of [
      ['role', environment.role, deployRoleArn(settings, pipeline.project, name)],
      ['platformRole', environment.platformRole, platformRoleArn(settings, pipeline.project, name)],
    ] as const)
      if (stated !== undefined && stated !== derived)
        problems.push(
          `${pipelineFile}: environments.${name}.${key}: ${stated} is not the role the bootstrap creates (${derived}); leave it out`,
        );
    const region = environmentOf(settings, name)?.region;
    if (environment.region !== undefined && environment.region !== region)
      problems.push(
        `${pipelineFile}: environments.${name}.region: ${environment.region}, but ${settingsFile} puts ${name} in ${region}`,
      );
  }
  for (const name of Object.keys(settings.environments)) {
    if (!(name in pipeline.environments))
      problems.push(`${settingsFile}: environments.${name}: ${pipelineFile} has no such environment`);
  }
  return problems;
}

/** Every environment a branch rule deploys to becomes a GitHub environment: slipway.yaml must name it. */
function branchProblems({ settings, pipeline }: Repository): string[] {
  return pipeline.branches.flatMap((rule, index) =>
    (rule.deploy ?? [])
      .filter((name) => !(name in settings.environments))
      .map(
        (name) =>
          `${pipelineFile}: branches[${index}].deploy: ${rule.branch} deploys to ${name}, which has no GitHub environment (${settingsFile} does not name it)`,
      ),
  );
}

/** Each environment's stack has a stack file in the environment's region, and each stack file a deployer. */
function stackProblems({ settings, pipeline, stackFiles }: Repository): string[] {
  const problems: string[] = [];
  const files = new Map(stackFiles.map((file) => [file.stack, file]));
  const deployed = new Set<string>();
  for (const [name, environment] of Object.entries(pipeline.environments)) {
    deployed.add(environment.stack);
    const file = files.get(environment.stack);
    if (!file) {
      problems.push(
        `${pipelineFile}: environments.${name}.stack: ${environment.stack} has no ${stackFile(environment.stack)}`,
      );
      continue;
    }
    const region = environment.region ?? environmentOf(settings, name)?.region;
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
 * The workflows run jobs only in environments pipeline.yaml has (a literal name GitHub would otherwise create
 * on first use, without reviewers) and read only the variables the bootstrap writes.
 */
function workflowProblems({ pipeline, workflows }: Repository): string[] {
  const problems: string[] = [];
  for (const workflow of workflows) {
    const jobs =
      (workflow.document as { jobs?: Record<string, { environment?: unknown }> } | null)?.jobs ?? {};
    for (const [job, spec] of Object.entries(jobs)) {
      const raw = spec?.environment;
      const name = typeof raw === 'object' && raw !== null ? (raw as { name?: unknown }).name : raw;
      if (typeof name === 'string' && !name.includes('${{') && !(name in pipeline.environments))
        problems.push(
          `${workflow.path}: jobs.${job}.environment: ${name} is not a ${pipelineFile} environment; GitHub would create it without reviewers`,
        );
    }
    const text = JSON.stringify(workflow.document);
    for (const match of new Set(text.match(/\bvars\.[A-Za-z_][A-Za-z0-9_]*/g) ?? [])) {
      const variable = match.slice('vars.'.length);
      if (!(variable in githubVariables))
        problems.push(`${workflow.path}: reads vars.${variable}, which the bootstrap does not write`);
    }
  }
  return problems;
}
