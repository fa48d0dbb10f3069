import * as pulumi from '@pulumi/pulumi';
import { clientsOf, ownNameIn } from '../config/data-load';
import { defaultOwnName, type DataStore, type NetworkEngine } from '../config/data-stores';
import type { ServiceSpec } from '../config/services';
import type { Tier } from '../config/tiers';
import { generatedPassword, storedSecret, type CredentialDocument } from './credentials';
import { DocumentDbCluster } from './documentdb';
import { MessageQueue } from './queue';
import { RabbitMqBroker, rabbitMqManagementPort } from './rabbitmq';
import { RedisCache } from './redis';
import { RelationalDatabase } from './relational';
import type { ProvisionedStore } from './user-provisioner';
import { isProvisioned } from './user-scripts';

export interface DataServicesArgs {
  /** Prefix of every physical name (`slipway-<stack>`); a store's is `<prefix>-<store>`. */
  prefix: string;
  tier: Tier;
  accountId: string;
  /** The stack's data stores, sized for its tier. */
  stores: DataStore[];
  /** The catalog: who uses which store, and how. */
  services: ServiceSpec[];
  vpcId: pulumi.Input<string>;
  /** The isolated data subnets, one per AZ, and their blocks (what network policies admit). */
  subnetIds: pulumi.Input<string>[];
  subnetCidrs: string[];
  /** The cluster nodes' security group: the one client every store admits. */
  clientSecurityGroupId: pulumi.Input<string>;
  /** The data key: storage, backups, credentials, messages. */
  kmsKeyArn: pulumi.Input<string>;
  tags: Record<string, string>;
}

/** Where a networked store listens: what zero-trust network policies and the apps' variables use. */
export interface DataEndpoint {
  engine: NetworkEngine;
  host: pulumi.Output<string>;
  port: number;
  /** The data subnets' blocks: the only addresses the store's interfaces take. */
  cidrs: string[];
}

/** An SQS queue a service may use, and its parts. */
export interface QueueEndpoint {
  url: pulumi.Output<string>;
  arn: pulumi.Output<string>;
  name: string;
}

/** One service's credential for one store: its own secret, and the version its value was written as. */
export interface ServiceCredential {
  secretArn: pulumi.Output<string>;
  versionId: pulumi.Output<string>;
}

/**
 * Every data store the catalog declares, in the data subnets behind its own security group, and one
 * credential per service that uses a credentialed store: its own user (and database or vhost),
 * password generated here, kept in its own Secrets Manager secret. The master and admin secrets are
 * `adminSecretArns`, for the platform alone.
 */
export class DataServices extends pulumi.ComponentResource {
  readonly endpoints: Record<string, DataEndpoint> = {};
  readonly queues: Record<string, QueueEndpoint> = {};
  /** service → store → credential. */
  readonly credentials: Record<string, Record<string, ServiceCredential>> = {};
  /** store → the secret of its master (RDS, DocumentDB) or admin (Amazon MQ) login. Platform only. */
  readonly adminSecretArns: Record<string, pulumi.Output<string>> = {};
  /** The PostgreSQL, MySQL, DocumentDB and RabbitMQ stores with users, for the provisioning Job. Platform only. */
  readonly provisionedStores: ProvisionedStore[] = [];

