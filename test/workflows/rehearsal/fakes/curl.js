// A stand-in for curl on a rehearsal runner: there is no network, so downloads come from the rehearsal's
// mirror (REHEARSAL_DIR/mirror.json: URL → file). An unknown URL answers 404, as a wrong version would.
const fs = require('node:fs');
const path = require('node:path');

const dir = process.env.REHEARSAL_DIR;
const mirror = JSON.parse(fs.readFileSync(path.join(dir, 'mirror.json'), 'utf8'));
const args = process.argv.slice(2);
const output = args[args.indexOf('-o') + 1];
const url = args.find((arg) => /^https?:\/\//.test(arg));
fs.appendFileSync(path.join(dir, 'downloads.jsonl'), JSON.stringify({ url }) + '\n');
const entry = mirror[url];
if (!entry) {
  process.stderr.write('curl: (22) The requested URL returned error: 404\n');
  process.exit(22);
}
if (args.includes('-o')) fs.copyFileSync(entry.file, output);
else process.stdout.write(fs.readFileSync(entry.file));
