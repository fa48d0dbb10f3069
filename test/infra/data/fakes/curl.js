// A stand-in for curl against an Amazon MQ broker's RabbitMQ management API, for the provisioning script
// (infra/data/user-scripts.ts). It reads the options the script uses as curl does (`--config` file with
// `user = "name:password"`, `-X`, `-H`, `--data-binary @file`, the URL), records each request in
// FAKE_DIR/requests.jsonl with its command line, and answers as the broker would: a login other than
// FAKE_BROKER_ADMIN is refused (HTTP 401, which `--fail` makes exit 22), a URL that is not https is refused
// (`--proto =https`: exit 1), a body that is not JSON is a 400.
const fs = require('node:fs');
const path = require('node:path');

const args = process.argv.slice(2);
const options = {};
const flags = new Set();
let url;
const valued = new Set([
  '--config',
  '-X',
  '-H',
  '--data-binary',
  '--output',
  '--retry',
  '--max-time',
  '--proto',
]);
for (let i = 0; i < args.length; i++) {
  const arg = args[i];
  if (valued.has(arg)) (options[arg] ??= []).push(args[++i]);
  else if (arg.startsWith('-')) flags.add(arg);
  else url = arg;
}
const fail = (code, message) => {
  process.stderr.write(`curl: (${code}) ${message}\n`);
  process.exit(code);
};

let login;
for (const file of options['--config'] ?? []) {
  let text;
  try {
    text = fs.readFileSync(file, 'utf8');
  } catch {
    fail(26, `Failed to open/read local data from file/application: ${file}`);
  }
  const user = /^user = "([^"]*)"$/m.exec(text);
  if (user) login = user[1];
}
if (!url || !/^https:\/\//.test(url)) fail(1, `Protocol "${(url ?? '').split(':')[0]}" disabled`);
const body = (options['--data-binary'] ?? []).map((value) => {
  if (!value.startsWith('@')) return value;
  try {
    return fs.readFileSync(value.slice(1), 'utf8');
  } catch {
    fail(26, `Failed to open/read local data from file/application: ${value.slice(1)}`);
  }
})[0];
const request = {
  method: options['-X']?.[0] ?? (body === undefined ? 'GET' : 'POST'),
  url,
  body,
  argv: args,
};
fs.appendFileSync(path.join(process.env.FAKE_DIR, 'requests.jsonl'), JSON.stringify(request) + '\n');

if (login !== process.env.FAKE_BROKER_ADMIN) fail(22, 'The requested URL returned error: 401');
try {
  JSON.parse(body ?? '');
} catch {
  fail(22, 'The requested URL returned error: 400');
}
