import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { parse } from 'yaml';
import { roleNames } from '../../infra/bootstrap/program';
import { repoRoot, type Job, type Step, type WorkflowFile } from './workflow-files';

export interface PipelineEnvironment {
  name: string;
  approval: boolean;
}

/** The environments of pipeline.yaml in promotion order (the order the file lists them). */
export function pipelineEnvironments(): PipelineEnvironment[] {
  const doc = parse(readFileSync(join(repoRoot, 'pipeline.yaml'), 'utf8')) as {
    project: string;
    environments: Record<string, { approval: boolean }>;
  };
  return Object.entries(doc.environments).map(([name, env]) => ({ name, approval: env.approval }));
}

const project = 'slipway';
const needsOf = (job: Job) => (job.needs === undefined ? [] : [job.needs].flat());
const environmentOf = (job: Job) =>
  typeof job.environment === 'object' ? job.environment.name : job.environment;
const actionStep = (job: Job, command: string): Step | undefined =>
  (job.steps ?? []).find((step) => step.uses === './action' && step.with?.command === command);
const roleOf = (job: Job) =>
  String(
    (job.steps ?? []).find((step) => step.uses?.startsWith('aws-actions/configure-aws-credentials@'))?.with?.[
      'role-to-assume'
    ] ?? '',
  );

/**
 * deploy.yml: one deploy job per environment, in promotion order, each needing the one before, running
 * only when resolve lists its environment, in its GitHub environment, assuming its own role, queued per
 * environment; a gated environment is previewed first and the preview's change set is what it deploys.
 */
export function checkDeployWorkflow(file: WorkflowFile, environments: PipelineEnvironment[]): string[] {
  const problems: string[] = [];
  const entries = Object.entries(file.workflow.jobs);
  let previous: string | undefined;
  for (const env of environments) {
    const found = entries.filter(([, job]) => actionStep(job, 'deploy')?.with?.environment === env.name);
    if (found.length !== 1) {
      problems.push(`${file.path}: ${found.length} deploy jobs for ${env.name}, expected 1`);
      continue;
    }
    const [name, job] = found[0] as [string, Job];
    const where = `${file.path}: job ${name}`;
    if (environmentOf(job) !== env.name)
      problems.push(`${where} does not run in the GitHub environment ${env.name}`);
    if (!job.if?.includes(`contains(fromJSON(needs.resolve.outputs.environments), '${env.name}')`))
      problems.push(`${where} does not run only when resolve lists ${env.name}`);
    if (!needsOf(job).includes('resolve')) problems.push(`${where} does not need resolve`);
    if (previous && !needsOf(job).includes(previous)) problems.push(`${where} does not need ${previous}`);
    const concurrency = typeof job.concurrency === 'object' ? job.concurrency : undefined;
    if (concurrency?.group !== `deploy-${env.name}` || concurrency['cancel-in-progress'] !== false)
      problems.push(`${where} is not queued per environment (concurrency deploy-${env.name}, no cancelling)`);
    if (!roleOf(job).endsWith(`:role/${roleNames.deploy(project, env.name)}`))
      problems.push(`${where} does not assume the ${env.name} deploy role`);
    if (env.approval) problems.push(...checkGate(file, name, job, env.name));
    if (actionStep(job, 'deploy')?.with?.images !== environmentImages(env.name))
      problems.push(`${where} does not deploy the images push copied into ${env.name}'s repository`);
    previous = name;
  }
  return [...problems, ...checkImageSteps(file)];
}

/** The images of one environment's repository, from push's environment-images output. */
const environmentImages = (env: string) =>
  `\${{ toJSON(fromJSON(needs.images.outputs.environment-images).${env}) }}`;

/** build, scan and push all know which repositories resolve's environments map to. */
function checkImageSteps(file: WorkflowFile): string[] {
  return Object.entries(file.workflow.jobs).flatMap(([name, job]) =>
    (job.steps ?? [])
      .filter(
        (step) => step.uses === './action' && ['build', 'scan', 'push'].includes(String(step.with?.command)),
      )
      .filter((step) => step.with?.environments !== '${{ needs.resolve.outputs.environments }}')
      .map(
        (step) =>
          `${file.path}: job ${name}: ${String(step.with?.command)} is not given resolve's environments`,
      ),
  );
}

