// A stand-in for the Pulumi CLI: answers what the Automation API asks, replays recorded engine event logs,
// and records its arguments. Behaviour comes from scenario.json in FAKE_DIR. Like the real CLI it needs a
// backend (PULUMI_BACKEND_URL, or Pulumi Cloud's token), AWS credentials for an s3:// backend, a secrets
// provider to create a stack, and for preview/up a program whose dependencies are installed under a Node
// the SDK supports. Stacks live in FAKE_BACKEND_DIR (shared by every job of a run, as the bucket is).
const fs = require('node:fs');
const path = require('node:path');
const { execFileSync } = require('node:child_process');

const dir = process.env.FAKE_DIR;
const scenario = JSON.parse(fs.readFileSync(path.join(dir, 'scenario.json'), 'utf8'));
const statePath = path.join(dir, 'pulumi-state.json');
const state = fs.existsSync(statePath)
  ? JSON.parse(fs.readFileSync(statePath, 'utf8'))
  : { config: { ...(scenario.config || {}) }, calls: {} };
const args = process.argv.slice(2);
// `pulumi version` (the action's tool check, and the Automation API's) is not recorded.
if (args[0] !== 'version')
  fs.appendFileSync(
    path.join(dir, 'calls.jsonl'),
    JSON.stringify({ tool: 'pulumi', args, cwd: process.cwd(), t: Date.now() }) + '\n',
  );

const save = () => fs.writeFileSync(statePath, JSON.stringify(state));
const backendDir = process.env.FAKE_BACKEND_DIR || dir;
// The list a scenario gives (`stacks`) holds for every project; what `stack init` adds is the project's own.
const stacksPath = () => path.join(backendDir, `pulumi-stacks-${projectName()}.json`);
const stacks = () =>
  fs.existsSync(stacksPath()) ? JSON.parse(fs.readFileSync(stacksPath(), 'utf8')) : scenario.stacks || null;
const count = (name) => {
  state.calls[name] = (state.calls[name] || 0) + 1;
  save();
  return state.calls[name];
};
const option = (name) => {
  const index = args.indexOf(name);
  return index >= 0 ? args[index + 1] : undefined;
};
const fail = (message) => {
  process.stderr.write(message + '\n');
  process.exit(255);
};
const keyAfter = (word) => args.slice(args.indexOf(word) + 1).find((a) => !a.startsWith('--'));
const stack = option('--stack');

// Since 3.206 the SDK passes `--event-log tcp://host:port` and serves the events over gRPC; older CLIs
// append to a file the SDK polls. The fake speaks whichever its version implies, through the SDK's own
// generated gRPC client (the real CLI's Go client speaks the same protocol).
function streamEvents(address, lines) {
  const modules = { paths: [process.env.FAKE_NODE_MODULES] };
  const grpc = require(require.resolve('@grpc/grpc-js', modules));
  const rpc = require(require.resolve('@pulumi/pulumi/proto/events_grpc_pb', modules));
  const pb = require(require.resolve('@pulumi/pulumi/proto/events_pb', modules));
  const client = new rpc.EventsClient(address, grpc.credentials.createInsecure());
  return new Promise((resolve, reject) => {
    const call = client.streamEvents((error) => (client.close(), error ? reject(error) : resolve()));
    for (const line of lines) {
      const request = new pb.EventRequest();
      request.setEvent(line);
      call.write(request);
    }
    call.end();
  });
}

const shown = (line) => {
  try {
    return JSON.parse(line).resourcePreEvent;
  } catch {
    return undefined; // a line the engine garbled: the SDK warns about it, the fake only replays it
  }
};

