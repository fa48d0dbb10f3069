import { provisioningManifests, type StoreProvisioning } from '../../../infra/data/user-provisioning';
import { documentDbScript, mysqlScript, postgresScript } from '../../../infra/data/user-scripts';

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
    for (const script of [postgresScript, mysqlScript, documentDbScript]) {
      expect(() => script(unsafe)).toThrow('x: "x"; DROP ROLE y; --" is not a safe database identifier');
    }
  });
});
