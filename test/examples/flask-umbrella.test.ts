import { ofType } from '../support/resources';
import { stacks } from '../support/render';
import { kubeObject, objectsOfKind } from '../infra/workloads/objects';
import { describeExample, names, render, servicePorts } from './suite';

/** Seed 004, the Flask umbrella, as its seed states it (read here by hand, not from the catalog under test). */
describeExample('flask-umbrella', {
  stores: { 'app-db': 'postgres' },
  uses: { 'api-service': ['app-db'], admin: ['app-db'] },
  // 2, 3 and 4 applications: the seed's dev, staging and prod tfvars.
  replicas: {
    dev: { 'api-service': [2, 10], worker: 1 },
    staging: { 'api-service': [2, 10], admin: 2, worker: 1 },
    prod: { 'api-service': [3, 20], admin: 2, worker: 2, monitoring: 2 },
  },
});

describe('examples/flask-umbrella: the seed’s shapes', () => {
  it('dev runs 2 applications, staging 3, prod 4, as the seed’s tfvars do', async () => {
    const counts = [];
    for (const stack of stacks)
      counts.push(objectsOfKind(await render('flask-umbrella', stack), 'Deployment').length);
    expect(counts).toEqual([2, 3, 4]);
  });

  it("the worker has no Service, the API key comes from the existing secret, which the API's store (not a pod) may read", async () => {
    const run = await render('flask-umbrella', 'prod');
    expect(names(objectsOfKind(run, 'Service'))).toEqual(['admin', 'api-service', 'monitoring']);
    expect(servicePorts(run, 'api-service')).toEqual([['http', 80]]);
    expect(names(objectsOfKind(run, 'CronJob'))).toEqual(['worker-cleanup']);
    const externalSecret = kubeObject(run, 'ExternalSecret', 'api-service-secrets').spec as {
      data: unknown[];
    };
    expect(externalSecret.data).toEqual([
      { secretKey: 'API_KEY', remoteRef: { key: 'my-app/api', property: 'key' } },
    ]);
    const grants = ofType(run, 'aws:iam/rolePolicy:RolePolicy')
      .filter((p) => String(p.inputs.policy).includes('secret:my-app/api-??????'))
      .map((p) => p.name);
    // The API's SecretStore reads it (as its reader role) to write the API's Kubernetes Secret; no pod's
    // role and no other service's store reads it.
    expect(grants).toEqual(['workloads-api-service-secret-reader-policy']);
    const hpa = kubeObject(run, 'HorizontalPodAutoscaler', 'api-service').spec as {
      minReplicas: number;
      maxReplicas: number;
      behavior: unknown;
    };
    expect([hpa.minReplicas, hpa.maxReplicas]).toEqual([3, 20]);
    expect(hpa.behavior).toEqual({
      scaleUp: {
        stabilizationWindowSeconds: 60,
        policies: [{ type: 'Percent', value: 50, periodSeconds: 60 }],
      },
      scaleDown: {
        stabilizationWindowSeconds: 300,
        policies: [{ type: 'Percent', value: 10, periodSeconds: 60 }],
      },
    });
  });
});