async function replay(kind, logs, failures) {
  checkProgram();
  // A program with the GitHub provider (the bootstrap) reads the repository's settings with GITHUB_TOKEN;
  // without one the provider asks anonymously, and GitHub answers a private repository's settings 404.
  if ((scenario.githubProviderProjects || []).includes(projectName()) && !process.env.GITHUB_TOKEN)
    fail(
      `error: Preview failed: 1 error occurred:\n\t* GET https://api.github.com/repos/${process.env.GITHUB_REPOSITORY}/environments: 404 Not Found []`,
    );
  if (scenario.locked && count('locked-' + kind) <= scenario.locked) {
    fail(
      'error: the stack is currently locked by 1 lock(s). Either wait for the other process(es) to end or delete the lock file with `pulumi cancel`.\n' +
        '  file:///state/.pulumi/locks/organization/' +
        projectName() +
        '/' +
        stack +
        '/1234.json: created by alice@ci-runner-7 (pid 4242) at 2026-11-24T10:00:00Z',
    );
  }
  const n = count(kind);
  const log = logs[Math.min(n, logs.length) - 1];
  const lines = fs.readFileSync(log, 'utf8').split('\n').filter(Boolean);
  process.stdout.write(`${kind === 'preview' ? 'Previewing' : 'Updating'} (${stack}):\n`);
  for (const line of lines) {
    const pre = shown(line);
    if (pre)
      process.stdout.write(
        `    ${pre.metadata.op} ${pre.metadata.type} ${pre.metadata.urn.split('::').pop()}\n`,
      );
  }
  // With --policy-pack the engine runs the pack: the scenario's policy events join the stream before the
  // summary, and a mandatory one fails the operation as the real engine does.
  const pack = option('--policy-pack');
  const policyEvents = pack ? scenario.policyEvents || [] : [];
  if (pack && !fs.existsSync(path.join(pack, 'PulumiPolicy.yaml')))
    fail(`error: could not load policy pack ${pack}: no PulumiPolicy.yaml`);
  if (policyEvents.length > 0) {
    const at = lines.findIndex((line) => line.includes('"summaryEvent"'));
    const events = policyEvents.map((policyEvent, i) =>
      JSON.stringify({ sequence: 900 + i, timestamp: 1700000100, policyEvent }),
    );
    lines.splice(at < 0 ? lines.length : at, 0, ...events);
  }
  const target = option('--event-log');
  if (target.startsWith('tcp://')) await streamEvents(target.slice('tcp://'.length), lines);
  else fs.writeFileSync(target, lines.join('\n') + '\n');
  const failure = (failures || [])[n - 1];
  if (failure) fail(failure);
  if (policyEvents.some((event) => event.enforcementLevel === 'mandatory'))
    fail(`error: ${kind === 'preview' ? 'preview' : 'update'} failed: mandatory policy violations`);
}

/**
 * The language host runs the program with the `node` on PATH, which must load the installed SDK: it asks
 * Node to resolve `@pulumi/pulumi` from the program's folder, so node_modules may be in a parent folder
 * (a project in a subfolder of the package, like infra/apps).
 */
function checkProgram() {
  let sdk;
  for (let folder = process.cwd(); !sdk; folder = path.dirname(folder)) {
    const candidate = path.join(folder, 'node_modules', '@pulumi', 'pulumi', 'package.json');
    if (fs.existsSync(candidate)) sdk = candidate;
    else if (path.dirname(folder) === folder) break;
  }
  if (!sdk)
    fail(
      'error: It looks like the Pulumi SDK has not been installed. Have you run npm install or yarn install?',
    );
  let version = '';
  try {
    version = execFileSync('node', ['--version'], { encoding: 'utf8' }).trim();
  } catch {
    fail('error: failed to find the node executable: exec: "node": executable file not found in $PATH');
  }
  const needed = Number(/(\d+)/.exec(JSON.parse(fs.readFileSync(sdk, 'utf8')).engines?.node || '0')?.[1]);
  if (Number(version.slice(1).split('.')[0]) < needed)
    fail(`error: the Pulumi SDK needs Node.js ${needed} or later; the program ran on ${version}`);
}

/**
 * Like the CLI, every stack command runs in a project: the nearest Pulumi.yaml upwards from the working
 * directory names it. Stacks of the self-managed backend are per project, so each project has its own list.
 */
function projectName() {
  for (let folder = process.cwd(); ; folder = path.dirname(folder)) {
    const file = path.join(folder, 'Pulumi.yaml');
    if (fs.existsSync(file)) {
      const name = /^name:\s*(\S+)/m.exec(fs.readFileSync(file, 'utf8'))?.[1];
      if (!name) fail(`error: could not load ${file}: project is missing a 'name' attribute`);
      return name;
    }
    if (path.dirname(folder) === folder)
      fail(`error: no Pulumi.yaml project file found (searching upwards from ${process.cwd()})`);
  }
}

