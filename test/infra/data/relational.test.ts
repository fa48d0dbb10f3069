import { parameterFamily } from '../../../infra/data/relational';
import type { OfflineRun, RecordedResource } from '../../../offline/engine';
import { renderStack, type StackName } from '../../support/render';
import { kmsKeyArn, named, ofType } from '../../support/resources';

const expected: Record<
  StackName,
  {
    instanceClass: string;
    multiAz: boolean;
    deletionProtection: boolean;
    backupRetentionPeriod: number;
    skipFinalSnapshot: boolean;
    performanceInsightsEnabled: boolean;
  }
> = {
  dev: {
    instanceClass: 'db.t4g.micro',
    multiAz: false,
    deletionProtection: false,
    backupRetentionPeriod: 1,
    skipFinalSnapshot: true,
    performanceInsightsEnabled: false,
  },
  staging: {
    instanceClass: 'db.t4g.medium',
    multiAz: false,
    deletionProtection: true,
    backupRetentionPeriod: 7,
    skipFinalSnapshot: false,
    performanceInsightsEnabled: true,
  },
  prod: {
    instanceClass: 'db.r6g.large',
    multiAz: true,
    deletionProtection: true,
    backupRetentionPeriod: 14,
    skipFinalSnapshot: false,
    performanceInsightsEnabled: true,
  },
};

describe.each(Object.keys(expected) as StackName[])('the %s sample database (app-db)', (stack) => {
  const want = expected[stack];
  let run: OfflineRun;
  let instance: RecordedResource;

  beforeAll(async () => {
    run = await renderStack(stack);
    instance = named(run, 'aws:rds/instance:Instance', 'data-app-db-instance');
  });

  it('runs PostgreSQL 17 with the tier settings', () => {
    expect(instance.inputs).toMatchObject({ engine: 'postgres', engineVersion: '17', ...want });
    expect(ofType(run, 'aws:rds/instance:Instance')).toHaveLength(1);
  });

  it(want.skipFinalSnapshot ? 'takes no final snapshot' : 'names its final snapshot', () => {
    if (want.skipFinalSnapshot) expect(instance.inputs).not.toHaveProperty('finalSnapshotIdentifier');
    else expect(instance.inputs.finalSnapshotIdentifier).toBe(`slipway-${stack}-app-db-final`);
  });

  it('lives in the database subnets and is never publicly accessible', () => {
    const group = named(run, 'aws:rds/subnetGroup:SubnetGroup', 'data-app-db-subnets');
    const databaseSubnets = ofType(run, 'aws:ec2/subnet:Subnet')
      .filter((subnet) => subnet.name.startsWith('network-database-'))
      .map((subnet) => subnet.id);
    expect(group.inputs.subnetIds).toEqual(databaseSubnets);
    expect(instance.inputs.dbSubnetGroupName).toBe(group.inputs.name);
    expect(instance.inputs.publiclyAccessible).toBe(false);
  });

  it('encrypts storage, the managed master secret and Performance Insights with the data key', () => {
    const dataKey = kmsKeyArn(run, 'keys-data');
    expect(instance.inputs).toMatchObject({
      storageEncrypted: true,
      kmsKeyId: dataKey,
      masterUserSecretKmsKeyId: dataKey,
    });
    if (want.performanceInsightsEnabled) expect(instance.inputs.performanceInsightsKmsKeyId).toBe(dataKey);
  });

  it('lets RDS manage the master password and allows IAM authentication', () => {
    expect(instance.inputs.manageMasterUserPassword).toBe(true);
    expect(instance.inputs).not.toHaveProperty('password');
    expect(instance.inputs.iamDatabaseAuthenticationEnabled).toBe(true);
  });

  it('admits 5432 from the cluster node security group only, and nothing out', () => {
    const group = named(run, 'aws:ec2/securityGroup:SecurityGroup', 'data-app-db-sg');
    const nodeSg = named(run, 'aws:ec2/launchTemplate:LaunchTemplate', 'cluster-general-lt').inputs
      .networkInterfaces as { securityGroups: string[] }[];
    expect(group.inputs.ingress).toEqual([
      expect.objectContaining({
        protocol: 'tcp',
        fromPort: 5432,
        toPort: 5432,
        securityGroups: nodeSg[0]?.securityGroups,
      }),
    ]);
    expect(group.inputs.ingress).not.toContainEqual(
      expect.objectContaining({ cidrBlocks: expect.anything() }),
    );
    expect(group.inputs.egress).toEqual([]);
    expect(instance.inputs.vpcSecurityGroupIds).toEqual([group.id]);
    expect(instance.inputs.port).toBe(5432);
  });

  it('forces TLS through its parameter group', () => {
    const parameters = named(run, 'aws:rds/parameterGroup:ParameterGroup', 'data-app-db-params');
    expect(parameters.inputs.family).toBe('postgres17');
    expect(parameters.inputs.parameters).toContainEqual(
      expect.objectContaining({ name: 'rds.force_ssl', value: '1' }),
    );
    expect(instance.inputs.parameterGroupName).toBe(parameters.id);
  });
});

describe('parameterFamily', () => {
  it.each([
    ['postgres', '17', 'postgres17'],
    ['postgres', '16.4', 'postgres16'],
    ['mysql', '8.4', 'mysql8.4'],
    ['mysql', '8.0.40', 'mysql8.0'],
  ] as const)('maps %s %s to %s', (engine, version, family) =>
    expect(parameterFamily(engine, version)).toBe(family),
  );
});
