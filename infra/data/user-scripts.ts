/**
 * What the platform's provisioning Job runs against a data store to create each using service's own
 * login and database (or RabbitMQ vhost), with rights on that one only. Pure text built from validated
 * names (`[a-z][a-z0-9_]*`, see infra/config/data-stores.ts); no password is ever in it: each is read at run
 * time from the environment variable `passwordVariable(user)`, filled from the service's own credential
 * secret, and refused unless it is letters and digits (what infra/data/credentials.ts generates).
 * Every statement is idempotent, so a re-run (a new user, a rotated password) changes only what differs.
 */

/**
 * The engines whose users live inside the store, created with its master or admin login. Redis users
 * are ElastiCache resources (infra/data/redis.ts); SQS has none.
 */
export const provisionedEngines = ['postgres', 'mysql', 'documentdb', 'rabbitmq'] as const;
export type ProvisionedEngine = (typeof provisionedEngines)[number];
/** Whether the platform's Job makes the store's per-service users (Redis's are ElastiCache users instead). */
export const isProvisioned = (engine: string): engine is ProvisionedEngine =>
  (provisionedEngines as readonly string[]).includes(engine);

/** One service's login in a store: its user and the one database it owns. */
export interface DatabaseUser {
  service: string;
  username: string;
  database: string;
}

/** The variable the Job reads a user's password from. */
export const passwordVariable = (username: string) => `PASSWORD_${username}`;

const safeName = /^[a-z][a-z0-9_]{0,62}$/;

function checked(users: DatabaseUser[]): DatabaseUser[] {
  for (const user of users) {
    for (const name of [user.username, user.database]) {
      if (!safeName.test(name))
        throw new Error(`${user.service}: "${name}" is not a safe database identifier`);
    }
  }
  return users;
}

/**
 * PostgreSQL, for psql (15 or later, for `\getenv`). The role logs in and may create nothing outside
 * its database; the database is owned by it and closed to PUBLIC (no other role may connect), and its
 * `public` schema is closed to PUBLIC and granted to the owner. The master is made a member of the
 * role so it may create the database owned by it (PostgreSQL 16 requires that).
 */
export function postgresScript(users: DatabaseUser[]): string {
  const lines = ['\\set ON_ERROR_STOP on'];
  for (const { username: u, database: d } of checked(users)) {
    lines.push(
      `-- ${u}: its own role and database, nothing else`,
      `\\getenv password ${passwordVariable(u)}`,
      // An unset or malformed password stops the run (ON_ERROR_STOP): the cast fails, naming the user.
      `SELECT :'password' ~ '^[A-Za-z0-9]+$' AS password_ok \\gset`,
      '\\if :password_ok',
      '\\else',
      `SELECT '${u}: password is not letters and digits'::int;`,
      '\\endif',
      `SELECT 'CREATE ROLE "${u}"' WHERE NOT EXISTS (SELECT FROM pg_roles WHERE rolname = '${u}') \\gexec`,
      `ALTER ROLE "${u}" WITH LOGIN NOCREATEDB NOCREATEROLE PASSWORD :'password';`,
      `GRANT "${u}" TO CURRENT_USER;`,
      `SELECT 'CREATE DATABASE "${d}" OWNER "${u}"' WHERE NOT EXISTS (SELECT FROM pg_database WHERE datname = '${d}') \\gexec`,
      `REVOKE ALL ON DATABASE "${d}" FROM PUBLIC;`,
      `GRANT ALL ON DATABASE "${d}" TO "${u}";`,
      `\\connect "${d}"`,
      `REVOKE ALL ON SCHEMA public FROM PUBLIC;`,
      `GRANT ALL ON SCHEMA public TO "${u}";`,
      `\\connect postgres`,
    );
  }
  return `${lines.join('\n')}\n`;
}

/**
 * MySQL, a POSIX shell script around the mysql client. The master login goes into an option file in
 * the Job's scratch volume; RDS master passwords contain no quote, `/` or `@`, so double quotes with
 * backslashes escaped hold any of them. The statements, which carry the users' passwords, reach the
 * client on its standard input from the shell's own `printf`: no password is on a command line. Every
 * password is checked before the first statement. Each user is `'<user>'@'%'` with all privileges on
 * `<database>`.* and nothing global.
 */
export function mysqlScript(users: DatabaseUser[]): string {
  const lines = [
    'set -eu',
    'umask 077',
    // The Job's scratch volume is /tmp.
    'work="${TMPDIR:-/tmp}"',
    'check() { case "$1" in "" | *[!A-Za-z0-9]*) echo "$2: password is not letters and digits" >&2; exit 1 ;; esac; }',
    ...checked(users).map(({ username: u }) => `check "$${passwordVariable(u)}" ${u}`),
    `escaped=$(printf '%s' "$MASTER_PASSWORD" | sed 's/\\\\/\\\\\\\\/g')`,
    `printf '[client]\\nuser="%s"\\npassword="%s"\\n' "$MASTER_USERNAME" "$escaped" > "$work/master.cnf"`,
    'run() { mysql --defaults-extra-file="$work/master.cnf" --host="$DB_HOST" --port="$DB_PORT" --ssl-mode=REQUIRED --batch; }',
  ];
  for (const { username: u, database: d } of users) {
    const password = `$${passwordVariable(u)}`;
    lines.push(
      `# ${u}: its own user and database, nothing else`,
      `printf '%s\\n' "CREATE USER IF NOT EXISTS '${u}'@'%' IDENTIFIED BY '${password}'; ` +
        `ALTER USER '${u}'@'%' IDENTIFIED BY '${password}'; ` +
        `CREATE DATABASE IF NOT EXISTS \\\`${d}\\\`; ` +
        `GRANT ALL PRIVILEGES ON \\\`${d}\\\`.* TO '${u}'@'%';" | run`,
    );
  }
  return `${lines.join('\n')}\n`;
}

