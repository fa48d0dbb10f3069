import { packViolations } from '../run-policies';
import { realResource } from '../variants';

const instanceType = 'aws:rds/instance:Instance';

describe('RDS rules', () => {
  it('reports a publicly accessible instance', async () => {
    const database = await realResource('staging', instanceType, 'data-app-db-instance');
    database.props.publiclyAccessible = true;
    expect(await packViolations(database)).toEqual([
      {
        policy: 'rds-not-publicly-accessible',
        message: 'data-app-db-instance sets publiclyAccessible: true',
      },
    ]);
  });

  it('reports unencrypted storage', async () => {
    const database = await realResource('staging', instanceType, 'data-app-db-instance');
    database.props.storageEncrypted = false;
    expect(await packViolations(database)).toEqual([
      {
        policy: 'rds-storage-encrypted',
        message: 'data-app-db-instance does not set storageEncrypted: true',
      },
    ]);
  });

  it('reports a production instance without deletion protection', async () => {
    const database = await realResource('prod', instanceType, 'data-app-db-instance');
    database.props.deletionProtection = false;
    expect(await packViolations(database)).toEqual([
      {
        policy: 'rds-production-deletion-protection',
        message: 'data-app-db-instance does not set deletionProtection: true',
      },
    ]);
  });

  it('reports a production instance that skips its final snapshot', async () => {
    const database = await realResource('prod', instanceType, 'data-app-db-instance');
    database.props.skipFinalSnapshot = true;
    expect(await packViolations(database)).toEqual([
      {
        policy: 'rds-production-deletion-protection',
        message: 'data-app-db-instance sets skipFinalSnapshot: true',
      },
    ]);
  });

  it('knows production by the tier tag when the stack has another name', async () => {
    const database = await realResource('prod', instanceType, 'data-app-db-instance');
    database.urn = database.urn.replace('urn:pulumi:prod::', 'urn:pulumi:prod-eu::');
    database.props.deletionProtection = false;
    expect((await packViolations(database)).map((violation) => violation.policy)).toEqual([
      'rds-production-deletion-protection',
    ]);
  });

  it('lets dev go without deletion protection, as its stack file chooses', async () => {
    const database = await realResource('dev', instanceType, 'data-app-db-instance');
    expect(database.props).toMatchObject({ deletionProtection: false, skipFinalSnapshot: true });
    expect(await packViolations(database)).toEqual([]);
  });
});
