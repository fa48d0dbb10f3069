import { shopProject } from '../../infra/data/shop';
import {
  candidatesOf,
  checkResource,
  copyOf,
  packViolations,
  resourcePolicies,
  type Candidate,
} from '../run-policies';

const render = shopProject();

/** A private copy of a recorded resource of the shop render, to break one property of. */
async function shopResource(stack: string, type: string, name: string): Promise<Candidate> {
  const found = candidatesOf(await render(stack)).find((c) => c.type === type && c.name === name);
  if (!found) throw new Error(`no ${type} named ${name} in the shop's ${stack} render`);
  return copyOf(found);
}

const cache = 'aws:elasticache/replicationGroup:ReplicationGroup';
const broker = 'aws:mq/broker:Broker';
const documentDb = 'aws:docdb/cluster:Cluster';
const queue = 'aws:sqs/queue:Queue';

describe('data-service rules', () => {
  it.each(['dev', 'staging', 'prod'])(
    'find nothing wrong with the shop catalog in %s, every data store in it',
    async (stack) => {
      const candidates = candidatesOf(await render(stack));
      const violations = [];
      for (const policy of resourcePolicies)
        for (const candidate of candidates)
          violations.push(...(await checkResource(policy, candidate)).violations);
      expect(violations).toEqual([]);
    },
    120_000,
  );

  it('report a cache without encryption at rest or with TLS optional', async () => {
    const group = await shopResource('staging', cache, 'data-sessions-group');
    group.props.atRestEncryptionEnabled = false;
    group.props.transitEncryptionMode = 'preferred';
    expect(await packViolations(group)).toEqual([
      {
        policy: 'elasticache-encrypted',
        message: 'data-sessions-group does not set atRestEncryptionEnabled: true',
      },
      {
        policy: 'elasticache-encrypted',
        message: 'data-sessions-group lets clients skip TLS (transitEncryptionMode: preferred)',
      },
    ]);
  });

  it('report a cache anyone on the port may use', async () => {
    const group = await shopResource('dev', cache, 'data-sessions-group');
    group.props.userGroupIds = [];
    expect(await packViolations(group)).toEqual([
      {
        policy: 'elasticache-access-control',
        message: 'data-sessions-group has neither a user group nor an AUTH token',
      },
    ]);
  });

  it('report a production cache with no failover or final snapshot, and let dev go without', async () => {
    const group = await shopResource('prod', cache, 'data-sessions-group');
    group.props.automaticFailoverEnabled = false;
    delete group.props.finalSnapshotIdentifier;
    expect((await packViolations(group)).map((v) => v.message)).toEqual([
      'data-sessions-group does not set automaticFailoverEnabled: true',
      'data-sessions-group sets no finalSnapshotIdentifier',
    ]);
    const dev = await shopResource('dev', cache, 'data-sessions-group');
    expect(dev.props.automaticFailoverEnabled).toBe(false);
    expect(await packViolations(dev)).toEqual([]);
  });

  it('report a public broker', async () => {
    const mq = await shopResource('dev', broker, 'data-events-broker');
    mq.props.publiclyAccessible = true;
    expect(await packViolations(mq)).toEqual([
      {
        policy: 'mq-not-publicly-accessible',
        message: 'data-events-broker does not set publiclyAccessible: false',
      },
    ]);
  });

  it('report an unencrypted document store, and a production one that could be deleted outright', async () => {
    const staging = await shopResource('staging', documentDb, 'data-catalogue-db-cluster');
    staging.props.storageEncrypted = false;
    expect(await packViolations(staging)).toEqual([
      {
        policy: 'docdb-storage-encrypted',
        message: 'data-catalogue-db-cluster does not set storageEncrypted: true',
      },
    ]);
    const prod = await shopResource('prod', documentDb, 'data-catalogue-db-cluster');
    prod.props.deletionProtection = false;
    prod.props.skipFinalSnapshot = true;
    expect((await packViolations(prod)).map((v) => v.policy)).toEqual([
      'docdb-production-deletion-protection',
      'docdb-production-deletion-protection',
    ]);
  });

  it('report a queue without a KMS key', async () => {
    const jobs = await shopResource('dev', queue, 'data-jobs-queue');
    delete jobs.props.kmsMasterKeyId;
    expect(await packViolations(jobs)).toEqual([
      { policy: 'sqs-kms-encrypted', message: 'data-jobs-queue sets no kmsMasterKeyId' },
    ]);
  });
});
