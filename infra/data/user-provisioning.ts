import { createHash } from 'node:crypto';
import { externalSecretsApiVersion, refreshInterval } from '../workloads/external-secrets';
import {
  passwordVariable,
  provisioningScript,
  type DatabaseUser,
  type ProvisionedEngine,
} from './user-scripts';

/**
 * The Kubernetes objects of the platform's user provisioning, per store: two SecretStores (one reads
 * the store's master secret, one its users' credential secrets), the Secrets they sync, the script, and
 * the Job that runs it, in the platform's own namespace. Plain values here: the component
 * (user-provisioner.ts) resolves the ARNs and versions first.
 */

/**
 * Client images, pinned by the digest of their multi-platform index (the tag is kept for the reader; the
 * digest is what is pulled, k8s-image-pinned-by-digest): the official Docker Hub images for the
 * databases (psql 17 speaks to every supported RDS PostgreSQL; mysql 8.4 LTS to RDS MySQL 8.0 and 8.4;
 * the mongo image carries mongosh) and curl's own image (curlimages/curl, Alpine with its CA bundle)
 * for the RabbitMQ management API. Each digest is the one that tag's index had when pinned, as pinned
 * by several unrelated public projects (there is no registry access from here to re-resolve it);
 * re-pin with `docker buildx imagetools inspect <image>:<tag>` when moving to a new release.
 */
export const clientImages: Record<ProvisionedEngine, string> = {
  postgres:
    'docker.io/library/postgres:17.5-alpine@sha256:6567bca8d7bc8c82c5922425a0baee57be8402df92bae5eacad5f01ae9544daa',
  mysql:
    'docker.io/library/mysql:8.4.5@sha256:679e7e924f38a3cbb62a3d7df32924b83f7321a602d3f9f967c01b3df18495d6',
  documentdb:
    'docker.io/library/mongo:7.0.16@sha256:c630c59342c1493d50345136df2af14a76b9e827dd5316bfabee07a0880a5f3a',
  rabbitmq:
    'docker.io/curlimages/curl:8.11.1@sha256:c1fe1679c34d9784c1b0d1e5f62ac0a79fca01fb6377cdd33e90473c6f9f9a69',
};

/** The platform's namespace for provisioning: nothing of the apps runs or reads here. */
export const provisioningNamespace = (prefix: string) => `${prefix}-data`;

/** The service accounts the two SecretStores of a store authenticate as; no pod runs as either. */
export const masterReaderAccount = (store: string) => `${store}.master-reader`;
export const usersReaderAccount = (store: string) => `${store}.users-reader`;

/** One user as the Job needs it: its login, its database, and where its password is. */
export interface ProvisionedUser extends DatabaseUser {
  secretArn: string;
  versionId: string;
}

export interface StoreProvisioning {
  store: string;
  engine: ProvisionedEngine;
  host: string;
  port: number;
  /** The data subnets' blocks: the only addresses the Job may reach, on `port`. */
  cidrs: string[];
  masterSecretArn: string;
  users: ProvisionedUser[];
  namespace: string;
  region: string;
}

/**
 * `app.kubernetes.io/name` is the identity an object belongs to, as for a service's objects: the
 * master reader (`<store>-master`: its SecretStore and the ExternalSecret that reads through it) or the
 * provisioner (`<store>-users`: the users' SecretStore and ExternalSecret, the script, the Job and its
 * pods). So each ExternalSecret names the SecretStore of its own identity (k8s-external-secret-own-store).
 */
export const provisioningLabels = (store: string, name: string) => ({
  'app.kubernetes.io/name': name,
  'app.kubernetes.io/part-of': 'slipway',
  'app.kubernetes.io/component': 'data-provisioning',
  'slipway.dev/data-store': store,
});

/**
 * A hash of everything a run depends on: the users, their databases, their password versions, the
 * master secret, the script and the image. It names the Job and the users' Secret, so a new user or
 * a rotated password makes a new Job that waits for the Secret holding the new passwords.
 */
function provisioningHash(p: StoreProvisioning, script: { text: string }): string {
  const content = JSON.stringify({
    engine: p.engine,
    host: p.host,
    port: p.port,
    master: p.masterSecretArn,
    users: p.users.map((u) => [u.username, u.database, u.secretArn, u.versionId]),
    script: script.text,
    image: clientImages[p.engine],
  });
  return createHash('sha256').update(content).digest('hex').slice(0, 10);
}

function secretStore(name: string, account: string, p: StoreProvisioning) {
  return {
    apiVersion: externalSecretsApiVersion,
    kind: 'SecretStore',
    metadata: { name, namespace: p.namespace, labels: provisioningLabels(p.store, name) },
    spec: {
      provider: {
        aws: {
          service: 'SecretsManager',
          region: p.region,
          auth: { jwt: { serviceAccountRef: { name: account } } },
        },
      },
    },
  };
}

