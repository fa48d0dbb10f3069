import { externalSecretsApiVersion } from '../../../infra/workloads/external-secrets';
import { packViolations, type Candidate } from '../run-policies';
import { realResource } from '../variants';

const policy = 'k8s-external-secret-own-store';
const externalSecretType = `kubernetes:${externalSecretsApiVersion}:ExternalSecret`;
const storeRefOf = (candidate: Candidate) =>
  (candidate.props.spec as { secretStoreRef: { kind: string; name: string } }).secretStoreRef;

describe("each service's secrets through its own store", () => {
  it.each(['dev', 'prod'] as const)('accepts the %s ExternalSecrets as rendered', async (stack) => {
    const external = await realResource(stack, externalSecretType, 'workloads-api-api-secrets');
    expect(storeRefOf(external)).toEqual({ kind: 'SecretStore', name: 'api' });
    expect(await packViolations(external)).toEqual([]);
  });

  it("reports an ExternalSecret that names another service's store", async () => {
    const external = await realResource('dev', externalSecretType, 'workloads-api-api-secrets');
    storeRefOf(external).name = 'worker';
    expect(await packViolations(external)).toEqual([
      {
        policy,
        message:
          'ExternalSecret api-secrets in namespace "slipway-dev" names SecretStore worker, not its own ' +
          "service's SecretStore api",
      },
    ]);
  });

  it("holds in the platform's provisioning namespace: the master login through the master reader's store alone", async () => {
    const master = await realResource('dev', externalSecretType, 'data-users-app-db-master-secret');
    expect(storeRefOf(master)).toEqual({ kind: 'SecretStore', name: 'app-db-master' });
    expect(await packViolations(master)).toEqual([]);
    // Read through the users' store instead, the master login would reach the role that reads the users'
    // passwords: refused.
    storeRefOf(master).name = 'app-db-users';
    expect((await packViolations(master)).map((v) => v.message)).toEqual([
      'ExternalSecret app-db-master in namespace "slipway-dev-data" names SecretStore app-db-users, not its own ' +
        "service's SecretStore app-db-master",
    ]);
  });

  it('reports an ExternalSecret that names a cluster-wide store', async () => {
    const external = await realResource('prod', externalSecretType, 'workloads-api-api-secrets');
    Object.assign(storeRefOf(external), { kind: 'ClusterSecretStore', name: 'aws-secrets-manager' });
    expect((await packViolations(external)).map((v) => v.message)).toEqual([
      'ExternalSecret api-secrets in namespace "slipway-prod" names ClusterSecretStore aws-secrets-manager, ' +
        "not its own service's SecretStore api",
    ]);
  });

  it('reports a ClusterSecretStore, as the platform rendered one before', async () => {
    const store: Candidate = {
      type: 'kubernetes:external-secrets.io/v1beta1:ClusterSecretStore',
      name: 'addons-secret-store',
      urn: 'urn:pulumi:dev::slipway::slipway:platform:Addons$kubernetes:external-secrets.io/v1beta1:ClusterSecretStore::addons-secret-store',
      props: {
        apiVersion: 'external-secrets.io/v1beta1',
        kind: 'ClusterSecretStore',
        metadata: { name: 'aws-secrets-manager' },
        spec: { provider: { aws: { service: 'SecretsManager', region: 'eu-west-1' } } },
      },
    };
    expect(await packViolations(store)).toEqual([
      {
        policy,
        message:
          "ClusterSecretStore aws-secrets-manager serves every namespace's ExternalSecrets as one identity",
      },
    ]);
  });
});
