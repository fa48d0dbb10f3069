import { kubeObject, objectsOfKind } from '../infra/workloads/objects';
import { containerOf, describeExample, names, render, servicePorts } from './suite';

/** Seed 003, RoboShop, as its seed states it (read here by hand, not from the catalog under test). */
describeExample('roboshop', {
  stores: { mongodb: 'documentdb', mysql: 'mysql', redis: 'redis', rabbitmq: 'rabbitmq' },
  uses: {
    catalogue: ['mongodb'],
    cart: ['redis'],
    user: ['mongodb', 'redis'],
    shipping: ['mysql'],
    payment: ['rabbitmq'],
  },
  replicas: {
    dev: { web: 1, catalogue: [1, 10], cart: 1, user: 1, shipping: 1, payment: 1 },
    staging: { web: 2, catalogue: [2, 10], cart: 2, user: 2, shipping: 2, payment: 2 },
    prod: { web: 3, catalogue: [3, 10], cart: 3, user: 3, shipping: 3, payment: 3 },
  },
});

describe('examples/roboshop: the seed’s shapes', () => {
  it('callers reach each service on 8080; web binds 80 with NET_BIND_SERVICE alone and mounts its nginx.conf', async () => {
    const run = await render('roboshop', 'prod');
    for (const name of ['catalogue', 'cart', 'user', 'shipping', 'payment']) {
      expect(servicePorts(run, name)).toEqual([['http', 8080]]);
    }
    expect(servicePorts(run, 'web')).toEqual([['http', 80]]);
    expect(containerOf(run, 'web').securityContext.capabilities).toEqual({
      drop: ['ALL'],
      add: ['NET_BIND_SERVICE'],
    });
    expect(containerOf(run, 'cart').securityContext.capabilities).toEqual({ drop: ['ALL'] });
    const files = kubeObject(run, 'ConfigMap', 'web-files').data as Record<string, string>;
    expect(Object.keys(files)).toEqual(['etc_nginx_nginx.conf']);
    expect(files['etc_nginx_nginx.conf']).toContain('proxy_pass http://catalogue:8080/;');
    // The seed's init scripts run as Jobs before the rollout, with the service's egress and no ingress.
    expect(names(objectsOfKind(run, 'Job', String(run.outputs.workloadsNamespaceName)))).toEqual([
      'catalogue-load-products',
      'shipping-load-cities',
      'user-load-users',
    ]);
    const cartIngress = kubeObject(run, 'NetworkPolicy', 'cart-ingress').spec as {
      ingress: { from: unknown[]; ports: unknown[] }[];
    };
    expect(cartIngress.ingress.map((rule) => rule.ports)).toEqual([
      [{ protocol: 'TCP', port: 8080 }],
      [{ protocol: 'TCP', port: 8080 }],
      [{ protocol: 'TCP', port: 8080 }],
    ]);
  });
});
