import type { OfflineRun } from '../../../offline/engine';
import { accountId, decide } from '../../support/iam';
import { renderEnvironment, stacks } from '../../support/render';
import { kmsKeyArn, named, ofType } from '../../support/resources';
import {
  kubeObject,
  kubeObjects,
  masterSecretArn,
  objectsOfKind,
  provisioningNamespace,
  roleOf,
  secretArn,
  statements,
  workloadNamespace,
} from './objects';

describe.each(stacks)('the %s secrets', (stack) => {
  let run: OfflineRun;
  beforeAll(async () => {
    run = await renderEnvironment(stack);
  });
  const namespace = workloadNamespace(stack);
  const ownCredential = () =>
    (run.outputs.dataCredentials as Record<string, Record<string, { secretArn: string }>>).api?.['app-db']
      ?.secretArn ?? '';
  const readerPolicyResource = () => {
    const policy = roleOf(run, 'workloads-api-secret-reader').policy;
    if (!policy) throw new Error('no secret reader policy for api');
    return policy;
  };
  const readerPolicy = () => JSON.parse(String(readerPolicyResource().inputs.policy)) as unknown;

  it('pulls exactly the secrets the catalog asks for, one ExternalSecret each', () => {
    expect(
      objectsOfKind(run, 'ExternalSecret', namespace)
        .map((e) => e.metadata.name)
        .sort(),
    ).toEqual([expect.stringMatching(/^api-data-app-db-[0-9a-f]{8}$/), 'api-secrets']);
    // And the platform's, in its own namespace: app-db's master login and its users' passwords.
    expect(
      objectsOfKind(run, 'ExternalSecret', provisioningNamespace(stack))
        .map((e) => e.metadata.name)
        .sort(),
    ).toEqual(['app-db-master', expect.stringMatching(/^app-db-users-[0-9a-f]{10}$/)]);
    expect(objectsOfKind(run, 'ExternalSecret')).toHaveLength(4);
  });

  it("pulls api's declared keys from its own Secrets Manager secret through its own store", () => {
    const external = kubeObject(run, 'ExternalSecret', 'api-secrets');
    expect(external.metadata.namespace).toBe(namespace);
    expect(external.spec).toEqual({
      refreshInterval: '1h',
      secretStoreRef: { kind: 'SecretStore', name: 'api' },
      target: { name: 'api-secrets', creationPolicy: 'Owner' },
      data: [
        {
          secretKey: 'PAYMENT_API_KEY',
          remoteRef: { key: secretArn(run, `slipway-${stack}/api`), property: 'PAYMENT_API_KEY' },
        },
      ],
    });
  });

  it('gives the database user its own login to app-db, and no pod any master secret', () => {
    const external = objectsOfKind(run, 'ExternalSecret').find((e) =>
      e.metadata.name.startsWith('api-data-'),
    );
    expect(ownCredential()).toMatch(
      new RegExp(`^arn:aws:secretsmanager:eu-west-1:123456789012:secret:slipway-${stack}/data/app-db/api-`),
    );
    expect(external?.spec).toMatchObject({
      secretStoreRef: { kind: 'SecretStore', name: 'api' },
      dataFrom: [{ extract: { key: ownCredential() } }],
    });
    const master = named(run, 'aws:rds/instance:Instance', 'data-app-db-instance');
    expect(master.inputs.manageMasterUserPassword).toBe(true);
    // The RDS-managed master secret (rds!db-…) appears in one Kubernetes object: the platform's
    // ExternalSecret in its provisioning namespace; none of the apps' names it.
    const naming = kubeObjects(run).filter((object) => JSON.stringify(object).includes('rds!db-'));
    expect(naming.map((o) => [o.kind, o.metadata.namespace, o.metadata.name])).toEqual([
      ['ExternalSecret', provisioningNamespace(stack), 'app-db-master'],
    ]);
    expect(naming[0]?.spec).toMatchObject({
      dataFrom: [{ extract: { key: masterSecretArn(run, 'data-app-db-instance') } }],
      target: { name: 'app-db-master' },
    });
    // Which only the provisioning Job's pod reads; no pod of the apps mounts or reads that Secret.
    const readers = kubeObjects(run)
      .filter((o) => ['Deployment', 'Job', 'CronJob'].includes(o.kind))
      .filter((o) => JSON.stringify(o.spec).includes('"name":"app-db-master"'))
      .map((o) => [o.kind, o.metadata.namespace, o.metadata.name]);
    expect(readers).toEqual([['Job', provisioningNamespace(stack), expect.stringMatching(/^app-db-users-/)]]);
  });

  it('gives a store only to a service that pulls secrets; no store serves the whole cluster', () => {
    expect(objectsOfKind(run, 'SecretStore', namespace).map((store) => store.metadata.name)).toEqual(['api']);
    // The platform's two for app-db, in its own namespace: its master reader and its users' reader.
    expect(
      objectsOfKind(run, 'SecretStore', provisioningNamespace(stack)).map((store) => store.metadata.name),
    ).toEqual(['app-db-master', 'app-db-users']);
    expect(objectsOfKind(run, 'SecretStore')).toHaveLength(3);
    expect(objectsOfKind(run, 'ClusterSecretStore')).toEqual([]);
  });

  it("authenticates api's store as a reader account no pod runs as, trusted by api's reader role alone", () => {
    const store = kubeObject(run, 'SecretStore', 'api');
    expect(store.metadata.namespace).toBe(namespace);
    expect(store.spec).toEqual({
      provider: {
        aws: {
          service: 'SecretsManager',
          region: 'eu-west-1',
          auth: { jwt: { serviceAccountRef: { name: 'api.secret-reader' } } },
        },
      },
    });
    const reader = kubeObject(run, 'ServiceAccount', 'api.secret-reader');
    expect(reader.metadata.namespace).toBe(namespace);
    expect(reader.automountServiceAccountToken).toBe(false);
    expect(reader.metadata.annotations).toEqual({
      'eks.amazonaws.com/role-arn': `arn:aws:iam::${accountId}:role/slipway-${stack}-app-api.secret-reader`,
    });
    const podAccounts = objectsOfKind(run, 'Deployment').map(
      (d) =>
        (d.spec as { template: { spec: { serviceAccountName: string } } }).template.spec.serviceAccountName,
    );
    expect(podAccounts).not.toContain('api.secret-reader');
    const { role } = roleOf(run, 'workloads-api-secret-reader');
    expect(role.inputs.name).toBe(`slipway-${stack}-app-api.secret-reader`);
    const [trust] = statements(role, 'assumeRolePolicy');
    expect(Object.values(trust?.Condition?.StringEquals ?? {}).sort()).toEqual([
      'sts.amazonaws.com',
      `system:serviceaccount:${namespace}:api.secret-reader`,
    ]);
  });

  describe("api's reader role, evaluated by the IAM simulator", () => {
    it('reads its own secret and its own database login', async () => {
      for (const secret of [secretArn(run, `slipway-${stack}/api`), ownCredential()]) {
        expect(await decide(readerPolicy(), 'secretsmanager:GetSecretValue', secret)).toBe('Allowed');
      }
    });

    it('reads neither the database master secret nor a secret it was not given', async () => {
      const others = [
        masterSecretArn(run, 'data-app-db-instance'),
        `arn:aws:secretsmanager:eu-west-1:${accountId}:secret:slipway-${stack}/worker-AbCdEf`,
      ];
      for (const secret of others) {
        expect(await decide(readerPolicy(), 'secretsmanager:GetSecretValue', secret)).toBe(
          'ImplicitlyDenied',
        );
      }
    });

    it('decrypts with the data key only through Secrets Manager, only for its own secrets', () => {
      // Asserted on the document: the simulator drops `kms:EncryptionContext:<key>` from a request's
      // context (it resolves only `/`-keyed variables such as `aws:PrincipalTag/<key>`), so it could
      // neither allow nor refuse by it.
      const decrypt = statements(readerPolicyResource(), 'policy').find(
        (statement) => statement.Action === 'kms:Decrypt',
      );
      expect(decrypt).toEqual({
        Sid: 'DecryptOwnSecrets',
        Effect: 'Allow',
        Action: 'kms:Decrypt',
        Resource: kmsKeyArn(run, 'keys-data'),
        Condition: {
          StringEquals: { 'kms:ViaService': 'secretsmanager.eu-west-1.amazonaws.com' },
          StringLike: {
            'kms:EncryptionContext:SecretARN': [
              secretArn(run, `slipway-${stack}/api`),
              ownCredential(),
            ].sort(),
          },
        },
      });
    });
  });

  it("lets no role read the master secret but the platform's provisioning reader, and only api's reader api's secret", async () => {
    const master = masterSecretArn(run, 'data-app-db-instance');
    const own = secretArn(run, `slipway-${stack}/api`);
    const readers: string[] = [];
    const masterReaders: string[] = [];
    for (const policy of ofType(run, 'aws:iam/rolePolicy:RolePolicy')) {
      const document = JSON.parse(String(policy.inputs.policy)) as unknown;
      if ((await decide(document, 'secretsmanager:GetSecretValue', master)) === 'Allowed') {
        masterReaders.push(policy.name);
      }
      if ((await decide(document, 'secretsmanager:GetSecretValue', own)) === 'Allowed') {
        readers.push(policy.name);
      }
    }
    // The role of the SecretStore that syncs the master login into the platform's provisioning namespace,
    // which only that namespace's master-reader account may assume.
    expect(masterReaders).toEqual(['data-users-app-db-master-reader-policy']);
    const trust = statements(roleOf(run, 'data-users-app-db-master-reader').role, 'assumeRolePolicy');
    expect(trust.flatMap((s) => Object.values(s.Condition?.StringEquals ?? {}))).toContain(
      `system:serviceaccount:${provisioningNamespace(stack)}:app-db.master-reader`,
    );
    expect(readers).toEqual(['workloads-api-secret-reader-policy']);
  });
});
