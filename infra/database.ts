import * as aws from '@pulumi/aws';
import * as pulumi from '@pulumi/pulumi';
import type { DatabaseConfig } from './config/schema';

export interface DatabaseArgs {
  /** The instance identifier. */
  identifier: string;
  config: DatabaseConfig;
  vpcId: pulumi.Input<string>;
  subnetIds: pulumi.Input<string>[];
  /** The only security group admitted on the PostgreSQL port: the cluster's nodes (and so its pods). */
  clientSecurityGroupId: pulumi.Input<string>;
  kmsKeyArn: pulumi.Input<string>;
  tags: Record<string, string>;
}

export const postgresPort = 5432;

/** The parameter-group family of an engine version: `17.5` → `postgres17`. */
export const parameterFamily = (engineVersion: string) => `postgres${engineVersion.split('.')[0]}`;

/**
 * RDS PostgreSQL in the database subnets. RDS generates the master password and keeps it in its own
 * Secrets Manager secret, so no password ever passes through config or Pulumi state.
 */
export class Database extends pulumi.ComponentResource {
  readonly endpoint: pulumi.Output<string>;
  readonly port: number;
  /** ARN of the RDS-managed secret holding the master credentials. */
  readonly masterSecretArn: pulumi.Output<string>;
  readonly securityGroupId: pulumi.Output<string>;

  constructor(name: string, args: DatabaseArgs, opts?: pulumi.ComponentResourceOptions) {
    super('slipway:platform:Database', name, {}, opts);
    const { config } = args;
    const child = { parent: this };

    const subnetGroup = new aws.rds.SubnetGroup(
      `${name}-subnets`,
      { name: `${args.identifier}-subnets`, subnetIds: args.subnetIds, tags: args.tags },
      child,
    );
    const securityGroup = new aws.ec2.SecurityGroup(
      `${name}-sg`,
      {
        vpcId: args.vpcId,
        description: `PostgreSQL for ${args.identifier}: the cluster's nodes only`,
        ingress: [
          {
            description: 'PostgreSQL from the cluster nodes and pods',
            protocol: 'tcp',
            fromPort: postgresPort,
            toPort: postgresPort,
            securityGroups: [args.clientSecurityGroupId],
          },
        ],
        egress: [],
        tags: args.tags,
      },
      child,
    );
    const parameters = new aws.rds.ParameterGroup(
      `${name}-params`,
      {
        family: parameterFamily(config.engineVersion),
        description: `${args.identifier}: TLS required, connections logged`,
        parameters: [
          { name: 'rds.force_ssl', value: '1' },
          { name: 'log_connections', value: '1' },
          { name: 'log_disconnections', value: '1' },
        ],
        tags: args.tags,
      },
      child,
    );

    const instance = new aws.rds.Instance(
      `${name}-instance`,
      {
        identifier: args.identifier,
        engine: 'postgres',
        engineVersion: config.engineVersion,
        instanceClass: config.instanceClass,
        allocatedStorage: config.allocatedStorageGiB,
        maxAllocatedStorage: config.maxAllocatedStorageGiB,
        storageType: 'gp3',
        storageEncrypted: true,
        kmsKeyId: args.kmsKeyArn,
        dbName: 'app',
        username: 'slipway_admin',
        manageMasterUserPassword: true,
        masterUserSecretKmsKeyId: args.kmsKeyArn,
        iamDatabaseAuthenticationEnabled: true,
        port: postgresPort,
        dbSubnetGroupName: subnetGroup.name,
        vpcSecurityGroupIds: [securityGroup.id],
        parameterGroupName: parameters.name,
        publiclyAccessible: false,
        multiAz: config.multiAz,
        deletionProtection: config.deletionProtection,
        backupRetentionPeriod: config.backupRetentionDays,
        copyTagsToSnapshot: true,
        skipFinalSnapshot: config.skipFinalSnapshot,
        ...(config.skipFinalSnapshot ? {} : { finalSnapshotIdentifier: `${args.identifier}-final` }),
        performanceInsightsEnabled: config.performanceInsights,
        ...(config.performanceInsights ? { performanceInsightsKmsKeyId: args.kmsKeyArn } : {}),
        enabledCloudwatchLogsExports: ['postgresql', 'upgrade'],
        autoMinorVersionUpgrade: true,
        tags: args.tags,
      },
      child,
    );

    this.endpoint = instance.address;
    this.port = postgresPort;
    this.masterSecretArn = instance.masterUserSecrets.apply((secrets) => {
      const secret = secrets[0];
      if (!secret) throw new Error(`${args.identifier}: RDS reported no managed master-user secret`);
      return secret.secretArn;
    });
    this.securityGroupId = securityGroup.id;
    this.registerOutputs({ endpoint: this.endpoint, masterSecretArn: this.masterSecretArn });
  }
}
