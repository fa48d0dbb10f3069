import * as aws from '@pulumi/aws';
import * as k8s from '@pulumi/kubernetes';
import * as pulumi from '@pulumi/pulumi';
import { serviceAccountTrustPolicy } from '../identity/service-account-trust';
import { externalSecretsApiVersion } from '../workloads/external-secrets';
import { namespaceManifest } from '../workloads/namespace';
import { defaultDenyPolicy, dnsEgressPolicy } from '../workloads/network-policy';
import { secretReaderPolicyDocument } from '../workloads/secret-store';
import {
  masterReaderAccount,
  provisioningLabels,
  provisioningManifests,
  provisioningNamespace,
  usersReaderAccount,
  type StoreProvisioning,
} from './user-provisioning';
import type { ProvisionedEngine } from './user-scripts';

/** One service's login in a store, as the platform wrote it. */
export interface StoreUser {
  service: string;
  username: string;
  database: string;
  secretArn: pulumi.Input<string>;
  versionId: pulumi.Input<string>;
}

/** A store whose users live inside the engine. */
export interface ProvisionedStore {
  store: string;
  engine: ProvisionedEngine;
  host: pulumi.Input<string>;
  port: number;
  cidrs: string[];
  masterSecretArn: pulumi.Input<string>;
  users: StoreUser[];
}

export interface UserProvisionerArgs {
  /** The cluster's provider. */
  provider: k8s.Provider;
  /** `slipway-<stack>`: the namespace is `<prefix>-data`, the roles `<prefix>-<store>.<reader>`. */
  prefix: string;
  environment: string;
  kubernetesVersion: string;
  region: string;
  oidcProviderArn: pulumi.Input<string>;
  oidcProviderUrl: pulumi.Input<string>;
  /** The data key, which encrypts the master (RDS) and credential secrets. */
  dataKeyArn: pulumi.Input<string>;
  /** Stores with at least one user. */
  stores: ProvisionedStore[];
  /** The External Secrets Operator and its CRDs. */
  dependsOn: pulumi.Input<pulumi.Resource>[];
  tags: Record<string, string>;
}

/**
 * Creates each service's own user and database inside PostgreSQL, MySQL and DocumentDB, and its own
 * user and vhost in RabbitMQ, with the master (or admin) login, from a Job in a namespace of the
 * platform's. The master secret reaches that namespace only, through a SecretStore whose role reads that
 * one secret; the users' passwords through a second store whose role reads that store's credential
 * secrets. Nothing of the apps can read either.
 */
export class UserProvisioner extends pulumi.ComponentResource {
  readonly namespace: string;

