// A stand-in for the mysql client against RDS MySQL, for the provisioning script (infra/data/user-scripts.ts).
// It reads what the script gives it as mysql does (`--defaults-extra-file` with a [client] `user` and
// double-quoted `password`, backslash escapes undone; `--host`, `--port`, `--ssl-mode`; the statements from
// `-e` or standard input), records each call in FAKE_DIR/mysql.jsonl with its command line, and answers as
// the server would: a login other than FAKE_MYSQL_MASTER is refused (ERROR 1045, exit 1), and so is a
// connection without TLS (the instance sets require_secure_transport: ERROR 3159).
const fs = require('node:fs');
const path = require('node:path');

const args = process.argv.slice(2);
const option = (name) => args.find((a) => a.startsWith(`--${name}=`))?.slice(name.length + 3);
const unescape = (value) =>
  value.replace(/\\(.)/g, (_, c) => ({ n: '\n', t: '\t', r: '\r', b: '\b', s: ' ' })[c] ?? c);

let user;
let password;
const file = option('defaults-extra-file');
if (file) {
  let text;
  try {
    text = fs.readFileSync(file, 'utf8');
  } catch {
    process.stderr.write(`mysql: [ERROR] Could not open required defaults file: ${file}\n`);
    process.exit(1);
  }
  for (const line of text.split('\n')) {
    const match = /^(user|password)="((?:[^"\\]|\\.)*)"$/.exec(line);
    if (match?.[1] === 'user') user = unescape(match[2]);
    if (match?.[1] === 'password') password = unescape(match[2]);
  }
}
const inline = args.indexOf('-e');
const statements = inline === -1 ? fs.readFileSync(0, 'utf8') : args[inline + 1];
fs.appendFileSync(
  path.join(process.env.FAKE_DIR, 'mysql.jsonl'),
  JSON.stringify({ argv: args, host: option('host'), port: option('port'), statements }) + '\n',
);

if (`${user}:${password}` !== process.env.FAKE_MYSQL_MASTER) {
  process.stderr.write(
    `ERROR 1045 (28000): Access denied for user '${user}'@'10.0.16.20' (using password: YES)\n`,
  );
  process.exit(1);
}
if (!['REQUIRED', 'VERIFY_CA', 'VERIFY_IDENTITY'].includes(option('ssl-mode') ?? '')) {
  process.stderr.write(
    'ERROR 3159 (HY000): Connections using insecure transport are prohibited while --require_secure_transport=ON.\n',
  );
  process.exit(1);
}
