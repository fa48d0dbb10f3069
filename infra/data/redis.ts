import * as aws from '@pulumi/aws';
import * as pulumi from '@pulumi/pulumi';
import { enginePorts, type DataStoreOf } from '../config/data-stores';
import { generatedPassword } from './credentials';
import { dataSecurityGroup } from './security-group';

/** One service's Redis user: its name, its password, the keys it may touch. */
export interface RedisClient {
  service: string;
  username: string;
  password: pulumi.Input<string>;
  /** Confines the user to keys starting with this; every key when absent. */
  keyPrefix?: string;
}

export interface RedisCacheArgs {
  /** The replication group id, `<prefix>-<store>` (40 characters at most). */
  identifier: string;
  store: DataStoreOf<'redis'>;
  clients: RedisClient[];
  vpcId: pulumi.Input<string>;
  subnetIds: pulumi.Input<string>[];
  clientSecurityGroupId: pulumi.Input<string>;
  kmsKeyArn: pulumi.Input<string>;
  tags: Record<string, string>;
}

/**
 * A service user's ACL: on, with its password, its keys (and every pub/sub channel), every command
 * but the `@dangerous` ones (FLUSHALL, CONFIG, KEYS, DEBUG…), which no application needs.
 */
export const redisAccessString = (keyPrefix: string | undefined) =>
  `on ~${keyPrefix ?? ''}* &* +@all -@dangerous`;

/**
 * ElastiCache for Redis OSS in the data subnets: TLS required in transit, encrypted at rest with the
 * data key, and role-based access instead of one shared AUTH token: each service using it gets its
 * own user, and the built-in `default` user is switched off.
 */
export class RedisCache extends pulumi.ComponentResource {
  readonly address: pulumi.Output<string>;
  readonly port: number;
  readonly securityGroupId: pulumi.Output<string>;

  constructor(name: string, args: RedisCacheArgs, opts?: pulumi.ComponentResourceOptions) {
    super('slipway:data:RedisCache', name, {}, opts);
    const { settings } = args.store;
    const port = enginePorts.redis;
    const child = { parent: this };

    const subnetGroup = new aws.elasticache.SubnetGroup(
      `${name}-subnets`,
      { name: `${args.identifier}-subnets`, subnetIds: args.subnetIds, tags: args.tags },
      child,
    );
    const securityGroup = dataSecurityGroup(
      `${name}-sg`,
      {
        vpcId: args.vpcId,
        description: `redis ${args.identifier}`,
        port,
        clientSecurityGroupId: args.clientSecurityGroupId,
        tags: args.tags,
      },
      child,
    );

    // A user group must hold a user named `default`; this one can do nothing, with a password no one keeps.
    const defaultUser = new aws.elasticache.User(
      `${name}-default-user`,
      {
        userId: `${args.identifier}-default`,
        userName: 'default',
        engine: 'redis',
        accessString: 'off -@all',
        authenticationMode: {
          type: 'password',
          passwords: [generatedPassword(`${name}-default-password`, child).result],
        },
        tags: args.tags,
      },
      child,
    );
    const users = args.clients.map(
      (client) =>
        new aws.elasticache.User(
          `${name}-${client.service}-user`,
          {
            userId: `${args.identifier}-${client.service}`.slice(0, 40),
            userName: client.username,
            engine: 'redis',
            accessString: redisAccessString(client.keyPrefix),
            authenticationMode: { type: 'password', passwords: [client.password] },
            tags: { ...args.tags, service: client.service },
          },
          child,
        ),
    );
    const userGroup = new aws.elasticache.UserGroup(
      `${name}-users`,
      {
        userGroupId: `${args.identifier}-users`,
        engine: 'redis',
        userIds: [defaultUser.userId, ...users.map((user) => user.userId)],
        tags: args.tags,
      },
      child,
    );

    const failover = settings.replicas > 0;
    const group = new aws.elasticache.ReplicationGroup(
      `${name}-group`,
      {
        replicationGroupId: args.identifier,
        description: `Redis ${args.identifier}`,
        engine: 'redis',
        engineVersion: settings.engineVersion,
        nodeType: settings.nodeType,
        port,
        numCacheClusters: 1 + settings.replicas,
        automaticFailoverEnabled: failover,
        multiAzEnabled: failover,
        subnetGroupName: subnetGroup.name,
        securityGroupIds: [securityGroup.id],
        atRestEncryptionEnabled: true,
        kmsKeyId: args.kmsKeyArn,
        transitEncryptionEnabled: true,
        transitEncryptionMode: 'required',
        userGroupIds: [userGroup.userGroupId],
        snapshotRetentionLimit: settings.snapshotRetentionDays,
        ...(settings.finalSnapshot ? { finalSnapshotIdentifier: `${args.identifier}-final` } : {}),
        autoMinorVersionUpgrade: true,
        tags: args.tags,
      },
      child,
    );

    this.address = group.primaryEndpointAddress;
    this.port = port;
    this.securityGroupId = securityGroup.id;
    this.registerOutputs({ address: this.address });
  }
}