/** A gated deploy needs a preview job, outside any environment, whose change set it is handed. */
function checkGate(file: WorkflowFile, name: string, job: Job, env: string): string[] {
  const where = `${file.path}: job ${name}`;
  const previewName = needsOf(job).find((need) => actionStep(file.workflow.jobs[need] ?? {}, 'preview'));
  const preview = previewName ? file.workflow.jobs[previewName] : undefined;
  if (!previewName || !preview) return [`${where} is gated but needs no preview job`];
  const problems: string[] = [];
  const step = actionStep(preview, 'preview');
  if (step?.with?.environment !== env) problems.push(`${where}: ${previewName} does not preview ${env}`);
  if (environmentOf(preview) !== undefined)
    problems.push(
      `${where}: ${previewName} runs in an environment, so it would wait for the approval it informs`,
    );
  if (preview.outputs?.['change-set'] !== `\${{ steps.${step?.id}.outputs.change-set }}`)
    problems.push(`${where}: ${previewName} does not output its change set`);
  if (
    actionStep(job, 'deploy')?.with?.['expected-change-set'] !==
    `\${{ needs.${previewName}.outputs.change-set }}`
  )
    problems.push(`${where} does not deploy the change set ${previewName} showed`);
  if (roleOf(preview).includes(':role/' + roleNames.deploy(project, env)))
    problems.push(`${where}: ${previewName} assumes the deploy role`);
  if (actionStep(preview, 'preview')?.with?.images !== environmentImages(env))
    problems.push(`${where}: ${previewName} does not preview the images ${env} would get`);
  return problems;
}

const sameRepository = 'github.event.pull_request.head.repo.full_name == github.repository';
/**
 * The bootstrap scopes the preview role to environments without approval: a same-repository PR previews
 * those with AWS and plans the gated ones offline; a fork plans everything offline.
 */
const onlinePreviews = `\${{ ${sameRepository} && steps.resolve.outputs.online-preview-environments || '[]' }}`;
const offlinePreviews = `\${{ ${sameRepository} && steps.resolve.outputs.offline-preview-environments || steps.resolve.outputs.preview-environments }}`;
const matrixOf = (job: Job) =>
  /^\$\{\{ fromJSON\((.*)\) \}\}$/.exec(
    String((job.strategy as { matrix?: { environment?: unknown } } | undefined)?.matrix?.environment ?? ''),
  )?.[1];

/**
 * pull-request.yml: only same-repository runs get AWS credentials, and only the preview role; a fork's
 * run renders the offline plan against the PR's base commit, as JSON, for the comment workflow.
 */
export function checkPullRequestWorkflow(file: WorkflowFile): string[] {
  const problems: string[] = [];
  for (const [name, job] of Object.entries(file.workflow.jobs)) {
    const role = roleOf(job);
    if (!role) continue;
    if (!job.if?.includes(sameRepository))
      problems.push(`${file.path}: job ${name} gives forks AWS credentials`);
    if (!role.endsWith(`:role/${roleNames.preview(project)}`))
      problems.push(`${file.path}: job ${name} assumes ${role}, not the preview role`);
  }
  for (const [name, job] of Object.entries(file.workflow.jobs)) {
    for (const command of ['build', 'scan']) {
      const step = actionStep(job, command);
      if (step && String(step.with?.push) !== 'false')
        problems.push(`${file.path}: job ${name}: ${command} may reach the registry (push is not false)`);
      if (step && (roleOf(job) || job.if?.includes(sameRepository)))
        problems.push(
          `${file.path}: job ${name}: ${command} should run for every PR with no AWS credentials`,
        );
    }
  }
  const offline = Object.entries(file.workflow.jobs).filter(([, job]) =>
    (job.steps ?? []).some((step) => /npm run (--silent )?plan -- /.test(step.run ?? '')),
  );
  if (offline.length !== 1)
    return [...problems, `${file.path}: ${offline.length} offline plan jobs, expected 1`];
  const [name, job] = offline[0] as [string, Job];
  const where = `${file.path}: job ${name}`;
  const resolve = file.workflow.jobs.resolve?.outputs ?? {};
  if (resolve['online-previews'] !== onlinePreviews)
    problems.push(
      `${file.path}: resolve's online-previews is not the ungated environments, same repository only`,
    );
  if (resolve['offline-previews'] !== offlinePreviews)
    problems.push(
      `${file.path}: resolve's offline-previews is not every environment for forks, the gated ones otherwise`,
    );
  for (const [other, online] of Object.entries(file.workflow.jobs).filter(([, j]) => roleOf(j)))
    if (matrixOf(online) !== 'needs.resolve.outputs.online-previews')
      problems.push(`${file.path}: job ${other} previews with AWS what the preview role does not open`);
  if (matrixOf(job) !== 'needs.resolve.outputs.offline-previews')
    problems.push(`${where} does not plan the forks' and the gated environments`);
  const step = (job.steps ?? []).find((s) => /npm run (--silent )?plan -- /.test(s.run ?? '')) as Step;
  if (
    !/--base "\$BASE_SHA"/.test(step.run ?? '') ||
    step.env?.BASE_SHA !== '${{ github.event.pull_request.base.sha }}'
  )
    problems.push(`${where} does not diff against the PR's base commit`);
  // JSON: the privileged comment job renders it with the base branch's code, never the fork's markdown.
  if (!/--format json/.test(step.run ?? '')) problems.push(`${where} does not render the plan as JSON`);
  if (
    !/--stack "\$STACK"/.test(step.run ?? '') ||
    step.env?.STACK !== '${{ fromJSON(needs.resolve.outputs.stacks)[matrix.environment] }}' ||
    resolve.stacks !== '${{ steps.resolve.outputs.stacks }}'
  )
    problems.push(`${where} does not plan the stack pipeline.yaml names for the environment`);
  return problems;
}
