// A stand-in for the docker CLI: records its arguments (and whether a password came on stdin), and on push
// or `buildx imagetools create` tells the fake ECR that the image now exists (a copy keeps the source digest). Behaviour comes from scenario.json in FAKE_DIR.
const fs = require('node:fs');
const path = require('node:path');

const dir = process.env.FAKE_DIR;
const scenario = JSON.parse(fs.readFileSync(path.join(dir, 'scenario.json'), 'utf8'));
const args = process.argv.slice(2);
const stdin = args[0] === 'login' ? fs.readFileSync(0, 'utf8') : '';
// Queries of the builder (the action's tool check) are not recorded: tests assert what was built and pushed.
const query = args[0] === 'buildx' && (args[1] === 'version' || args[1] === 'inspect');
if (!query)
  fs.appendFileSync(
    path.join(dir, 'calls.jsonl'),
    JSON.stringify({ tool: 'docker', args, stdinBytes: stdin.length }) + '\n',
  );

/**
 * Like a runner: docker has no buildx plugin until a setup step installs one, recorded in FAKE_DIR/buildx-driver
 * (docker-container after docker/setup-buildx-action); the default docker driver cannot export a gha cache.
 */
function buildx() {
  const file = path.join(dir, 'buildx-driver');
  if (!fs.existsSync(file)) {
    process.stderr.write(
      `docker: unknown command: docker buildx\n\nRun 'docker --help' for more information\n`,
    );
    process.exit(1);
  }
  const driver = fs.readFileSync(file, 'utf8').trim();
  if (args[1] === 'version')
    process.stdout.write('github.com/docker/buildx v0.29.1 a32761aeb3debd39be1eca514af3693af0db334b\n');
  if (args[1] === 'inspect') process.stdout.write(`Name:   builder\nDriver: ${driver}\n`);
  if (args[1] === 'build' && driver === 'docker' && args.some((a) => a.startsWith('type=gha'))) {
    process.stderr.write(
      'ERROR: failed to build: Cache export is not supported for the docker driver.\nSwitch to a different driver, or turn on the containerd image store, and try again.\n',
    );
    process.exit(1);
  }
}

/**
 * `docker login --password-stdin <host>` stores the credential in $HOME/.docker/config.json, where other
 * registry clients (gh attestation verify, through go-containerregistry's default keychain) find it.
 */
const configDir = process.env.DOCKER_CONFIG || path.join(process.env.HOME || dir, '.docker');
const configPath = path.join(configDir, 'config.json');
const readConfig = () => (fs.existsSync(configPath) ? JSON.parse(fs.readFileSync(configPath, 'utf8')) : {});

/** Whether docker holds a login for the registry of `image` (`<host>/<repository>...`). */
const loggedIn = (image) => Boolean((readConfig().auths || {})[image.slice(0, image.indexOf('/'))]);

function login() {
  const host = args.at(-1);
  const config = readConfig();
  const user = args[args.indexOf('--username') + 1];
  config.auths = { ...config.auths, [host]: { auth: Buffer.from(`${user}:${stdin}`).toString('base64') } };
  fs.mkdirSync(configDir, { recursive: true });
  fs.writeFileSync(configPath, JSON.stringify(config));
  process.stdout.write('Login Succeeded\n');
}

async function main() {
  if (args[0] === 'login') return login();
  if (args[0] === 'buildx') buildx();
  if (args[0] === 'buildx' && (args[1] === 'version' || args[1] === 'inspect')) return;
  if (args[0] === 'buildx' && args[1] === 'build' && scenario.buildFails) {
    process.stderr.write(
      'ERROR: failed to solve: process "/bin/sh -c npm ci" did not complete successfully\n',
    );
    process.exit(1);
  }
  const builtPath = path.join(dir, 'built-images.json');
  const built = fs.existsSync(builtPath) ? JSON.parse(fs.readFileSync(builtPath, 'utf8')) : {};
  if (args[0] === 'buildx' && args[1] === 'build') {
    // Every tag of one build names the same image, so they share one digest.
    const digest =
      'sha256:' + require('node:crypto').createHash('sha256').update(JSON.stringify(args)).digest('hex');
    args.forEach((arg, i) => {
      if (args[i - 1] === '--tag') built[arg] = digest;
    });
    fs.writeFileSync(builtPath, JSON.stringify(built));
  }
  if (args[0] === 'buildx' && args[1] === 'imagetools') {
    const source = args.at(-1);
    const digest = source.slice(source.indexOf('@') + 1);
    const targets = args.filter((_, i) => args[i - 1] === '--tag');
    // A registry docker holds no login for answers 401, the source's read as the targets' writes.
    const unauthorized = [source, ...targets].find((image) => !loggedIn(image));
    if (unauthorized) {
      const host = unauthorized.slice(0, unauthorized.indexOf('/'));
      process.stderr.write(
        `ERROR: failed to authorize: failed to fetch anonymous token: unexpected status from GET request to https://${host}/v2/: 401 Unauthorized\n`,
      );
      process.exit(1);
    }
    for (const image of targets) {
      const response = await httpRequest(`${process.env.FAKE_SERVER}/__push`, {
        method: 'POST',
        body: JSON.stringify({ image, digest }),
      });
      if (!response.ok) {
        process.stderr.write(`ERROR: failed to push ${image}: ${(await response.json()).message}\n`);
        process.exit(1);
      }
    }
    return;
  }
  if (args[0] === 'push') {
    const image = args[1];
    const pushesPath = path.join(dir, 'pushes.json');
    const pushes = fs.existsSync(pushesPath) ? JSON.parse(fs.readFileSync(pushesPath, 'utf8')) : {};
    pushes[image] = (pushes[image] || 0) + 1;
    fs.writeFileSync(pushesPath, JSON.stringify(pushes));
    if (!loggedIn(image)) {
      process.stderr.write('no basic auth credentials\n');
      process.exit(1);
    }
    if (pushes[image] <= (scenario.pushFailures || 0)) {
      process.stderr.write('net/http: TLS handshake timeout\n');
      process.exit(1);
    }
    if (scenario.pushDenied) {
      // What ECR answers a role without push permission (docker prints it after the layer upload starts).
      const repository = image.slice(image.indexOf('/') + 1, image.lastIndexOf(':'));
      process.stderr.write(
        `denied: User: arn:aws:sts::123456789012:assumed-role/slipway-deploy/gh is not authorized to perform: ecr:InitiateLayerUpload on resource: arn:aws:ecr:eu-west-1:123456789012:repository/${repository} because no identity-based policy allows the ecr:InitiateLayerUpload action\n`,
      );
      process.exit(1);
    }
    if (!built[image]) {
      process.stderr.write(`An image does not exist locally with the tag: ${image}\n`);
      process.exit(1);
    }
    const response = await httpRequest(`${process.env.FAKE_SERVER}/__push`, {
      method: 'POST',
      body: JSON.stringify({ image, digest: built[image] }),
    });
    if (!response.ok) {
      process.stderr.write(`${(await response.json()).message}\n`);
      process.exit(1);
    }
    process.stdout.write(`${image.split(':').pop()}: digest: sha256:0000 size: 1234\n`);
  }
}
main();