/** Every object of one store's provisioning, in the order they are needed. */
export function provisioningManifests(p: StoreProvisioning) {
  const script = provisioningScript(p.engine, p.users);
  const hash = provisioningHash(p, script);
  const names = {
    masterStore: `${p.store}-master`,
    usersStore: `${p.store}-users`,
    masterSecret: `${p.store}-master`,
    usersSecret: `${p.store}-users-${hash}`,
    script: `${p.store}-script-${hash}`,
    job: `${p.store}-users-${hash}`,
  };
  const labels = provisioningLabels(p.store, names.usersStore);

  // The master login, as RDS and DocumentDB keep it (`username`, `password`; the Amazon MQ admin secret
  // has the same keys), re-read hourly since RDS rotates it; only this namespace has it.
  const masterSecret = {
    apiVersion: externalSecretsApiVersion,
    kind: 'ExternalSecret',
    metadata: {
      name: names.masterSecret,
      namespace: p.namespace,
      labels: provisioningLabels(p.store, names.masterStore),
    },
    spec: {
      refreshInterval,
      secretStoreRef: { kind: 'SecretStore', name: names.masterStore },
      target: { name: names.masterSecret, creationPolicy: 'Owner' },
      dataFrom: [{ extract: { key: p.masterSecretArn } }],
    },
  };
  // Each user's password, pinned to the version the platform wrote (`uuid/<id>`, ESO's AWS provider).
  const usersSecret = {
    apiVersion: externalSecretsApiVersion,
    kind: 'ExternalSecret',
    metadata: { name: names.usersSecret, namespace: p.namespace, labels },
    spec: {
      refreshInterval,
      secretStoreRef: { kind: 'SecretStore', name: names.usersStore },
      target: { name: names.usersSecret, creationPolicy: 'Owner' },
      data: p.users.map((u) => ({
        secretKey: u.username,
        remoteRef: { key: u.secretArn, property: 'password', version: `uuid/${u.versionId}` },
      })),
    },
  };
  const configMap = {
    apiVersion: 'v1',
    kind: 'ConfigMap',
    metadata: { name: names.script, namespace: p.namespace, labels },
    data: { [script.file]: script.text },
  };

  const fromSecret = (name: string, secret: string, key: string) => ({
    name,
    valueFrom: { secretKeyRef: { name: secret, key } },
  });
  const path = `/script/${script.file}`;
  const engineEnv: Record<ProvisionedEngine, { name: string; value: string }[]> = {
    postgres: [
      { name: 'PGHOST', value: p.host },
      { name: 'PGPORT', value: String(p.port) },
      { name: 'PGDATABASE', value: 'postgres' },
      { name: 'PGSSLMODE', value: 'require' },
      { name: 'PGCONNECT_TIMEOUT', value: '10' },
    ],
    mysql: [
      { name: 'DB_HOST', value: p.host },
      { name: 'DB_PORT', value: String(p.port) },
    ],
    documentdb: [
      { name: 'DB_HOST', value: p.host },
      { name: 'DB_PORT', value: String(p.port) },
    ],
    // The broker's management API (its web console's HTTPS port), not AMQP.
    rabbitmq: [
      { name: 'DB_HOST', value: p.host },
      { name: 'DB_PORT', value: String(p.port) },
    ],
  };
  const masterEnv =
    p.engine === 'postgres'
      ? [
          fromSecret('PGUSER', names.masterSecret, 'username'),
          fromSecret('PGPASSWORD', names.masterSecret, 'password'),
        ]
      : [
          fromSecret('MASTER_USERNAME', names.masterSecret, 'username'),
          fromSecret('MASTER_PASSWORD', names.masterSecret, 'password'),
        ];
  const command: Record<ProvisionedEngine, string[]> = {
    postgres: ['psql', '--no-psqlrc', '--file', path],
    mysql: ['sh', path],
    documentdb: ['mongosh', '--nodb', '--quiet', '--file', path],
    rabbitmq: ['sh', path],
  };
  const job = {
    apiVersion: 'batch/v1',
    kind: 'Job',
    metadata: { name: names.job, namespace: p.namespace, labels },
    spec: {
      backoffLimit: 4,
      activeDeadlineSeconds: 900,
      template: {
        metadata: { labels },
        spec: {
          restartPolicy: 'Never',
          automountServiceAccountToken: false,
          enableServiceLinks: false,
          securityContext: {
            runAsNonRoot: true,
            runAsUser: 10001,
            runAsGroup: 10001,
            fsGroup: 10001,
            seccompProfile: { type: 'RuntimeDefault' },
          },
          containers: [
            {
              name: 'provision',
              image: clientImages[p.engine],
              command: command[p.engine],
              env: [
                { name: 'HOME', value: '/tmp' },
                ...engineEnv[p.engine],
                ...masterEnv,
                ...p.users.map((u) =>
                  fromSecret(passwordVariable(u.username), names.usersSecret, u.username),
                ),
              ],
              securityContext: {
                allowPrivilegeEscalation: false,
                readOnlyRootFilesystem: true,
                privileged: false,
                capabilities: { drop: ['ALL'] },
              },
              resources: {
                requests: { cpu: '50m', memory: '128Mi' },
                limits: { cpu: '500m', memory: '256Mi' },
              },
              volumeMounts: [
                { name: 'script', mountPath: '/script', readOnly: true },
                { name: 'tmp', mountPath: '/tmp' },
              ],
            },
          ],
          volumes: [
            { name: 'script', configMap: { name: names.script } },
            { name: 'tmp', emptyDir: { sizeLimit: '16Mi' } },
          ],
        },
      },
    },
  };
  // The Job's pods reach the store's port in the data subnets; DNS and nothing else is the namespace's.
  const networkPolicy = {
    apiVersion: 'networking.k8s.io/v1',
    kind: 'NetworkPolicy',
    metadata: { name: `${p.store}-store`, namespace: p.namespace, labels },
    spec: {
      podSelector: { matchLabels: labels },
      policyTypes: ['Egress'],
      egress: [
        { to: p.cidrs.map((cidr) => ({ ipBlock: { cidr } })), ports: [{ protocol: 'TCP', port: p.port }] },
      ],
    },
  };
  return {
    names,
    masterStore: secretStore(names.masterStore, masterReaderAccount(p.store), p),
    usersStore: secretStore(names.usersStore, usersReaderAccount(p.store), p),
    masterSecret,
    usersSecret,
    configMap,
    job,
    networkPolicy,
  };
}
