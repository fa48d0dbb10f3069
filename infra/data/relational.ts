import * as aws from '@pulumi/aws';
import * as pulumi from '@pulumi/pulumi';
import { enginePorts, type DataStoreOf } from '../config/data-stores';
import { managedMasterSecretArn } from './master-secret';
import { dataSecurityGroup } from './security-group';

export interface RelationalDatabaseArgs {
  /** The instance identifier, `<prefix>-<store>`. */
  identifier: string;
  store: DataStoreOf<'postgres'> | DataStoreOf<'mysql'>;
  vpcId: pulumi.Input<string>;
  /** The isolated data subnets, one per AZ. */
  subnetIds: pulumi.Input<string>[];
  /** The only security group admitted on the engine's port: the cluster's nodes (and so its pods). */
  clientSecurityGroupId: pulumi.Input<string>;
  /** The data key: storage, the managed master secret and Performance Insights. */
  kmsKeyArn: pulumi.Input<string>;
  tags: Record<string, string>;
}

/** The parameter-group family of an engine version: postgres `17.5` → `postgres17`, mysql `8.4` → `mysql8.4`. */
export function parameterFamily(engine: 'postgres' | 'mysql', engineVersion: string): string {
  const [major = '', minor = ''] = engineVersion.split('.');
  return engine === 'postgres' ? `postgres${major}` : `mysql${major}.${minor}`;
}

/** What each engine's parameter group sets: TLS required, connections logged. */
const engineParameters = {
  postgres: [
    { name: 'rds.force_ssl', value: '1' },
    { name: 'log_connections', value: '1' },
    { name: 'log_disconnections', value: '1' },
  ],
  mysql: [{ name: 'require_secure_transport', value: 'ON' }],
} as const;

const logExports = { postgres: ['postgresql', 'upgrade'], mysql: ['error', 'slowquery'] } as const;

/**
 * RDS PostgreSQL or MySQL in the data subnets. RDS generates the master password and keeps it in its
 * own Secrets Manager secret (encrypted with the data key), so no master password passes through
 * config or Pulumi state; only the platform's provisioning Job reads it.
 */
export class RelationalDatabase extends pulumi.ComponentResource {
  readonly address: pulumi.Output<string>;
  readonly port: number;
  /** ARN of the RDS-managed secret holding the master credentials (platform-only). */
  readonly masterSecretArn: pulumi.Output<string>;
  readonly securityGroupId: pulumi.Output<string>;

  constructor(name: string, args: RelationalDatabaseArgs, opts?: pulumi.ComponentResourceOptions) {
    super('slipway:data:RelationalDatabase', name, {}, opts);
    const { store } = args;
    const engine = store.engine;
    const settings = store.settings;
    const port = enginePorts[engine];
    const child = { parent: this };

    const subnetGroup = new aws.rds.SubnetGroup(
      `${name}-subnets`,
      { name: `${args.identifier}-subnets`, subnetIds: args.subnetIds, tags: args.tags },
      child,
    );
    const securityGroup = dataSecurityGroup(
      `${name}-sg`,
      {
        vpcId: args.vpcId,
        description: `${engine} ${args.identifier}`,
        port,
        clientSecurityGroupId: args.clientSecurityGroupId,
        tags: args.tags,
      },
      child,
    );
    const parameters = new aws.rds.ParameterGroup(
      `${name}-params`,
      {
        family: parameterFamily(engine, settings.engineVersion),
        description: `${args.identifier}: TLS required, connections logged`,
        parameters: [...engineParameters[engine]],
        tags: args.tags,
      },
      child,
    );

    const instance = new aws.rds.Instance(
      `${name}-instance`,
      {
        identifier: args.identifier,
        engine,
        engineVersion: settings.engineVersion,
        instanceClass: settings.instanceClass,
        allocatedStorage: settings.allocatedStorageGiB,
        maxAllocatedStorage: settings.maxAllocatedStorageGiB,
        storageType: 'gp3',
        storageEncrypted: true,
        kmsKeyId: args.kmsKeyArn,
        username: 'slipway_admin',
        manageMasterUserPassword: true,
        masterUserSecretKmsKeyId: args.kmsKeyArn,
        iamDatabaseAuthenticationEnabled: true,
        port,
        dbSubnetGroupName: subnetGroup.name,
        vpcSecurityGroupIds: [securityGroup.id],
        parameterGroupName: parameters.name,
        publiclyAccessible: false,
        multiAz: settings.multiAz,
        deletionProtection: settings.deletionProtection,
        backupRetentionPeriod: settings.backupRetentionDays,
        copyTagsToSnapshot: true,
        skipFinalSnapshot: settings.skipFinalSnapshot,
        ...(settings.skipFinalSnapshot ? {} : { finalSnapshotIdentifier: `${args.identifier}-final` }),
        performanceInsightsEnabled: settings.performanceInsights,
        ...(settings.performanceInsights ? { performanceInsightsKmsKeyId: args.kmsKeyArn } : {}),
        enabledCloudwatchLogsExports: [...logExports[engine]],
        autoMinorVersionUpgrade: true,
        tags: args.tags,
      },
      child,
    );

    this.address = instance.address;
    this.port = port;
    this.masterSecretArn = managedMasterSecretArn(instance.masterUserSecrets, 'RDS', args.identifier);
    this.securityGroupId = securityGroup.id;
    this.registerOutputs({ address: this.address, masterSecretArn: this.masterSecretArn });
  }
}