/**
 * DocumentDB, for mongosh. DocumentDB keeps every user in `admin`; each gets `readWrite` on its own
 * database only (created on its first write). An existing user gets its password and roles reset.
 */
export function documentDbScript(users: DatabaseUser[]): string {
  const list = checked(users).map(({ username, database }) => ({
    user: username,
    db: database,
    variable: passwordVariable(username),
  }));
  return [
    'const env = process.env;',
    'const auth = `${encodeURIComponent(env.MASTER_USERNAME)}:${encodeURIComponent(env.MASTER_PASSWORD)}`;',
    // DocumentDB's certificate is signed by the Amazon RDS CA, which the image does not carry: the
    // connection is encrypted but the server is not verified (see docs/data-services.md).
    'const uri = `mongodb://${auth}@${env.DB_HOST}:${env.DB_PORT}/admin?tls=true&tlsAllowInvalidCertificates=true&retryWrites=false&directConnection=true`;',
    "const admin = new Mongo(uri).getDB('admin');",
    `const users = ${JSON.stringify(list)};`,
    'for (const { user, db, variable } of users) {',
    '  const pwd = env[variable] ?? "";',
    '  if (!/^[A-Za-z0-9]+$/.test(pwd)) throw new Error(`${user}: password is not letters and digits`);',
    "  const roles = [{ role: 'readWrite', db }];",
    '  if (admin.getUser(user)) admin.updateUser(user, { pwd, roles });',
    '  else admin.createUser({ user, pwd, roles });',
    '}',
    '',
  ].join('\n');
}

/**
 * RabbitMQ (Amazon MQ), a POSIX shell script around curl against the broker's management API (HTTPS on
 * 443, the broker's web console; Amazon MQ takes only the admin user through the AWS API). The admin
 * login goes into a curl config file in the Job's scratch volume and each request body into a file
 * there, never on a command line. Per user: its vhost, the user with no management tag (so it cannot
 * use this API), and configure/write/read on its own vhost only. PUT is idempotent: a re-run resets the
 * password and the permissions.
 */
export function rabbitMqScript(users: DatabaseUser[]): string {
  const lines = [
    'set -eu',
    'umask 077',
    // The Job's scratch volume is /tmp.
    'work="${TMPDIR:-/tmp}"',
    'api() {',
    '  curl --config "$work/admin.curlrc" --proto =https --tlsv1.2 --fail --silent --show-error \\',
    '    --retry 5 --retry-connrefused --max-time 30 -X PUT -H "content-type: application/json" \\',
    '    --data-binary "@$2" --output /dev/null "https://$DB_HOST:$DB_PORT/api/$1"',
    '}',
    'check() { case "$1" in "" | *[!A-Za-z0-9]*) echo "$2: password is not letters and digits" >&2; exit 1 ;; esac; }',
    // The admin's password is generated as letters and digits too (infra/data/rabbitmq.ts), so it sits
    // in the quoted config value as it is.
    'check "$MASTER_PASSWORD" "$MASTER_USERNAME"',
    `printf 'user = "%s:%s"\\n' "$MASTER_USERNAME" "$MASTER_PASSWORD" > "$work/admin.curlrc"`,
    `printf '{}' > "$work/vhost.json"`,
    `printf '{"configure":".*","write":".*","read":".*"}' > "$work/permissions.json"`,
  ];
  // Every password is checked before the first request, so a bad one changes nothing on the broker.
  for (const { username: u } of checked(users)) lines.push(`check "$${passwordVariable(u)}" ${u}`);
  for (const { username: u, database: v } of users) {
    const password = `$${passwordVariable(u)}`;
    lines.push(
      `# ${u}: its own user and vhost, nothing else`,
      `api vhosts/${v} "$work/vhost.json"`,
      // printf is the shell's own: the password is in no process's arguments.
      `printf '{"password":"%s","tags":""}' "${password}" > "$work/user.json"`,
      `api users/${u} "$work/user.json"`,
      `api permissions/${v}/${u} "$work/permissions.json"`,
    );
  }
  return `${lines.join('\n')}\n`;
}

/** The script of an engine and the file name the Job runs it from. */
export function provisioningScript(engine: ProvisionedEngine, users: DatabaseUser[]) {
  switch (engine) {
    case 'postgres':
      return { file: 'provision.sql', text: postgresScript(users) };
    case 'mysql':
      return { file: 'provision.sh', text: mysqlScript(users) };
    case 'documentdb':
      return { file: 'provision.js', text: documentDbScript(users) };
    case 'rabbitmq':
      return { file: 'provision.sh', text: rabbitMqScript(users) };
  }
}
