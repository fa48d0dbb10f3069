// A stand-in for Trivy: records its arguments and writes a recorded report for the scanned service
// (scenario.trivy maps service → report file, "fail" or "garbage").
const fs = require('node:fs');
const path = require('node:path');

const dir = process.env.FAKE_DIR;
const scenario = JSON.parse(fs.readFileSync(path.join(dir, 'scenario.json'), 'utf8'));
const args = process.argv.slice(2);
// The version query the action makes first is not recorded: tests assert what was scanned.
if (args[0] === '--version') {
  process.stdout.write(`Version: ${scenario.trivyVersion || '0.69.3'}\n`);
  process.exit(0);
}
fs.appendFileSync(path.join(dir, 'calls.jsonl'), JSON.stringify({ tool: 'trivy', args }) + '\n');
const image = args[args.length - 1];
const service = image.split('/').pop().split(/[:@]/)[0];
const report = scenario.trivy[service] || scenario.trivy.default;
if (report === 'fail') {
  process.stderr.write('FATAL\tinit error: DB error: failed to download vulnerability DB\n');
  process.exit(1);
}
const output = args[args.indexOf('--output') + 1];
fs.writeFileSync(
  output,
  report === 'garbage' ? '{"SchemaVersion": 2, "Results": [{"Target": 1' : fs.readFileSync(report),
);
