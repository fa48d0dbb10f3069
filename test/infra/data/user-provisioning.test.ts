import { spawnSync } from 'node:child_process';
import { chmodSync, existsSync, mkdirSync, mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { provisioningManifests, type StoreProvisioning } from '../../../infra/data/user-provisioning';
import {
  documentDbScript,
  mysqlScript,
  postgresScript,
  provisioningScript,
  rabbitMqScript,
  type DatabaseUser,
} from '../../../infra/data/user-scripts';
import { scratchDir } from '../../support/scratch';

const base: StoreProvisioning = {
  store: 'orders-db',
  engine: 'postgres',
  host: 'orders.abc.eu-west-1.rds.amazonaws.com',
  port: 5432,
  cidrs: ['10.0.96.0/24'],
  masterSecretArn: 'arn:aws:secretsmanager:eu-west-1:111122223333:secret:rds!db-1-abcdef',
  namespace: 'slipway-dev-data',
  region: 'eu-west-1',
  users: [
    {
      service: 'orders',
      username: 'orders',
      database: 'orders',
      secretArn:
        'arn:aws:secretsmanager:eu-west-1:111122223333:secret:slipway-dev/data/orders-db/orders-a1b2c3',
      versionId: '11111111-1111-4111-8111-111111111111',
    },
  ],
};
const jobName = (p: StoreProvisioning) => provisioningManifests(p).job.metadata.name;
const [orders] = base.users;
if (!orders) throw new Error('the base store has a user');
const containerEnv = (p: StoreProvisioning) =>
  provisioningManifests(p).job.spec.template.spec.containers[0]?.env ?? [];

describe('the user provisioning Job', () => {
  it('keeps its name while nothing it depends on changes, so an unchanged stack runs nothing again', () => {
    expect(jobName({ ...base, users: [...base.users] })).toBe(jobName(base));
    expect(jobName(base)).toMatch(/^orders-db-users-[0-9a-f]{10}$/);
  });

  it('is a new Job, reading a new Secret, when a password is rotated or a user is added', () => {
    const rotated = {
      ...base,
      users: [{ ...orders, versionId: '22222222-2222-4222-8222-222222222222' }],
    };
    const added = {
      ...base,
      users: [...base.users, { ...orders, service: 'billing', username: 'billing', database: 'billing' }],
    };
    const names = [base, rotated, added].map(jobName);
    expect(new Set(names).size).toBe(3);
    const manifests = provisioningManifests(rotated);
    // The Job reads the Secret of the same content hash, so it cannot run with the old passwords.
    expect(manifests.usersSecret.metadata.name).toBe(manifests.job.metadata.name);
    const env = containerEnv(rotated);
    expect(env).toContainEqual({
      name: 'PASSWORD_orders',
      valueFrom: { secretKeyRef: { name: manifests.usersSecret.metadata.name, key: 'orders' } },
    });
  });

  it('holds no password: the master login and the users come from Secrets, by reference', () => {
    const env = containerEnv(base);
    expect(env.filter((v) => 'value' in v).map((v) => v.name)).toEqual([
      'HOME',
      'PGHOST',
      'PGPORT',
      'PGDATABASE',
      'PGSSLMODE',
      'PGCONNECT_TIMEOUT',
    ]);
    expect(env.filter((v) => 'valueFrom' in v).map((v) => v.name)).toEqual([
      'PGUSER',
      'PGPASSWORD',
      'PASSWORD_orders',
    ]);
  });

  it('refuses a name that is not a safe identifier before any script is written', () => {
    const unsafe = [{ service: 'x', username: 'x"; DROP ROLE y; --', database: 'x' }];
    for (const script of [postgresScript, mysqlScript, documentDbScript, rabbitMqScript]) {
      expect(() => script(unsafe)).toThrow('x: "x"; DROP ROLE y; --" is not a safe database identifier');
    }
  });
});

/** Runs an engine's script with sh, its client on PATH being the fake in ./fakes; returns what the fake logged. */
const scripts = scratchDir('slipway-provisioning-scripts');
const bin = join(scripts, 'bin');
mkdirSync(bin);
for (const tool of ['curl', 'mysql']) {
  writeFileSync(
    join(bin, tool),
    `#!/bin/sh\nexec "${process.execPath}" "${join(__dirname, 'fakes', `${tool}.js`)}" "$@"\n`,
  );
  chmodSync(join(bin, tool), 0o755);
}
function runScript<Call>(engine: 'rabbitmq' | 'mysql', users: DatabaseUser[], env: Record<string, string>) {
  const work = mkdtempSync(join(scripts, `${engine}-`));
  writeFileSync(join(work, 'provision.sh'), provisioningScript(engine, users).text);
  const result = spawnSync('sh', [join(work, 'provision.sh')], {
    encoding: 'utf8',
    env: { PATH: `${bin}:${process.env.PATH ?? ''}`, TMPDIR: work, FAKE_DIR: work, ...env },
  });
  const log = join(work, engine === 'rabbitmq' ? 'requests.jsonl' : 'mysql.jsonl');
  const calls = existsSync(log)
    ? readFileSync(log, 'utf8')
        .trim()
        .split('\n')
        .map((line) => JSON.parse(line) as Call)
    : [];
  return { status: result.status, stderr: result.stderr, calls };
}

describe('the MySQL provisioning script, run by sh against a fake mysql client', () => {
  const users = [
    { service: 'shipping', username: 'shipping', database: 'cities' },
    { service: 'billing-api', username: 'billing_api', database: 'billing_api' },
  ];
  const passwords = { PASSWORD_shipping: 'Ship123abcXYZ', PASSWORD_billing_api: 'Bill456defUVW' };
  // An RDS master password may hold any printable character but a quote, `/`, `@` or a space.
  const master = { MASTER_USERNAME: 'slipway', MASTER_PASSWORD: 'M$a\\st#er!`x`%9' };
  interface Call {
    argv: string[];
    host: string;
    port: string;
    statements: string;
  }
  const run = (env: Record<string, string> = {}) =>
    runScript<Call>('mysql', users, {
      FAKE_MYSQL_MASTER: `${master.MASTER_USERNAME}:${master.MASTER_PASSWORD}`,
      DB_HOST: 'slipway-dev-cities.abc.eu-west-1.rds.amazonaws.com',
      DB_PORT: '3306',
      ...master,
      ...passwords,
      ...env,
    });

  it('logs in as the master over TLS and gives each user its own database, no password on a command line', () => {
    const { status, stderr, calls } = run();
    expect([status, stderr]).toEqual([0, '']);
    expect(calls.map((c) => [c.host, c.port, c.statements])).toEqual([
      [
        'slipway-dev-cities.abc.eu-west-1.rds.amazonaws.com',
        '3306',
        "CREATE USER IF NOT EXISTS 'shipping'@'%' IDENTIFIED BY 'Ship123abcXYZ'; " +
          "ALTER USER 'shipping'@'%' IDENTIFIED BY 'Ship123abcXYZ'; CREATE DATABASE IF NOT EXISTS `cities`; " +
          "GRANT ALL PRIVILEGES ON `cities`.* TO 'shipping'@'%';\n",
      ],
      [
        'slipway-dev-cities.abc.eu-west-1.rds.amazonaws.com',
        '3306',
        "CREATE USER IF NOT EXISTS 'billing_api'@'%' IDENTIFIED BY 'Bill456defUVW'; " +
          "ALTER USER 'billing_api'@'%' IDENTIFIED BY 'Bill456defUVW'; " +
          'CREATE DATABASE IF NOT EXISTS `billing_api`; ' +
          "GRANT ALL PRIVILEGES ON `billing_api`.* TO 'billing_api'@'%';\n",
      ],
    ]);
    const argv = JSON.stringify(calls.map((c) => c.argv));
    for (const secret of [...Object.values(passwords), master.MASTER_PASSWORD])
      expect(argv).not.toContain(secret);
  });

  it('stops at the first refusal of the server: a wrong master login creates nothing', () => {
    const { status, stderr, calls } = run({ MASTER_PASSWORD: 'Rotated000abc' });
    expect(status).toBe(1);
    expect(stderr).toMatch(/^ERROR 1045 \(28000\): Access denied for user 'slipway'/);
    expect(calls).toHaveLength(1);
  });

  it('refuses a password that is not letters and digits before any statement, naming the user', () => {
    const { status, stderr, calls } = run({ PASSWORD_billing_api: "x'; GRANT ALL ON *.* TO 'x" });
    expect(status).toBe(1);
    expect(stderr).toBe('billing_api: password is not letters and digits\n');
    expect(calls).toEqual([]);
  });
});

describe('the RabbitMQ provisioning script, run by sh against a fake management API', () => {
  const users = [
    { service: 'payment', username: 'payment', database: 'payment' },
    { service: 'billing-api', username: 'billing_api', database: 'invoices' },
  ];
  const passwords = { PASSWORD_payment: 'Pay123abcXYZ', PASSWORD_billing_api: 'Bill456defUVW' };
  const admin = { MASTER_USERNAME: 'slipway_admin', MASTER_PASSWORD: 'Admin789ghiRST' };
  interface Request {
    method: string;
    url: string;
    body?: string;
    argv: string[];
  }
  const run = (env: Record<string, string> = {}) => {
    const { status, stderr, calls } = runScript<Request>('rabbitmq', users, {
      FAKE_BROKER_ADMIN: `${admin.MASTER_USERNAME}:${admin.MASTER_PASSWORD}`,
      DB_HOST: 'b-0123abcd.mq.eu-west-1.amazonaws.com',
      DB_PORT: '443',
      ...admin,
      ...passwords,
      ...env,
    });
    return { status, stderr, requests: calls };
  };
  const api = 'https://b-0123abcd.mq.eu-west-1.amazonaws.com:443/api';

  it('gives each service its vhost, its user with no management tag, and rights on that vhost alone', () => {
    const { status, stderr, requests } = run();
    expect([status, stderr]).toEqual([0, '']);
    expect(requests.map(({ method, url, body }) => [method, url, JSON.parse(body ?? 'null')])).toEqual([
      ['PUT', `${api}/vhosts/payment`, {}],
      ['PUT', `${api}/users/payment`, { password: passwords.PASSWORD_payment, tags: '' }],
      ['PUT', `${api}/permissions/payment/payment`, { configure: '.*', write: '.*', read: '.*' }],
      ['PUT', `${api}/vhosts/invoices`, {}],
      ['PUT', `${api}/users/billing_api`, { password: passwords.PASSWORD_billing_api, tags: '' }],
      ['PUT', `${api}/permissions/invoices/billing_api`, { configure: '.*', write: '.*', read: '.*' }],
    ]);
    // No password on any command line: the admin's is in the config file, the users' in the bodies' files.
    const argv = JSON.stringify(requests.map((r) => r.argv));
    for (const secret of [...Object.values(passwords), admin.MASTER_PASSWORD])
      expect(argv).not.toContain(secret);
    expect(requests[0]?.argv).toEqual(expect.arrayContaining(['--proto', '=https', '--fail']));
  });

  it('stops at the first refusal of the broker: a wrong admin login creates nothing', () => {
    const { status, stderr, requests } = run({ MASTER_PASSWORD: 'Rotated000abc' });
    expect(status).toBe(22);
    expect(stderr).toContain('returned error: 401');
    expect(requests.map((r) => r.url)).toEqual([`${api}/vhosts/payment`]);
  });

  it('refuses a password that is not letters and digits before any request, naming the user', () => {
    const { status, stderr, requests } = run({ PASSWORD_billing_api: 'x","tags":"administrator' });
    expect(status).toBe(1);
    expect(stderr).toBe('billing_api: password is not letters and digits\n');
    expect(requests).toEqual([]);
  });
});
