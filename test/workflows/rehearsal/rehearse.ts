import { spawn } from 'node:child_process';
import { createHash, randomBytes } from 'node:crypto';
import { cpSync, existsSync, mkdirSync, readFileSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import { basename, join } from 'node:path';
import { parse } from 'yaml';
import { compileCache, node24, repoRoot } from '../../action/support/run-action';
import type { Job, Step, Workflow } from '../workflow-files';
import { asText, condition, interpolate, type ExpressionContext, type Value } from './expressions';
import type { World } from './world';

/** The event a rehearsal runs for. */
export interface RehearsalEvent {
  name: 'push' | 'pull_request' | 'schedule' | 'workflow_dispatch' | 'workflow_run';
  ref: string;
  sha?: string;
  payload: Record<string, unknown>;
}

export interface JobRun {
  /** `job` or `job (matrix values)`. */
  name: string;
  job: string;
  result: 'success' | 'failure' | 'skipped';
  environment?: string;
  /** Roles assumed through OIDC, with the subject the token carried. */
  roles: { role: string; subject: string }[];
  /** Why the job failed: the failing step and the last lines it printed. */
  error?: string;
  log: string;
}

export interface Rehearsal {
  jobs: JobRun[];
  /** Jobs that ran (not skipped), in order. */
  ran: string[];
  /** `pulumi up` runs: which job deployed which stack. */
  deployed: { job: string; stack: string }[];
  /** `docker buildx build` runs: which job built which images (their tags). */
  built: { job: string; tags: string[] }[];
  /** Environments whose reviewers were asked (and, in the rehearsal, approved). */
  approvals: string[];
  /** GitHub API requests refused for want of a permission. */
  forbidden: string[];
  /** npm's EBADENGINE warnings. */
  engineWarnings: string[];
  /** Stacks created by a deploy, with the secrets provider given. */
  created: { project: string; stack: string; provider?: string }[];
  /** Each job's result and outputs, as the jobs after it saw them (`needs`). */
  results: Record<string, { result: string; outputs: Record<string, string> }>;
  ok: boolean;
}

const defaultPath = ['/usr/bin', '/bin'];
const sha = 'f3c9a1b2d4e5f60718293a4b5c6d7e8f90a1b2c3';

/**
 * A hosted runner checks out every job at the same path; so does the rehearsal, one path per jest worker (in
 * the run's scratch folder) emptied before each job. The action then starts from the same file every time and
 * Node's compile cache (compileCache) spares it parsing its bundle again. A rehearsal beside another in the
 * same worker takes the next free path (one that failed midway keeps its path: the next takes another).
 */
const workspacesInUse = new Set<string>();
function takeWorkspace(run: string): string {
  const scratch = process.env.SLIPWAY_TEST_SCRATCH;
  if (!scratch) return join(run, 'work');
  for (let n = 1; ; n++) {
    const workspace = join(scratch, `runner-${process.env.JEST_WORKER_ID ?? '0'}-${n}`, 'work');
    if (workspacesInUse.has(workspace)) continue;
    workspacesInUse.add(workspace);
    return workspace;
  }
}

/**
 * Walks a workflow job by job in `needs` order and runs every step the way a fresh ubuntu-latest runner
 * would: nothing installed but the runner's default Node and docker without buildx; each job gets an empty
 * workspace, its own token limited to its `permissions:`, an OIDC token only with `id-token: write` (never
 * for a fork), and AWS roles only when their trust matches the job's subject. `uses:` steps are the real
 * local action (run by the Node its action.yml names) or stand-ins for the third-party actions the
 * workflows use; `run:` steps run in bash with fake curl, npm and sha256sum ahead of the system tools.
 */
export async function rehearse(
  world: World,
  workflowPath: string,
  event: RehearsalEvent,
  options: {
    change?: (workflow: Workflow) => void;
    fork?: boolean;
    /** Stop after this job (a regression case needs only the jobs up to the one it breaks). */
    until?: string;
    /**
     * Start at `job`, the jobs before it standing as `rehearsal` recorded them: a regression case that breaks
     * one job need not build and push again what an earlier rehearsal of the same event in the same world
     * already did (its images are in the registry, its artifacts uploaded).
     */
    from?: { rehearsal: Rehearsal; job: string };
  } = {},
): Promise<Rehearsal> {
  const workflow = parse(readFileSync(join(world.repo, workflowPath), 'utf8')) as Workflow;
  options.change?.(workflow);
  const run = join(world.dir, `run-${randomBytes(4).toString('hex')}`);
  mkdirSync(run);
  writeFileSync(join(run, 'event.json'), JSON.stringify(event.payload));
  const forbiddenBefore = world.github.forbidden.length;
  const jobs: JobRun[] = [];
  const results: Record<string, { result: string; outputs: Record<string, string> }> = {};
  const approvals: string[] = [];
  const deployed: Rehearsal['deployed'] = [];
  const built: Rehearsal['built'] = [];
  const github = {
    event_name: event.name,
    event: event.payload as Value,
    ref: event.ref,
    ref_name: event.ref.replace(/^refs\/(heads|tags)\//, ''),
    sha: event.sha ?? sha,
    repository: world.repository,
    server_url: 'https://github.com',
    run_id: '4242',
    // The workflow as GitHub names it in the job's OIDC token (job_workflow_ref): what an attestation signs as.
    workflow_ref: `${world.repository}/.github/workflows/${basename(workflowPath)}@${event.ref}`,
  };

  const workspace = takeWorkspace(run);
  const jobOrder = order(workflow);
  const replayed = options.from ? jobOrder.slice(0, jobOrder.indexOf(options.from.job)) : [];
  if (options.from && !jobOrder.includes(options.from.job))
    throw new Error(`rehearsal: no job ${options.from.job} to start from`);
  for (const name of jobOrder) {
    const recorded = options.from?.rehearsal;
    if (recorded && replayed.includes(name)) {
      const result = recorded.results[name];
      if (!result) throw new Error(`rehearsal: the rehearsal to start from has no job ${name}`);
      results[name] = result;
      jobs.push(...recorded.jobs.filter((j) => j.job === name));
      continue;
    }
    const job = workflow.jobs[name] as Job;
    const needs = [job.needs ?? []].flat();
    const needsContext = Object.fromEntries(
      needs.map((need) => [
        need,
        { result: results[need]?.result ?? 'skipped', outputs: results[need]?.outputs ?? {} },
      ]),
    );
    // failure() at job level is true when any ancestor failed, not only a job named in needs.
    const jobStatus = {
      success: needs.every((need) => results[need]?.result === 'success'),
      failure: ancestors(workflow, name).some((ancestor) => results[ancestor]?.result === 'failure'),
    };
    const base: ExpressionContext = {
      contexts: {
        github,
        needs: needsContext,
        vars: world.vars,
        secrets: world.secrets,
        env: workflow.env ?? {},
        inputs: {},
      },
      status: jobStatus,
    };
    if (!condition(job.if, base)) {
      results[name] = { result: 'skipped', outputs: {} };
      jobs.push({ name, job: name, result: 'skipped', roles: [], log: '' });
      continue;
    }
    const strategy = (job.strategy ?? {}) as { matrix?: Record<string, unknown>; 'fail-fast'?: boolean };
    const legs = matrixLegs(strategy.matrix, base);
    let jobResult: 'success' | 'failure' = 'success';
    let outputs: Record<string, string> = {};
    for (const matrix of legs) {
      const leg = await runJob(
        world,
        run,
        workspace,
        workflow,
        name,
        job,
        matrix,
        base,
        event,
        options.fork ?? false,
        approvals,
      );
      jobs.push(leg.run);
      deployed.push(...leg.deployed.map((stack) => ({ job: leg.run.name, stack })));
      built.push(...leg.built.map((tags) => ({ job: leg.run.name, tags })));
      if (leg.run.result === 'failure') {
        jobResult = 'failure';
        if (strategy['fail-fast'] !== false) break;
      } else outputs = leg.outputs;
    }
    results[name] = { result: jobResult, outputs };
    if (name === options.until) break;
  }
  const engineWarnings = lines(join(world.dir, 'npm.jsonl'))
    .filter((entry) => entry.warning === 'EBADENGINE')
    .map((entry) => `${String(entry.package)} on ${String(entry.node)}`);
  const created = lines(join(world.backend, 'pulumi-created.jsonl')) as Rehearsal['created'];
  const forbidden = world.github.forbidden.slice(forbiddenBefore);
  workspacesInUse.delete(workspace);
  return {
    jobs,
    ran: jobs.filter((j) => j.result !== 'skipped').map((j) => j.name),
    deployed,
    built,
    approvals,
    forbidden,
    engineWarnings,
    created,
    results,
    ok: jobs.every((j) => j.result !== 'failure') && forbidden.length === 0 && engineWarnings.length === 0,
  };
}

function lines(file: string): Record<string, unknown>[] {
  if (!existsSync(file)) return [];
  return readFileSync(file, 'utf8')
    .split('\n')
    .filter(Boolean)
    .map((line) => JSON.parse(line) as Record<string, unknown>);
}

/** Every job a job needs, directly or through the jobs it needs. */
function ancestors(workflow: Workflow, name: string): string[] {
  const direct = [workflow.jobs[name]?.needs ?? []].flat();
  return [...new Set(direct.flatMap((need) => [need, ...ancestors(workflow, need)]))];
}

/** Jobs in an order that respects `needs` (file order among the ready ones, as GitHub shows them). */
function order(workflow: Workflow): string[] {
  const done: string[] = [];
  const names = Object.keys(workflow.jobs);
  while (done.length < names.length) {
    const ready = names.find(
      (name) =>
        !done.includes(name) && [workflow.jobs[name]?.needs ?? []].flat().every((n) => done.includes(n)),
    );
    if (!ready) throw new Error('rehearsal: jobs need each other in a cycle');
    done.push(ready);
  }
  return done;
}

function matrixLegs(
  matrix: Record<string, unknown> | undefined,
  ctx: ExpressionContext,
): Record<string, Value>[] {
  if (!matrix) return [{}];
  let legs: Record<string, Value>[] = [{}];
  for (const [key, raw] of Object.entries(matrix)) {
    const values = interpolate(raw, ctx);
    if (!Array.isArray(values)) throw new Error(`rehearsal: matrix ${key} is not a list`);
    if (values.length === 0) throw new Error(`rehearsal: matrix ${key} is empty, which GitHub refuses`);
    legs = legs.flatMap((leg) => values.map((value) => ({ ...leg, [key]: value })));
  }
  return legs;
}

interface StepResult {
  ok: boolean;
  outputs: Record<string, string>;
  output: string;
}

/** One job (or one matrix leg) on a fresh runner. */
async function runJob(
  world: World,
  run: string,
  workspace: string,
  workflow: Workflow,
  name: string,
  job: Job,
  matrix: Record<string, Value>,
  base: ExpressionContext,
  event: RehearsalEvent,
  fork: boolean,
  approvals: string[],
): Promise<{ run: JobRun; outputs: Record<string, string>; deployed: string[]; built: string[][] }> {
  const label = Object.keys(matrix).length
    ? `${name} (${Object.values(matrix)
        .map((v) =>
          typeof v === 'object' && v !== null && !Array.isArray(v)
            ? asText(v.environment ?? v.services ?? v)
            : asText(v),
        )
        .join(', ')})`
    : name;
  const home = join(run, label.replace(/[^\w-]+/g, '_'));
  rmSync(workspace, { recursive: true, force: true });
  const temp = join(home, 'temp');
  const fakes = join(home, 'fakes');
  for (const dir of [workspace, temp, fakes]) mkdirSync(dir, { recursive: true });
  writeFileSync(join(fakes, 'scenario.json'), JSON.stringify(world.scenario));
  const ctx: ExpressionContext = {
    contexts: { ...base.contexts, matrix: matrix as Value, runner: { os: 'Linux', temp }, steps: {} },
    status: { success: true, failure: false },
    hashFiles: (patterns) => hashFiles(workspace, patterns),
  };
  const environment =
    job.environment === undefined
      ? undefined
      : asText(
          interpolate(typeof job.environment === 'object' ? job.environment.name : job.environment, ctx),
        );
  const record: JobRun = { name: label, job: name, result: 'success', environment, roles: [], log: '' };
  const say = (text: string) => (record.log += text.endsWith('\n') ? text : `${text}\n`);
  if (environment) {
    // GitHub refuses the job before any step when its branch may not deploy to the environment.
    const refused = world.mayUseEnvironment(environment, event.ref);
    if (refused) {
      record.result = 'failure';
      record.error = refused;
      return { run: record, outputs: {}, deployed: [], built: [] };
    }
    // A job in an environment reads the environment's variables in place of the repository's.
    ctx.contexts.vars = {
      ...world.vars,
      ...(world.bootstrap.environments.get(environment)?.variables ?? {}),
    };
    const settings = world.github.environments.get(environment) as
      { protection_rules?: { type: string }[] } | undefined;
    if (settings?.protection_rules?.some((rule) => rule.type === 'required_reviewers'))
      approvals.push(environment);
  }

  // The job's token: what `permissions:` grants (the workflow's when the job states none); a fork's run
  // gets read access only and no OIDC token, whatever the workflow asks for.
  const stated = job.permissions ?? workflow.permissions ?? {};
  let permissions: Record<string, string> =
    typeof stated === 'string'
      ? { contents: stated.startsWith('write') ? 'write' : 'read', actions: 'read', 'pull-requests': 'read' }
      : { ...stated };
  if (fork)
    permissions = Object.fromEntries(
      Object.entries(permissions)
        .filter(([scope]) => scope !== 'id-token')
        .map(([scope, level]) => [scope, level === 'write' ? 'read' : level]),
    );
  const token = `ghs_${randomBytes(12).toString('hex')}`;
  world.github.tokens.set(token, permissions);
  world.github.tokenOwners.set(token, label);
  (ctx.contexts.github as Record<string, Value>).token = token;
  const subject = environment
    ? `repo:${world.repository}:environment:${environment}`
    : event.name === 'pull_request'
      ? `repo:${world.repository}:pull_request`
      : `repo:${world.repository}:${event.ref}`.replace(':refs/', ':ref:refs/');

  let path = [join(home, 'tools'), world.bin, ...defaultPath];
  const jobEnv: Record<string, string> = {};
  for (const [key, value] of Object.entries({
    ...(workflow.env ?? {}),
    ...((job as { env?: Record<string, string> }).env ?? {}),
  }))
    jobEnv[key] = asText(interpolate(value, ctx));
  ctx.contexts.env = { ...jobEnv };
  let failed = false;
  const steps = ctx.contexts.steps as Record<string, Value>;
  for (const [index, step] of (job.steps ?? []).entries()) {
    ctx.status = { success: !failed, failure: failed };
    if (!condition(step.if, ctx)) continue;
    const stepName = step.name ?? step.uses ?? step.run?.split('\n')[0] ?? `step ${index}`;
    const files = {
      output: join(temp, `output-${index}`),
      path: join(temp, `path-${index}`),
      env: join(temp, `env-${index}`),
      summary: join(temp, `summary-${index}`),
    };
    for (const file of Object.values(files)) writeFileSync(file, '');
    const stepEnv: Record<string, string> = { ...jobEnv };
    for (const [key, value] of Object.entries(step.env ?? {})) stepEnv[key] = asText(interpolate(value, ctx));
    const env: NodeJS.ProcessEnv = {
      ...stepEnv,
      PATH: path.join(':'),
      HOME: home,
      CI: 'true',
      GITHUB_ACTIONS: 'true',
      GITHUB_EVENT_NAME: event.name,
      GITHUB_EVENT_PATH: join(run, 'event.json'),
      GITHUB_REF: event.ref,
      GITHUB_SHA: event.sha ?? sha,
      GITHUB_REPOSITORY: world.repository,
      GITHUB_RUN_ID: '4242',
      GITHUB_WORKFLOW_REF: asText((ctx.contexts.github as Record<string, Value>).workflow_ref ?? ''),
      GITHUB_SERVER_URL: 'https://github.com',
      GITHUB_API_URL: world.github.url,
      GITHUB_WORKSPACE: workspace,
      GITHUB_OUTPUT: files.output,
      GITHUB_PATH: files.path,
      GITHUB_ENV: files.env,
      GITHUB_STEP_SUMMARY: files.summary,
      RUNNER_TEMP: temp,
      RUNNER_OS: 'Linux',
      AWS_ENDPOINT_URL_ECR: world.github.url,
      AWS_EC2_METADATA_DISABLED: 'true',
      FAKE_DIR: fakes,
      FAKE_SERVER: world.github.url,
      FAKE_BACKEND_DIR: world.backend,
      REHEARSAL_DIR: world.dir,
      REPO_NODE_MODULES: join(repoRoot, 'node_modules'),
      FAKE_NODE_MODULES: join(repoRoot, 'node_modules'),
      ...compileCache,
    };
    let result: StepResult;
    try {
      result = await runStep(world, step, ctx, env, {
        workspace,
        home,
        fakes,
        token,
        permissions,
        subject,
        record,
        say,
      });
    } catch (error) {
      result = { ok: false, outputs: {}, output: (error as Error).message };
    }
    say(`::: ${stepName}\n${result.output}`);
    if (step.id) steps[step.id] = { outputs: result.outputs, outcome: result.ok ? 'success' : 'failure' };
    // What the step asked the runner to carry over.
    const added = readFileSync(files.path, 'utf8').split('\n').filter(Boolean);
    path = [...added.reverse(), ...path];
    for (const line of readFileSync(files.env, 'utf8').split('\n').filter(Boolean)) {
      const [key, ...rest] = line.split('=');
      if (key) jobEnv[key] = rest.join('=');
    }
    Object.assign(
      jobEnv,
      result.outputs.__env ? (JSON.parse(result.outputs.__env) as Record<string, string>) : {},
    );
    ctx.contexts.env = { ...jobEnv };
    if (!result.ok && !failed) {
      failed = true;
      record.result = 'failure';
      record.error = `${stepName}: ${result.output.trim().split('\n').slice(-6).join('\n')}`;
    }
  }
  ctx.status = { success: !failed, failure: failed };
  const outputs: Record<string, string> = {};
  for (const [key, value] of Object.entries(job.outputs ?? {}))
    outputs[key] = asText(interpolate(value, ctx));
  const deployed = lines(join(fakes, 'calls.jsonl'))
    .filter((call) => call.tool === 'pulumi' && (call.args as string[])[0] === 'up')
    .map((call) => {
      const args = call.args as string[];
      return args[args.indexOf('--stack') + 1] ?? '';
    });
  const built = lines(join(fakes, 'calls.jsonl'))
    .filter((call) => call.tool === 'docker' && (call.args as string[])[1] === 'build')
    .map((call) => (call.args as string[]).filter((_, i, args) => args[i - 1] === '--tag'));
  return { run: record, outputs, deployed, built };
}

interface StepRuntime {
  workspace: string;
  home: string;
  fakes: string;
  token: string;
  permissions: Record<string, string>;
  subject: string;
  record: JobRun;
  say: (text: string) => void;
}

async function runStep(
  world: World,
  step: Step,
  ctx: ExpressionContext,
  env: NodeJS.ProcessEnv,
  rt: StepRuntime,
): Promise<StepResult> {
  const withs: Record<string, string> = {};
  for (const [key, value] of Object.entries(step.with ?? {})) withs[key] = asText(interpolate(value, ctx));
  if (step.run !== undefined) {
    const script = asText(interpolate(step.run, ctx));
    return shell('bash', ['--noprofile', '--norc', '-eo', 'pipefail', '-c', script], rt.workspace, env);
  }
  const uses = step.uses ?? '';
  if (uses === './action') return runLocalAction(world, withs, ctx, env, rt);
  const action = uses.slice(0, uses.indexOf('@'));
  switch (action) {
    case 'actions/checkout':
      cpSync(world.repo, rt.workspace, { recursive: true });
      return { ok: true, outputs: {}, output: `checked out ${world.repository}` };
    case 'actions/setup-node': {
      const version = withs['node-version'] ?? '';
      const tools = join(rt.home, 'tools');
      mkdirSync(tools, { recursive: true });
      if (!/^24(\.|$)/.test(version))
        return {
          ok: false,
          outputs: {},
          output: `rehearsal: only Node 24 is available to setup-node (asked for ${version})`,
        };
      symlinkSync(node24, join(tools, 'node'));
      return { ok: true, outputs: { 'node-version': 'v24' }, output: `node ${version}` };
    }
    case 'actions/cache':
      // actions/cache validates its key before anything else.
      if (!withs.key) return { ok: false, outputs: {}, output: 'Input required and not supplied: key' };
      if (withs.key.includes(','))
        return {
          ok: false,
          outputs: {},
          output: `Key Validation Error: ${withs.key} cannot contain commas.`,
        };
      if (withs.key.length > 512)
        return {
          ok: false,
          outputs: {},
          output: `Key Validation Error: ${withs.key} cannot be larger than 512 characters.`,
        };
      return { ok: true, outputs: { 'cache-hit': 'false' }, output: `cache ${withs.path} key ${withs.key}` };
    case 'docker/setup-buildx-action':
      writeFileSync(join(rt.fakes, 'buildx-driver'), 'docker-container\n');
      return {
        ok: true,
        outputs: { name: 'builder', driver: 'docker-container' },
        output: 'buildx builder created',
      };
    case 'aws-actions/configure-aws-credentials': {
      const role = withs['role-to-assume'] ?? '';
      if (rt.permissions['id-token'] !== 'write')
        return {
          ok: false,
          outputs: {},
          output:
            'Credentials could not be loaded, please check your action inputs: Could not load credentials from any providers\nIt looks like you might be trying to authenticate with OIDC. Did you mean to set the `id-token` permission?',
        };
      if (!withs['aws-region'])
        return { ok: false, outputs: {}, output: 'Input required and not supplied: aws-region' };
      if (!world.mayAssume(role, rt.subject))
        return {
          ok: false,
          outputs: {},
          output: `Could not assume role with OIDC: Not authorized to perform sts:AssumeRoleWithWebIdentity (role ${role || '(empty)'}, sub ${rt.subject})`,
        };
      rt.record.roles.push({ role, subject: rt.subject });
      const credentials = {
        AWS_ACCESS_KEY_ID: 'ASIAREHEARSAL',
        AWS_SECRET_ACCESS_KEY: 'rehearsal-secret',
        AWS_SESSION_TOKEN: 'rehearsal-session',
        AWS_REGION: withs['aws-region'] ?? '',
        AWS_DEFAULT_REGION: withs['aws-region'] ?? '',
      };
      return { ok: true, outputs: { __env: JSON.stringify(credentials) }, output: `assumed ${role}` };
    }
    case 'actions/attest-build-provenance': {
      // Signs with the job's OIDC token (Fulcio names the workflow of GITHUB_WORKFLOW_REF in the certificate)
      // and stores the attestation through the API: both permissions are needed, and a subject file.
      if (rt.permissions['id-token'] !== 'write')
        return {
          ok: false,
          outputs: {},
          output: 'Error: Unable to get ACTIONS_ID_TOKEN_REQUEST_URL env variable',
        };
      if (rt.permissions.attestations !== 'write')
        return {
          ok: false,
          outputs: {},
          output: 'Error: Failed to persist attestation: Resource not accessible by integration',
        };
      const checksums = withs['subject-checksums'] ?? '';
      if (!checksums || !existsSync(checksums))
        return { ok: false, outputs: {}, output: `Error: subject checksums file not found: ${checksums}` };
      const [workflowRepository, workflow] =
        /^([^/]+\/[^/]+)\/(.+)@/.exec(env.GITHUB_WORKFLOW_REF ?? '')?.slice(1) ?? [];
      const lines = readFileSync(checksums, 'utf8').split('\n').filter(Boolean);
      for (const line of lines)
        world.github.attest(`sha256:${line.split(/\s+/)[0] ?? ''}`, {
          workflow,
          sourceRepository: workflowRepository,
        });
      return { ok: true, outputs: {}, output: `attested ${lines.length} subjects` };
    }
    case 'actions/upload-artifact': {
      const target = join(world.artifacts, withs.name ?? 'artifact');
      cpSync(join(rt.workspace, withs.path ?? '.'), target, { recursive: true });
      return { ok: true, outputs: {}, output: `uploaded ${withs.name}` };
    }
    case 'actions/download-artifact': {
      const source = join(world.artifacts, withs.name ?? '');
      if (!existsSync(source))
        return {
          ok: false,
          outputs: {},
          output: `Unable to download artifact(s): Artifact not found for name: ${withs.name}`,
        };
      cpSync(source, join(rt.workspace, withs.path ?? '.'), { recursive: true });
      return { ok: true, outputs: {}, output: `downloaded ${withs.name}` };
    }
    default:
      return { ok: false, outputs: {}, output: `rehearsal: no stand-in for ${uses}` };
  }
}

/** The repository's own action, started the way the runner starts a JavaScript action. */
async function runLocalAction(
  world: World,
  withs: Record<string, string>,
  ctx: ExpressionContext,
  env: NodeJS.ProcessEnv,
  rt: StepRuntime,
): Promise<StepResult> {
  const dir = join(rt.workspace, 'action');
  if (!existsSync(join(dir, 'action.yml')))
    return {
      ok: false,
      outputs: {},
      output: "Can't find 'action.yml' under 'action'. Did you forget to run actions/checkout?",
    };
  const metadata = parse(readFileSync(join(dir, 'action.yml'), 'utf8')) as {
    inputs: Record<string, { default?: string }>;
    runs: { using: string; main: string };
  };
  // GitHub removed the Node 20 runtime on 2026-09-16; node24 is the one it runs.
  if (metadata.runs.using !== 'node24')
    return {
      ok: false,
      outputs: {},
      output: `The runtime '${metadata.runs.using}' is not supported by this runner (node24 is)`,
    };
  const inputs: Record<string, string> = {};
  for (const [name, spec] of Object.entries(metadata.inputs))
    if (spec.default !== undefined) inputs[name] = asText(interpolate(spec.default, ctx));
  Object.assign(inputs, withs);
  for (const [name, value] of Object.entries(inputs))
    env[`INPUT_${name.replace(/ /g, '_').toUpperCase()}`] = value;
  const result = await shell(node24, [join(dir, metadata.runs.main)], rt.workspace, env);
  return { ...result, outputs: parseOutputs(readFileSync(env.GITHUB_OUTPUT ?? '', 'utf8')) };
}

function shell(command: string, args: string[], cwd: string, env: NodeJS.ProcessEnv): Promise<StepResult> {
  return new Promise((resolve) => {
    const child = spawn(command, args, { cwd, env });
    let output = '';
    child.stdout.on('data', (chunk: Buffer) => (output += chunk.toString()));
    child.stderr.on('data', (chunk: Buffer) => (output += chunk.toString()));
    child.on('error', (error) => resolve({ ok: false, outputs: {}, output: `${output}${error.message}` }));
    child.on('close', (code) => {
      const outputs =
        env.GITHUB_OUTPUT && existsSync(env.GITHUB_OUTPUT)
          ? parseOutputs(readFileSync(env.GITHUB_OUTPUT, 'utf8'))
          : {};
      resolve({ ok: code === 0, outputs, output });
    });
  });
}

/** The runner's GITHUB_OUTPUT format: `name=value` lines and `name<<delimiter` … `delimiter` blocks. */
function parseOutputs(text: string): Record<string, string> {
  const outputs: Record<string, string> = {};
  const all = text.split('\n');
  for (let i = 0; i < all.length; i++) {
    const line = all[i] ?? '';
    const block = /^([^<=]+)<<(.+)$/.exec(line);
    if (block) {
      const value: string[] = [];
      while (++i < all.length && all[i] !== block[2]) value.push(all[i] ?? '');
      outputs[block[1] as string] = value.join('\n');
    } else if (line.includes('=')) {
      outputs[line.slice(0, line.indexOf('='))] = line.slice(line.indexOf('=') + 1);
    }
  }
  return outputs;
}

function hashFiles(workspace: string, patterns: string[]): string {
  const hash = createHash('sha256');
  let any = false;
  for (const pattern of patterns) {
    const name = pattern.replace(/^\*\*\//, '');
    const file = join(workspace, name);
    if (!pattern.includes('*') || existsSync(file)) {
      if (existsSync(file)) {
        hash.update(readFileSync(file));
        any = true;
      }
    }
  }
  return any ? hash.digest('hex') : '';
}
