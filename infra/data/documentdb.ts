import * as aws from '@pulumi/aws';
import * as pulumi from '@pulumi/pulumi';
import { enginePorts, type DataStoreOf } from '../config/data-stores';
import { managedMasterSecretArn } from './master-secret';
import { dataSecurityGroup } from './security-group';

export interface DocumentDbClusterArgs {
  /** The cluster identifier, `<prefix>-<store>`. */
  identifier: string;
  store: DataStoreOf<'documentdb'>;
  vpcId: pulumi.Input<string>;
  subnetIds: pulumi.Input<string>[];
  clientSecurityGroupId: pulumi.Input<string>;
  /** Encrypts the cluster's storage. */
  kmsKeyArn: pulumi.Input<string>;
  tags: Record<string, string>;
}

/** The cluster parameter-group family of a version: `5.0.0` → `docdb5.0`. */
export const documentDbFamily = (engineVersion: string) =>
  `docdb${engineVersion.split('.').slice(0, 2).join('.')}`;

/**
 * Amazon DocumentDB (MongoDB-compatible) in the data subnets: storage encrypted with the data key,
 * TLS required by its parameter group, audit and profiler logs exported, the master password
 * managed by DocumentDB in Secrets Manager (read by the platform's provisioning Job alone).
 */
export class DocumentDbCluster extends pulumi.ComponentResource {
  readonly address: pulumi.Output<string>;
  readonly port: number;
  readonly masterSecretArn: pulumi.Output<string>;
  readonly securityGroupId: pulumi.Output<string>;

  constructor(name: string, args: DocumentDbClusterArgs, opts?: pulumi.ComponentResourceOptions) {
    super('slipway:data:DocumentDbCluster', name, {}, opts);
    const { settings } = args.store;
    const port = enginePorts.documentdb;
    const child = { parent: this };

    const subnetGroup = new aws.docdb.SubnetGroup(
      `${name}-subnets`,
      { name: `${args.identifier}-subnets`, subnetIds: args.subnetIds, tags: args.tags },
      child,
    );
    const securityGroup = dataSecurityGroup(
      `${name}-sg`,
      {
        vpcId: args.vpcId,
        description: `documentdb ${args.identifier}`,
        port,
        clientSecurityGroupId: args.clientSecurityGroupId,
        tags: args.tags,
      },
      child,
    );
    const parameters = new aws.docdb.ClusterParameterGroup(
      `${name}-params`,
      {
        family: documentDbFamily(settings.engineVersion),
        description: `${args.identifier}: TLS required, audit logs on`,
        parameters: [
          { name: 'tls', value: 'enabled' },
          { name: 'audit_logs', value: 'enabled' },
        ],
        tags: args.tags,
      },
      child,
    );
    const cluster = new aws.docdb.Cluster(
      `${name}-cluster`,
      {
        clusterIdentifier: args.identifier,
        engine: 'docdb',
        engineVersion: settings.engineVersion,
        masterUsername: 'slipway_admin',
        manageMasterUserPassword: true,
        port,
        dbSubnetGroupName: subnetGroup.name,
        vpcSecurityGroupIds: [securityGroup.id],
        dbClusterParameterGroupName: parameters.name,
        storageEncrypted: true,
        kmsKeyId: args.kmsKeyArn,
        backupRetentionPeriod: settings.backupRetentionDays,
        deletionProtection: settings.deletionProtection,
        skipFinalSnapshot: settings.skipFinalSnapshot,
        ...(settings.skipFinalSnapshot ? {} : { finalSnapshotIdentifier: `${args.identifier}-final` }),
        enabledCloudwatchLogsExports: ['audit', 'profiler'],
        tags: args.tags,
      },
      child,
    );
    for (let index = 0; index < settings.instances; index++) {
      new aws.docdb.ClusterInstance(
        `${name}-instance-${index}`,
        {
          identifier: `${args.identifier}-${index}`,
          clusterIdentifier: cluster.id,
          instanceClass: settings.instanceClass,
          engine: 'docdb',
          autoMinorVersionUpgrade: true,
          tags: args.tags,
        },
        child,
      );
    }

    this.address = cluster.endpoint;
    this.port = port;
    this.masterSecretArn = managedMasterSecretArn(cluster.masterUserSecrets, 'DocumentDB', args.identifier);
    this.securityGroupId = securityGroup.id;
    this.registerOutputs({ address: this.address, masterSecretArn: this.masterSecretArn });
  }
}
