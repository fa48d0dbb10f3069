// A stand-in for the GitHub CLI on a rehearsal runner (`gh attestation verify` is the action tests' fake): `gh run download <run> --dir <dir> --pattern <glob>`
// copies the matching artifacts the rehearsed runs uploaded (REHEARSAL_DIR/artifacts), as the real one
// downloads a run's artifacts; with none matching it fails as gh does.
const fs = require('node:fs');
const path = require('node:path');

const args = process.argv.slice(2);
const option = (name) => (args.includes(name) ? args[args.indexOf(name) + 1] : undefined);
// `gh attestation verify` is the action tests' stand-in, installed beside this one as gh-attestation: it
// runs in this process (same arguments, output and exit code), one Node start rather than two.
if (args[0] === 'attestation') require(path.join(path.dirname(process.argv[1]), 'gh-attestation'));
else download();

function download() {
  if (args[0] !== 'run' || args[1] !== 'download') {
    process.stderr.write(`rehearsal gh: ${args.join(' ')} is not supported\n`);
    process.exit(1);
  }
  if (!process.env.GH_TOKEN) {
    process.stderr.write(
      'gh: To use GitHub CLI in a GitHub Actions workflow, set the GH_TOKEN environment variable.\n',
    );
    process.exit(4);
  }
  const store = path.join(process.env.REHEARSAL_DIR, 'artifacts');
  const pattern = new RegExp(
    `^${(option('--pattern') ?? '*').replace(/[.+^${}()|[\]\\]/g, '\\$&').replace(/\*/g, '.*')}$`,
  );
  const names = fs.readdirSync(store).filter((name) => pattern.test(name));
  if (names.length === 0) {
    process.stderr.write('no valid artifacts found to download\n');
    process.exit(1);
  }
  const target = option('--dir') ?? '.';
  for (const name of names) fs.cpSync(path.join(store, name), path.join(target, name), { recursive: true });
}
