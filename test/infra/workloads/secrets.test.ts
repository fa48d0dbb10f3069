import type { OfflineRun } from '../../../offline/engine';
import { renderEnvironment, stacks } from '../../support/render';
import { kubeObject, objectsOfKind, secretArn, workloadNamespace } from './objects';

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
    ).toEqual(['api-database', 'api-secrets']);
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

  it('gives the database user the RDS-managed credentials the same way', () => {
    const external = kubeObject(run, 'ExternalSecret', 'api-database');
    const rdsSecret = run.outputs.databaseSecretArn;
    expect(rdsSecret).toMatch(/^arn:aws:secretsmanager:eu-west-1:123456789012:secret:rds!db-/);
    expect(external.spec).toMatchObject({
      secretStoreRef: { kind: 'ClusterSecretStore', name: 'aws-secrets-manager' },
      target: { name: 'api-database', creationPolicy: 'Owner' },
      data: [
        { secretKey: 'DB_USER', remoteRef: { key: rdsSecret, property: 'username' } },
        { secretKey: 'DB_PASSWORD', remoteRef: { key: rdsSecret, property: 'password' } },
      ],
    });
  });
});