  constructor(name: string, args: DataServicesArgs, opts?: pulumi.ComponentResourceOptions) {
    super('slipway:data:DataServices', name, {}, opts);
    const child = { parent: this };

    for (const store of args.stores) {
      const identifier = `${args.prefix}-${store.name}`;
      const tags = { ...args.tags, 'slipway.dev/data-store': store.name };
      const network = {
        vpcId: args.vpcId,
        subnetIds: args.subnetIds,
        clientSecurityGroupId: args.clientSecurityGroupId,
        kmsKeyArn: args.kmsKeyArn,
        tags,
      };
      const storeName = `${name}-${store.name}`;
      const clients = clientsOf(store, args.services);
      const passwords = new Map(
        clients.map((service) => [
          service.name,
          generatedPassword(`${storeName}-${service.name}-password`, child).result,
        ]),
      );
      let host: pulumi.Output<string>;
      let port: number;
      switch (store.engine) {
        case 'sqs': {
          const queue = new MessageQueue(
            storeName,
            { identifier, store, kmsKeyArn: args.kmsKeyArn, accountId: args.accountId, tags },
            child,
          );
          this.queues[store.name] = { url: queue.url, arn: queue.arn, name: queue.queueName };
          continue;
        }
        case 'postgres':
        case 'mysql': {
          const database = new RelationalDatabase(storeName, { identifier, store, ...network }, child);
          this.adminSecretArns[store.name] = database.masterSecretArn;
          [host, port] = [database.address, database.port];
          break;
        }
        case 'documentdb': {
          const cluster = new DocumentDbCluster(storeName, { identifier, store, ...network }, child);
          this.adminSecretArns[store.name] = cluster.masterSecretArn;
          [host, port] = [cluster.address, cluster.port];
          break;
        }
        case 'rabbitmq': {
          const broker = new RabbitMqBroker(
            storeName,
            { identifier, store, ...network, accountId: args.accountId, tier: args.tier },
            child,
          );
          this.adminSecretArns[store.name] = broker.adminSecretArn;
          [host, port] = [broker.address, broker.port];
          break;
        }
        case 'redis': {
          const cache = new RedisCache(
            storeName,
            {
              identifier,
              store,
              ...network,
              clients: clients.map((service) => ({
                service: service.name,
                username: defaultOwnName(service.name),
                password: passwords.get(service.name) ?? '',
                keyPrefix: service.uses[store.name]?.keyPrefix,
              })),
            },
            child,
          );
          [host, port] = [cache.address, cache.port];
          break;
        }
      }
      this.endpoints[store.name] = { engine: store.engine, host, port, cidrs: args.subnetCidrs };
      const masterSecretArn = this.adminSecretArns[store.name];
      const provisioned: ProvisionedStore | undefined =
        isProvisioned(store.engine) && masterSecretArn && clients.length > 0
          ? {
              store: store.name,
              engine: store.engine,
              host,
              // RabbitMQ's users are made through its management API, not over AMQP.
              port: store.engine === 'rabbitmq' ? rabbitMqManagementPort : port,
              cidrs: args.subnetCidrs,
              masterSecretArn,
              users: [],
            }
          : undefined;
      if (provisioned) this.provisionedStores.push(provisioned);

      for (const service of clients) {
        const own = ownNameIn(store, service);
        const document = pulumi
          .all([host, passwords.get(service.name) ?? ''])
          .apply(([address, password]): string => {
            const value: CredentialDocument = {
              engine: store.engine,
              host: address,
              port,
              username: defaultOwnName(service.name),
              password,
              ...(own === undefined ? {} : store.engine === 'rabbitmq' ? { vhost: own } : { dbname: own }),
            };
            return JSON.stringify(value);
          });
        const credential = storedSecret(
          `${storeName}-${service.name}`,
          {
            secretName: `${args.prefix}/data/${store.name}/${service.name}`,
            description: `${service.name}'s own login to ${store.engine} store ${store.name}`,
            value: document,
            kmsKeyArn: args.kmsKeyArn,
            accountId: args.accountId,
            tier: args.tier,
            tags: { ...tags, service: service.name },
          },
          child,
        );
        provisioned?.users.push({
          service: service.name,
          username: defaultOwnName(service.name),
          database: own ?? defaultOwnName(service.name),
          secretArn: credential.secret.arn,
          versionId: credential.version.versionId,
        });
        const forService = (this.credentials[service.name] ??= {});
        forService[store.name] = {
          secretArn: credential.secret.arn,
          versionId: credential.version.versionId,
        };
      }
    }
    this.registerOutputs({
      endpoints: this.endpoints,
      queues: this.queues,
      credentials: this.credentials,
    });
  }
}
