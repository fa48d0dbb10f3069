import { actionCommand, type Job, type Step, type WorkflowFile } from './workflow-files';

/** A rule returns one line per violation, naming the file and the job; none means the rule holds. */
export type Rule = (file: WorkflowFile) => string[];

const awsCredentialsAction = 'aws-actions/configure-aws-credentials@';

const steps = (job: Job): Step[] => job.steps ?? [];
const runsCommand = (job: Job, command: string) => steps(job).some((step) => actionCommand(step) === command);
const usesAws = (job: Job) => steps(job).some((step) => step.uses?.startsWith(awsCredentialsAction));
const permissionsOf = (job: Job): Record<string, string> =>
  typeof job.permissions === 'object' ? job.permissions : {};
const triggers = (file: WorkflowFile): string[] => {
  const on = file.workflow.on;
  return typeof on === 'string' ? [on] : Array.isArray(on) ? on : Object.keys(on);
};
const jobs = (file: WorkflowFile) => Object.entries(file.workflow.jobs);

/** Top-level permissions grant nothing, or read only. */
export const topLevelPermissionsReadOnly: Rule = (file) => {
  const top = file.workflow.permissions;
  if (top === undefined) return [`${file.path}: no top-level permissions (the default token can write)`];
  if (typeof top === 'string')
    return top === 'read-all' ? [] : [`${file.path}: top-level permissions: ${top}`];
  return Object.entries(top)
    .filter(([, level]) => level !== 'read' && level !== 'none')
    .map(([scope, level]) => `${file.path}: top-level permissions grant ${scope}: ${level}`);
};

/** Why a job may hold each write scope: the step that needs it. */
const writeNeeds: Record<string, (job: Job, file: WorkflowFile) => boolean> = {
  'id-token': usesAws,
  // A preview comments only on pull requests; on a push it writes the job summary alone.
  'pull-requests': (job, file) =>
    (runsCommand(job, 'preview') && triggers(file).includes('pull_request')) ||
    // A deploy updates the sticky comment of the pull request its commit came from.
    runsCommand(job, 'deploy') ||
    runsCommand(job, 'offline-comment') ||
    steps(job).some((step) => /\/issues\/\S+\/comments/.test(step.run ?? '')),
  deployments: (job) => runsCommand(job, 'deploy'),
  issues: (job) => runsCommand(job, 'drift'),
  attestations: (job) => steps(job).some((step) => step.uses?.startsWith('actions/attest-build-provenance@')),
};

/** Why a job may read a scope beyond contents: the step that needs it. */
const readNeeds: Record<string, (job: Job) => boolean> = {
  // Environments (the deploy's approval check) are read with actions: read; a private repository answers 403.
  actions: (job) => runsCommand(job, 'deploy'),
  // gh attestation verify reads an image's provenance wherever one is reused, promoted or deployed.
  attestations: (job) =>
    steps(job).some(
      (step) =>
        (actionCommand(step) === 'build' && String(step.with?.push) !== 'false') ||
        actionCommand(step) === 'push' ||
        (actionCommand(step) === 'deploy' && step.with?.images !== undefined),
    ),
};

/** Every job states its permissions; each write is one its steps need, and each need is granted. */
export const jobPermissionsExact: Rule = (file) =>
  jobs(file).flatMap(([name, job]) => {
    if (typeof job.permissions !== 'object')
      return [`${file.path}: job ${name} states no permissions of its own`];
    const granted = permissionsOf(job);
    const readProblems = Object.entries(readNeeds).flatMap(([scope, needs]) =>
      needs(job) && !['read', 'write'].includes(granted[scope] ?? '')
        ? [`${file.path}: job ${name} needs ${scope}: read`]
        : [],
    );
    const problems = Object.entries(granted)
      .filter(([scope, level]) => level === 'write' && !writeNeeds[scope]?.(job, file))
      .map(([scope]) => `${file.path}: job ${name} has ${scope}: write it does not need`);
    for (const [scope, needs] of Object.entries(writeNeeds)) {
      if (needs(job, file) && granted[scope] !== 'write')
        problems.push(`${file.path}: job ${name} needs ${scope}: write`);
    }
    return [...problems, ...readProblems];
  });

