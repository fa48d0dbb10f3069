import * as aws from '@pulumi/aws';
import * as pulumi from '@pulumi/pulumi';
import { enginePorts, type DataStoreOf } from '../config/data-stores';
import type { Tier } from '../config/tiers';
import { generatedPassword, storedSecret } from './credentials';
import { dataSecurityGroup } from './security-group';

export interface RabbitMqBrokerArgs {
  /** The broker name, `<prefix>-<store>`. */
  identifier: string;
  store: DataStoreOf<'rabbitmq'>;
  vpcId: pulumi.Input<string>;
  /** The data subnets; a single-instance broker takes the first. */
  subnetIds: pulumi.Input<string>[];
  clientSecurityGroupId: pulumi.Input<string>;
  /** Encrypts the admin secret. Amazon MQ encrypts a RabbitMQ broker's storage with an AWS-owned key only. */
  kmsKeyArn: pulumi.Input<string>;
  accountId: string;
  tier: Tier;
  tags: Record<string, string>;
}

/** The broker's admin login; only the platform's provisioning Job uses it, to create per-service users. */
export const rabbitMqAdmin = 'slipway_admin';

/**
 * The port of the broker's web console and management API (HTTPS), where users, vhosts and permissions
 * are made: Amazon MQ takes only the admin through its own API.
 */
export const rabbitMqManagementPort = 443;

/** The host of an `amqps://host:5671` endpoint. */
export const endpointHost = (endpoint: string) => endpoint.replace(/^[a-z]+:\/\//, '').replace(/:\d+$/, '');

/**
 * Amazon MQ for RabbitMQ in the data subnets, never public, AMQP over TLS only. Amazon MQ creates
 * one user (the admin) through its API; the admin password is generated here and kept in a Secrets
 * Manager secret under the data key, read by the platform alone.
 */
export class RabbitMqBroker extends pulumi.ComponentResource {
  readonly address: pulumi.Output<string>;
  readonly port: number;
  readonly adminSecretArn: pulumi.Output<string>;
  readonly securityGroupId: pulumi.Output<string>;

  constructor(name: string, args: RabbitMqBrokerArgs, opts?: pulumi.ComponentResourceOptions) {
    super('slipway:data:RabbitMqBroker', name, {}, opts);
    const { settings } = args.store;
    const port = enginePorts.rabbitmq;
    const child = { parent: this };

    const securityGroup = dataSecurityGroup(
      `${name}-sg`,
      {
        vpcId: args.vpcId,
        description: `rabbitmq ${args.identifier}`,
        port,
        // The platform's provisioning Job creates the services' users there; the apps' network policies
        // open only AMQPS to their pods, and a service's user has no management tag.
        managementPort: rabbitMqManagementPort,
        clientSecurityGroupId: args.clientSecurityGroupId,
        tags: args.tags,
      },
      child,
    );
    const password = generatedPassword(`${name}-admin-password`, child);
    const broker = new aws.mq.Broker(
      `${name}-broker`,
      {
        brokerName: args.identifier,
        engineType: 'RabbitMQ',
        engineVersion: settings.engineVersion,
        hostInstanceType: settings.instanceType,
        deploymentMode: settings.deploymentMode,
        publiclyAccessible: false,
        subnetIds:
          settings.deploymentMode === 'SINGLE_INSTANCE' ? args.subnetIds.slice(0, 1) : args.subnetIds,
        securityGroups: [securityGroup.id],
        users: [{ username: rabbitMqAdmin, password: password.result }],
        // RabbitMQ brokers accept no customer-managed key; said explicitly so a review sees it.
        encryptionOptions: { useAwsOwnedKey: true },
        logs: { general: true },
        autoMinorVersionUpgrade: true,
        tags: args.tags,
      },
      child,
    );
    this.address = broker.instances.apply((instances) => {
      const endpoint = instances[0]?.endpoints?.[0];
      if (!endpoint) throw new Error(`${args.identifier}: Amazon MQ reported no endpoint`);
      return endpointHost(endpoint);
    });
    const admin = storedSecret(
      `${name}-admin`,
      {
        secretName: `${args.identifier}/admin`,
        description: `Admin login of the ${args.identifier} broker: the platform's provisioning Job only`,
        value: pulumi
          .all([this.address, password.result])
          .apply(([host, secret]) =>
            JSON.stringify({ engine: 'rabbitmq', host, port, username: rabbitMqAdmin, password: secret }),
          ),
        kmsKeyArn: args.kmsKeyArn,
        accountId: args.accountId,
        tier: args.tier,
        tags: args.tags,
      },
      child,
    );
    this.port = port;
    this.adminSecretArn = admin.secret.arn;
    this.securityGroupId = securityGroup.id;
    this.registerOutputs({ address: this.address, adminSecretArn: this.adminSecretArn });
  }
}
