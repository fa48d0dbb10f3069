import type { OfflineRun } from '../../../offline/engine';
import { renderEnvironment, stacks } from '../../support/render';
import { named } from '../../support/resources';
import { kubeObject, kubeObjects, objectsOfKind, secretArn, workloadNamespace } from './objects';

describe.each(stacks)('the %s secrets', (stack) => {
  let run: OfflineRun;
  beforeAll(async () => {
    run = await renderEnvironment(stack);
  });

  it('pulls exactly the secrets the catalog asks for, one ExternalSecret each', () => {
    expect(
      objectsOfKind(run, 'ExternalSecret')
        .map((e) => e.metadata.name)
        .sort(),
    ).toEqual([expect.stringMatching(/^api-data-app-db-[0-9a-f]{8}$/), 'api-secrets']);
  });

  it("pulls api's declared keys from its own Secrets Manager secret through the cluster store", () => {
    const external = kubeObject(run, 'ExternalSecret', 'api-secrets');
    expect(external.metadata.namespace).toBe(workloadNamespace(stack));
    expect(external.spec).toEqual({
      refreshInterval: '1h',
      secretStoreRef: { kind: 'ClusterSecretStore', name: 'aws-secrets-manager' },
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
    const own = (run.outputs.dataCredentials as Record<string, Record<string, { secretArn: string }>>).api?.[
      'app-db'
    ]?.secretArn;
    expect(own).toMatch(
      new RegExp(`^arn:aws:secretsmanager:eu-west-1:123456789012:secret:slipway-${stack}/data/app-db/api-`),
    );
    expect(external?.spec).toMatchObject({
      secretStoreRef: { kind: 'ClusterSecretStore', name: 'aws-secrets-manager' },
      dataFrom: [{ extract: { key: own } }],
    });
    const master = named(run, 'aws:rds/instance:Instance', 'data-app-db-instance');
    expect(master.inputs.manageMasterUserPassword).toBe(true);
    // The RDS-managed master secret (rds!db-…) appears in no Kubernetes object of the apps.
    for (const object of kubeObjects(run)) expect(JSON.stringify(object)).not.toContain('rds!db-');
  });
});