/** Every action from another repository is pinned by a full commit SHA with its version in a comment. */
export const actionsPinnedBySha: Rule = (file) =>
  file.text
    .split('\n')
    .map((line, index) => ({ line: line.trim(), number: index + 1 }))
    .filter(({ line }) => /^(- )?uses:/.test(line))
    .filter(({ line }) => !line.replace(/^(- )?uses:\s*/, '').startsWith('./'))
    .filter(({ line }) => !/^(- )?uses: [\w.-]+\/[\w./-]+@[0-9a-f]{40} # v\d+(\.\d+){0,2}$/.test(line))
    .map(
      ({ line, number }) =>
        `${file.path}:${number}: not pinned by commit SHA with a version comment: ${line}`,
    );

/** AWS is reached only by assuming a role through OIDC: no access keys anywhere. */
export const awsThroughOidcOnly: Rule = (file) => {
  const problems = jobs(file).flatMap(([name, job]) =>
    steps(job)
      .filter((step) => step.uses?.startsWith(awsCredentialsAction))
      .filter((step) => !step.with?.['role-to-assume'] || 'aws-access-key-id' in (step.with ?? {}))
      .map(() => `${file.path}: job ${name} configures AWS without an OIDC role`),
  );
  if (/AWS_ACCESS_KEY_ID|AWS_SECRET_ACCESS_KEY|aws-secret-access-key/.test(file.text))
    problems.push(`${file.path}: mentions long-lived AWS keys`);
  return problems;
};

/** No expression is expanded inside a shell script: values reach `run:` through `env:` only. */
export const noExpressionsInRun: Rule = (file) =>
  jobs(file).flatMap(([name, job]) =>
    steps(job)
      .filter((step) => step.run?.includes('${{'))
      .map(
        (step) => `${file.path}: job ${name} step "${step.name ?? step.run}" expands an expression in run:`,
      ),
  );

/** Pull requests use the `pull_request` trigger, which gives forks no secrets and a read-only token. */
export const noPullRequestTarget: Rule = (file) =>
  triggers(file).includes('pull_request_target') ? [`${file.path}: uses pull_request_target`] : [];

const lockKey = "hashFiles('**/package-lock.json')";
const providersKey = '${{ steps.providers.outputs.key }}';
const cachesPath = (job: Job, path: string, key: string) =>
  steps(job).findIndex(
    (step) =>
      step.uses?.startsWith('actions/cache@') &&
      step.with?.path === path &&
      String(step.with?.key ?? '').includes(key),
  );

/**
 * Jobs that install packages restore the npm cache first, keyed on the lock file, and jobs that run Pulumi
 * restore its plugins keyed on the provider versions, so a dependency change gets a fresh cache.
 */
export const cachesKeyedOnLockFile: Rule = (file) =>
  jobs(file).flatMap(([name, job]) => {
    const problems: string[] = [];
    const install = steps(job).findIndex((step) => /^npm ci\b/.test(step.run?.trim() ?? ''));
    if (install >= 0) {
      const cache = cachesPath(job, '~/.npm', lockKey);
      if (cache < 0 || cache > install)
        problems.push(`${file.path}: job ${name} runs npm ci without the npm cache keyed on the lock file`);
    }
    const pulumi = steps(job).findIndex((step) =>
      ['preview', 'deploy', 'drift'].includes(actionCommand(step) ?? ''),
    );
    if (pulumi >= 0) {
      const cache = cachesPath(job, '~/.pulumi/plugins', providersKey);
      if (cache < 0 || cache > pulumi)
        problems.push(
          `${file.path}: job ${name} runs Pulumi without the plugin cache keyed on the provider versions`,
        );
    }
    return problems;
  });

export const rules: Record<string, Rule> = {
  topLevelPermissionsReadOnly,
  jobPermissionsExact,
  actionsPinnedBySha,
  awsThroughOidcOnly,
  noExpressionsInRun,
  noPullRequestTarget,
  cachesKeyedOnLockFile,
};