function checkBackend() {
  const url = process.env.PULUMI_BACKEND_URL;
  const home = process.env.PULUMI_HOME || path.join(process.env.HOME || '', '.pulumi');
  if (!url && !process.env.PULUMI_ACCESS_TOKEN && !fs.existsSync(path.join(home, 'credentials.json')))
    fail('error: PULUMI_ACCESS_TOKEN must be set for login during non-interactive CLI sessions');
  if (url && url.startsWith('s3://') && !process.env.AWS_ACCESS_KEY_ID)
    fail(
      `error: problem logging in: read ".pulumi/meta.yaml": blob (key ".pulumi/meta.yaml") (code=Unknown): NoCredentialProviders: no valid providers in chain`,
    );
}

const [command, sub] = args;
if (command !== 'version') {
  checkBackend();
  projectName();
}
if (command === 'version') {
  process.stdout.write(`v${scenario.version || '3.253.0'}\n`);
} else if (command === 'stack' && sub === 'select') {
  const known = stacks();
  if (scenario.missingStack || (known && !known.includes(stack)))
    fail(`error: no stack named '${stack}' found`);
} else if (command === 'stack' && sub === 'init') {
  const name = args[2];
  const provider = option('--secrets-provider');
  if (!provider && !process.env.PULUMI_CONFIG_PASSPHRASE)
    fail(
      'error: constructing secrets manager of type "passphrase": unable to find either `PULUMI_CONFIG_PASSPHRASE` or `PULUMI_CONFIG_PASSPHRASE_FILE` when trying to access the Passphrase Secrets Provider; please ensure one of these environment variables is set to allow the operation to continue',
    );
  const known = stacks() || [];
  if (known.includes(name)) fail(`error: stack '${name}' already exists`);
  fs.writeFileSync(stacksPath(), JSON.stringify([...known, name]));
  fs.appendFileSync(
    path.join(backendDir, 'pulumi-created.jsonl'),
    JSON.stringify({ project: projectName(), stack: name, provider }) + '\n',
  );
} else if (command === 'config' && sub === 'set-all') {
  // As the CLI: each value follows --plaintext or --secret as key=value, split at the first '='.
  args.forEach((arg, i) => {
    if (arg !== '--plaintext' && arg !== '--secret') return;
    const pair = args[i + 1] || '';
    if (!pair.includes('=')) fail('error: config value must be in the form [key]=[value]');
    state.config[pair.slice(0, pair.indexOf('='))] = pair.slice(pair.indexOf('=') + 1);
  });
  save();
} else if (command === 'config' && sub === 'set') {
  state.config[keyAfter('set')] = args[args.indexOf('--') + 1];
  save();
} else if (command === 'config' && sub === 'get') {
  const key = keyAfter('get');
  if (!(key in state.config)) fail(`error: configuration key '${key}' not found for stack '${stack}'`);
  process.stdout.write(JSON.stringify({ value: state.config[key], secret: false }));
} else if (command === 'config') {
  const all = {};
  for (const [key, value] of Object.entries(state.config)) all[key] = { value, secret: false };
  for (const [key, value] of Object.entries(scenario.secrets || {})) all[key] = { value, secret: true };
  process.stdout.write(JSON.stringify(all));
} else if (command === 'preview') {
  void replay('preview', scenario.previewLogs, scenario.previewFailures);
} else if (command === 'up') {
  void replay('up', scenario.upLogs, scenario.upFailures);
} else if (command === 'stack' && sub === 'output') {
  // Like the CLI: secret outputs print as "[secret]" unless --show-secrets is given, at any depth. A value
  // nested in an output is secret when the state holds it as Pulumi's secret object (the signature key
  // 4dabf18193072939515e22adb298388d with the JSON-encoded plaintext).
  const signature = '4dabf18193072939515e22adb298388d';
  const reveal = args.includes('--show-secrets');
  const show = (value) => {
    if (Array.isArray(value)) return value.map(show);
    if (value && typeof value === 'object') {
      if (signature in value) return reveal ? show(JSON.parse(value.plaintext)) : '[secret]';
      return Object.fromEntries(Object.entries(value).map(([k, v]) => [k, show(v)]));
    }
    return value;
  };
  const shown = {};
  for (const [key, { value, secret }] of Object.entries(scenario.outputs || {})) {
    shown[key] = secret && !reveal ? '[secret]' : show(value);
  }
  process.stdout.write(JSON.stringify(shown));
} else if (command === 'stack' && sub === 'history') {
  const now = new Date().toISOString();
  process.stdout.write(
    JSON.stringify([
      {
        version: 1,
        kind: 'update',
        startTime: now,
        endTime: now,
        result: 'succeeded',
        message: '',
        environment: {},
        config: {},
      },
    ]),
  );
}
