import { kubeObject, objectsOfKind } from '../infra/workloads/objects';
import { containerOf, describeExample, render, servicePorts } from './suite';

/** Seed 001, the e-commerce platform, as its seed states it (read here by hand, not from the catalog under test). */
describeExample('ecommerce', {
  stores: { postgresql: 'postgres', redis: 'redis' },
  uses: {
    'user-service': ['postgresql', 'redis'],
    'product-service': ['postgresql'],
    'order-service': ['postgresql'],
  },
  replicas: {
    dev: { 'api-gateway': 1, 'user-service': [1, 3], 'product-service': [1, 4], 'order-service': 1 },
    staging: { 'api-gateway': 2, 'user-service': [3, 6], 'product-service': [2, 8], 'order-service': 2 },
    prod: { 'api-gateway': 3, 'user-service': [3, 10], 'product-service': [5, 20], 'order-service': 4 },
  },
});

describe('examples/ecommerce: the seed’s shapes', () => {
  it('user-service publishes its API on 80 and its management port on 8081, probed there', async () => {
    const run = await render('ecommerce', 'prod');
    expect(servicePorts(run, 'user-service')).toEqual([
      ['http', 80],
      ['management', 8081],
    ]);
    const container = containerOf(run, 'user-service') as unknown as Record<string, { httpGet?: unknown }>;
    expect(container.livenessProbe?.httpGet).toEqual({ path: '/health', port: 'management' });
    expect(servicePorts(run, 'api-gateway')).toEqual([['http', 80]]);
    const hpa = kubeObject(run, 'HorizontalPodAutoscaler', 'product-service').spec as {
      metrics: { resource: { name: string } }[];
    };
    expect(hpa.metrics.map((m) => m.resource.name)).toEqual(['cpu']);
    expect(kubeObject(run, 'Deployment', 'product-service').spec?.strategy).toEqual({
      type: 'RollingUpdate',
      rollingUpdate: { maxUnavailable: 1, maxSurge: 2 },
    });
    expect(kubeObject(run, 'PodDisruptionBudget', 'user-service').spec?.minAvailable).toBe(2);
    // The seed's DATABASE_URL and REDIS_URL, composed from user-service's own logins.
    const composed = Object.fromEntries(
      objectsOfKind(run, 'ExternalSecret')
        .filter((es) => es.metadata.name.startsWith('user-service-data-'))
        .map((es) => {
          const template = (es.spec as { target: { template: { data: Record<string, string> } } }).target
            .template;
          return [es.metadata.name.replace(/-[0-9a-f]{8}$/, ''), template.data];
        }),
    );
    expect(composed['user-service-data-postgresql']?.DATABASE_URL).toBe(
      'postgresql://{{ .username }}:{{ .password }}@{{ .host }}:{{ .port }}/{{ .dbname }}?sslmode=require',
    );
    expect(composed['user-service-data-redis']?.REDIS_URL).toBe(
      'rediss://{{ .username }}:{{ .password }}@{{ .host }}:{{ .port }}',
    );
  });
});
