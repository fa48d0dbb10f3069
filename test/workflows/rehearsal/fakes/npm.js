// A stand-in for npm on a rehearsal runner. `npm ci` checks every locked package's engines against the Node
// on PATH (warning EBADENGINE as npm does) and links the repository's installed node_modules in; scripts
// that the suite itself covers (the plan, lint, tests) are not run again, but need their dev dependencies.
const fs = require('node:fs');
const path = require('node:path');
const { execFileSync } = require('node:child_process');

const dir = process.env.REHEARSAL_DIR;
const args = process.argv.slice(2).filter((arg) => arg !== '--silent');
const record = (entry) => fs.appendFileSync(path.join(dir, 'npm.jsonl'), JSON.stringify(entry) + '\n');
const installed = path.join(process.cwd(), '.rehearsal-npm-install.json');
let node = '';
try {
  node = execFileSync('node', ['--version'], { encoding: 'utf8' }).trim();
} catch {
  process.stderr.write('/usr/bin/env: ‘node’: No such file or directory\n');
  process.exit(127);
}
const major = Number(node.slice(1).split('.')[0]);

if (args[0] === 'ci') {
  if (!fs.existsSync('package-lock.json')) {
    process.stderr.write(
      'npm error The `npm ci` command can only install with an existing package-lock.json\n',
    );
    process.exit(1);
  }
  const lock = JSON.parse(fs.readFileSync('package-lock.json', 'utf8'));
  const omitDev = args.includes('--omit=dev');
  for (const [key, pkg] of Object.entries(lock.packages)) {
    if (omitDev && pkg.dev) continue;
    const wanted = /^>=\s*(\d+)/.exec(pkg.engines?.node ?? '')?.[1];
    if (wanted && major < Number(wanted)) {
      const name = key === '' ? lock.name : key.replace(/^.*node_modules\//, '');
      process.stderr.write(
        `npm warn EBADENGINE Unsupported engine {\nnpm warn EBADENGINE   package: '${name}@${pkg.version ?? lock.version}',\nnpm warn EBADENGINE   required: { node: '${pkg.engines.node}' },\nnpm warn EBADENGINE   current: { node: '${node}' }\nnpm warn EBADENGINE }\n`,
      );
      record({ warning: 'EBADENGINE', package: name, node });
    }
  }
  fs.rmSync('node_modules', { recursive: true, force: true });
  fs.symlinkSync(process.env.REPO_NODE_MODULES, 'node_modules');
  fs.writeFileSync(installed, JSON.stringify({ omitDev }));
  record({ install: omitDev ? 'production' : 'all', node });
  process.stdout.write(`added ${Object.keys(lock.packages).length - 1} packages\n`);
} else if (args[0] === 'run' || args[0] === 'test') {
  const script = args[0] === 'test' ? 'test' : args[1];
  const install = fs.existsSync(installed) ? JSON.parse(fs.readFileSync(installed, 'utf8')) : undefined;
  // Every script here runs a dev dependency (tsx, eslint, tsc, jest).
  if (!install || install.omitDev) {
    process.stderr.write(`sh: 1: ${script === 'plan' ? 'tsx' : script}: not found\n`);
    process.exit(127);
  }
  record({ script, node });
  // The plan itself is tested in test/plan; here it stands in with an empty diff of the stack asked for.
  if (script === 'plan') {
    const option = (name) => args[args.indexOf(name) + 1];
    // The real plan names the project by its Pulumi.yaml: the root's, or infra/apps' with --project apps.
    const project = args.includes('--project') && option('--project') === 'apps' ? 'slipway-apps' : 'slipway';
    const plan = { project, stack: option('--stack'), base: option('--base') ?? '', changes: [] };
    process.stdout.write(
      option('--format') === 'json'
        ? JSON.stringify(plan)
        : `## Offline plan: ${plan.stack}\n\nNo changes.\n`,
    );
  }
} else {
  process.stderr.write(`rehearsal npm: ${args.join(' ')} is not supported\n`);
  process.exit(1);
}
