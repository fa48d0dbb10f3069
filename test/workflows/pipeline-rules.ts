import { readFileSync } from 'node:fs';
import { pipelineEnvironments as roleEnvironments } from '../../infra/bootstrap/role-names';
import { join } from 'node:path';
import { parse } from 'yaml';
import { actionCommand, repoRoot, type Job, type Step, type WorkflowFile } from './workflow-files';

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

const needsOf = (job: Job) => (job.needs === undefined ? [] : [job.needs].flat());
const environmentOf = (job: Job) =>
  typeof job.environment === 'object' ? job.environment.name : job.environment;
const actionStep = (job: Job, command: string): Step | undefined =>
  (job.steps ?? []).find((step) => actionCommand(step) === command);
const roleOf = (job: Job) =>
  String(
    (job.steps ?? []).find((step) => step.uses?.startsWith('aws-actions/configure-aws-credentials@'))?.with?.[
      'role-to-assume'
    ] ?? '',
  );

/**
 * deploy.yml: environments are data. One deploy job, a matrix over resolve's deploy targets taken one at a
 * time in promotion order (a failure stops the rest), each leg in its target's GitHub environment with its
 * target's role, queued per stack; gated targets are previewed first, in the read role's environment (never
 * its target's, whose approval it informs), with the read role, and the change set they showed is what the deploy is handed. No environment is named in the file.
 */
export function checkDeployWorkflow(file: WorkflowFile, environments: PipelineEnvironment[]): string[] {
  const problems: string[] = [];
  const entries = Object.entries(file.workflow.jobs);
  const deploys = entries.filter(([, job]) => actionStep(job, 'deploy'));
  if (deploys.length !== 1) return [`${file.path}: ${deploys.length} deploy jobs, expected one matrix job`];
  const [name, job] = deploys[0] as [string, Job];
  const where = `${file.path}: job ${name}`;
  const strategy = (job.strategy ?? {}) as {
    'max-parallel'?: number;
    'fail-fast'?: boolean;
    matrix?: unknown;
  };
  if (
    JSON.stringify(strategy.matrix) !==
    JSON.stringify({ target: '${{ fromJSON(needs.resolve.outputs.deploys) }}' })
  )
    problems.push(`${where} is not a matrix over resolve's deploys`);
  if (strategy['max-parallel'] !== 1 || strategy['fail-fast'] === false)
    problems.push(`${where} does not deploy one environment at a time, stopping at a failure`);
  if (environmentOf(job) !== '${{ matrix.target.environment }}')
    problems.push(`${where} does not run in its target's GitHub environment`);
  if (roleOf(job) !== '${{ matrix.target.role }}')
    problems.push(`${where} does not assume its target's role`);
  const concurrency = typeof job.concurrency === 'object' ? job.concurrency : undefined;
  if (
    concurrency?.group !== 'deploy-${{ matrix.target.stack }}' ||
    concurrency['cancel-in-progress'] !== false
  )
    problems.push(`${where} is not queued per stack (concurrency deploy-<stack>, no cancelling)`);
  const deploy = actionStep(job, 'deploy');
  if (deploy?.with?.environment !== '${{ matrix.target.environment }}')
    problems.push(`${where} does not deploy its target`);
  if (deploy?.with?.images !== targetImages)
    problems.push(`${where} does not deploy the images push copied into its target's repository`);
  // A gated stack's repositories are written by its own job, with its role, after approval: the promotion.
  const steps = job.steps ?? [];
  const promotion = steps.findIndex(
    (step) => actionCommand(step) === 'push' && step.with?.images !== undefined,
  );
  const promote = steps[promotion];
  if (
    !promote ||
    promote.if !== 'matrix.target.promote' ||
    promote.with?.environment !== '${{ matrix.target.environment }}' ||
    promote.with.images !== targetImages ||
    promotion > steps.findIndex((step) => actionCommand(step) === 'deploy')
  )
    problems.push(
      `${where} does not promote its gated target's images into its repositories before deploying`,
    );
  if (deploy?.with?.['expected-change-set'] !== '${{ steps.approved.outputs.change-set }}')
    problems.push(`${where} does not deploy the change set the reviewers approved`);
  if (!needsOf(job).includes('resolve') || !needsOf(job).includes('images'))
    problems.push(`${where} does not wait for resolve and the images`);
  const previews = entries.filter(([, j]) => actionStep(j, 'preview'));
  const [previewName, preview] = (previews[0] ?? []) as [string | undefined, Job | undefined];
  if (!previewName || !preview || previews.length !== 1)
    problems.push(`${file.path}: no single gated preview job`);
  else {
    if (!needsOf(job).includes(previewName)) problems.push(`${where} does not wait for ${previewName}`);
    const matrix = (preview.strategy as { matrix?: unknown } | undefined)?.matrix;
    if (
      JSON.stringify(matrix) !==
      JSON.stringify({ target: '${{ fromJSON(needs.resolve.outputs.gated-deploys) }}' })
    )
      problems.push(`${file.path}: job ${previewName} does not preview every gated target`);
    // Only in the read role's own environment (no reviewers): that is what lets it assume the read role.
    if (environmentOf(preview) !== roleEnvironments.read)
      problems.push(
        `${file.path}: job ${previewName} does not run in ${roleEnvironments.read}, or runs in an environment that would wait for the approval it informs`,
      );
    // The read role of the target's own account (resolve derives it): with one account per environment the
    // home account's read role cannot open prod's state.
    if (roleOf(preview) !== '${{ matrix.target.readRole }}')
      problems.push(
        `${file.path}: job ${previewName} does not use the read-only role of the target's account`,
      );
    if (actionStep(preview, 'preview')?.with?.images !== targetImages)
      problems.push(`${file.path}: job ${previewName} does not preview the images its target would get`);
  }
  for (const env of environments)
    if (new RegExp(`\\b${env.name}\\b`).test(file.text.replace(/^\s*#.*$/gm, '').replace(/--omit=dev/g, '')))
      problems.push(`${file.path} names the environment ${env.name}: it should come from pipeline.yaml`);
  return [...problems, ...checkImageSteps(file)];
}

/** The images of the target's repository, from push's environment-images output. */
const targetImages =
  '${{ toJSON(fromJSON(needs.images.outputs.environment-images)[matrix.target.environment]) }}';

/**
 * build, scan and push all know which repositories resolve's environments map to (a promotion, push with
 * images, names its one environment instead).
 */
function checkImageSteps(file: WorkflowFile): string[] {
  return Object.entries(file.workflow.jobs).flatMap(([name, job]) =>
    (job.steps ?? [])
      .filter((step) => ['build', 'scan', 'push'].includes(actionCommand(step) ?? ''))
      .filter((step) => step.with?.images === undefined)
      .filter((step) => step.with?.environments !== '${{ needs.resolve.outputs.environments }}')
      .map(
        (step) =>
          `${file.path}: job ${name}: ${String(step.with?.command)} is not given resolve's environments`,
      ),
  );
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
    if (role !== '${{ fromJSON(needs.resolve.outputs.accounts)[matrix.environment].previewRole }}')
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