  constructor(name: string, args: UserProvisionerArgs, opts?: pulumi.ComponentResourceOptions) {
    super('slipway:data:UserProvisioner', name, {}, opts);
    const kube = { parent: this, provider: args.provider };
    this.namespace = provisioningNamespace(args.prefix);
    const namespace = new k8s.core.v1.Namespace(
      `${name}-namespace`,
      namespaceManifest(this.namespace, args.environment, args.kubernetesVersion),
      kube,
    );
    const inNamespace = { ...kube, dependsOn: [namespace] };
    new k8s.networking.v1.NetworkPolicy(
      `${name}-default-deny`,
      defaultDenyPolicy(this.namespace),
      inNamespace,
    );
    new k8s.networking.v1.NetworkPolicy(`${name}-dns`, dnsEgressPolicy(this.namespace), inNamespace);

    for (const store of args.stores) {
      const storeName = `${name}-${store.store}`;
      const reader = (kind: 'master' | 'users', account: string, secretArns: pulumi.Input<string>[]) => {
        const role = new aws.iam.Role(
          `${storeName}-${kind}-reader-role`,
          {
            name: `${args.prefix}-${account}`,
            description: `Reads the ${kind === 'master' ? 'master secret' : 'users\u2019 credentials'} of ${store.store}, for provisioning only`,
            assumeRolePolicy: serviceAccountTrustPolicy(
              args.oidcProviderArn,
              args.oidcProviderUrl,
              this.namespace,
              account,
            ),
            tags: { ...args.tags, 'slipway.dev/data-store': store.store },
          },
          { parent: this },
        );
        const policy = new aws.iam.RolePolicy(
          `${storeName}-${kind}-reader-policy`,
          {
            role: role.name,
            policy: secretReaderPolicyDocument({
              secretArns,
              secretsKeyArn: args.dataKeyArn,
              region: args.region,
            }),
          },
          { parent: this },
        );
        const serviceAccount = new k8s.core.v1.ServiceAccount(
          `${storeName}-${kind}-reader`,
          {
            metadata: {
              name: account,
              namespace: this.namespace,
              // The identity of the SecretStore that authenticates as it (no pod runs as either).
              labels: provisioningLabels(store.store, `${store.store}-${kind}`),
              annotations: { 'eks.amazonaws.com/role-arn': role.arn },
            },
            automountServiceAccountToken: false,
          },
          inNamespace,
        );
        return [policy, serviceAccount];
      };
      const masterReady = reader('master', masterReaderAccount(store.store), [store.masterSecretArn]);
      const usersReady = reader(
        'users',
        usersReaderAccount(store.store),
        store.users.map((user) => user.secretArn),
      );

      const manifests = pulumi
        .all([
          store.host,
          store.masterSecretArn,
          pulumi.all(store.users.map((user) => pulumi.all([user.secretArn, user.versionId]))),
        ])
        .apply(([host, masterSecretArn, resolved]) => {
          const plan: StoreProvisioning = {
            store: store.store,
            engine: store.engine,
            host,
            port: store.port,
            cidrs: store.cidrs,
            masterSecretArn,
            namespace: this.namespace,
            region: args.region,
            users: store.users.map((user, index) => {
              const [secretArn, versionId] = resolved[index] ?? ['', ''];
              return {
                service: user.service,
                username: user.username,
                database: user.database,
                secretArn,
                versionId,
              };
            }),
          };
          return provisioningManifests(plan);
        });
      type Manifests = pulumi.Unwrap<typeof manifests>;
      const custom = (
        suffix: string,
        kind: 'SecretStore' | 'ExternalSecret',
        pick: (m: Manifests) => { metadata: unknown; spec: unknown },
        dependsOn: pulumi.Input<pulumi.Resource>[],
      ) =>
        new k8s.apiextensions.CustomResource(
          `${storeName}-${suffix}`,
          {
            apiVersion: externalSecretsApiVersion,
            kind,
            metadata: manifests.apply((m) => pick(m).metadata as k8s.types.input.meta.v1.ObjectMeta),
            spec: manifests.apply((m) => pick(m).spec),
          },
          { ...kube, dependsOn },
        );
      const masterStore = custom('master-store', 'SecretStore', (m) => m.masterStore, [
        ...args.dependsOn,
        namespace,
        ...masterReady,
      ]);
      const usersStore = custom('users-store', 'SecretStore', (m) => m.usersStore, [
        ...args.dependsOn,
        namespace,
        ...usersReady,
      ]);
      const secrets = [
        custom('master-secret', 'ExternalSecret', (m) => m.masterSecret, [masterStore]),
        custom('users-secret', 'ExternalSecret', (m) => m.usersSecret, [usersStore]),
      ];
      const script = new k8s.core.v1.ConfigMap(
        `${storeName}-script`,
        {
          metadata: manifests.apply((m) => m.configMap.metadata),
          data: manifests.apply((m) => m.configMap.data),
        },
        inNamespace,
      );
      const policy = new k8s.networking.v1.NetworkPolicy(
        `${storeName}-network`,
        {
          metadata: manifests.apply((m) => m.networkPolicy.metadata),
          spec: manifests.apply((m) => m.networkPolicy.spec),
        },
        inNamespace,
      );
      // A new name (a new user, a rotated password, a changed script) replaces the Job: it runs again,
      // and `pulumi up` fails if it does not complete.
      new k8s.batch.v1.Job(
        `${storeName}-job`,
        { metadata: manifests.apply((m) => m.job.metadata), spec: manifests.apply((m) => m.job.spec) },
        { ...kube, dependsOn: [...secrets, script, policy], deleteBeforeReplace: false },
      );
    }
    this.registerOutputs({ namespace: this.namespace });
  }
}
