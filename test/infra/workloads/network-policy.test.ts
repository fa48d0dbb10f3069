import type { ServiceSpec } from '../../../infra/config/services';
import {
  egressPolicy,
  ingressPolicy,
  internetEgressAnnotation,
  nonInternetRanges,
  type NetworkPlan,
} from '../../../infra/workloads/network-policy';
import type { OfflineRun } from '../../../offline/engine';
import { renderEnvironment, stacks } from '../../support/render';
import {
  configOf,
  kubeObject,
  objectsOfKind,
  provisioningNamespace,
  subnetCidrs,
  workloadNamespace,
} from './objects';

interface Rule {
  from?: Record<string, unknown>[];
  to?: Record<string, unknown>[];
  ports?: { protocol: string; port: number }[];
}
const pods = (name: string) => ({ podSelector: { matchLabels: { 'app.kubernetes.io/name': name } } });
const blocks = (cidrs: string[]) => cidrs.map((cidr) => ({ ipBlock: { cidr } }));
const tcp = (port: number) => [{ protocol: 'TCP', port }];

describe.each(stacks)('the %s network policies', (stack) => {
  let run: OfflineRun;
  const namespace = workloadNamespace(stack);
  beforeAll(async () => {
    run = await renderEnvironment(stack);
  });
  const spec = (name: string, inNamespace = namespace) =>
    kubeObject(run, 'NetworkPolicy', name, inNamespace).spec as {
      podSelector: unknown;
      policyTypes: string[];
      ingress?: Rule[];
      egress?: Rule[];
    };

  it("deny all ingress and egress by default, in the apps' namespace and the platform's provisioning one", () => {
    const denies = objectsOfKind(run, 'NetworkPolicy').filter((p) => p.metadata.name === 'default-deny-all');
    expect(denies.map((deny) => deny.metadata.namespace).sort()).toEqual(
      [namespace, provisioningNamespace(stack)].sort(),
    );
    for (const deny of denies)
      expect(deny.spec).toEqual({ podSelector: {}, policyTypes: ['Ingress', 'Egress'] });
  });

  it.each(['apps', 'provisioning'])(
    'let every pod of the %s namespace resolve names through kube-dns, on port 53 only',
    (which) => {
      expect(spec('allow-dns', which === 'apps' ? namespace : provisioningNamespace(stack))).toEqual({
        podSelector: {},
        policyTypes: ['Egress'],
        egress: [
          {
            to: [
              {
                namespaceSelector: { matchLabels: { 'kubernetes.io/metadata.name': 'kube-system' } },
                podSelector: { matchLabels: { 'k8s-app': 'kube-dns' } },
              },
            ],
            ports: [
              { protocol: 'UDP', port: 53 },
              { protocol: 'TCP', port: 53 },
            ],
          },
        ],
      });
    },
  );

  it('let api in from its declared callers and from the load balancer subnets, nothing else', () => {
    expect(spec('api-ingress')).toEqual({
      podSelector: pods('api').podSelector,
      policyTypes: ['Ingress'],
      ingress: [
        { from: [pods('web')], ports: tcp(8080) },
        { from: [pods('worker')], ports: tcp(8080) },
        { from: blocks(subnetCidrs(run, 'public')), ports: tcp(8080) },
      ],
    });
  });

  it('let web in from the load balancer only, and worker in from nowhere', () => {
    expect(spec('web-ingress').ingress).toEqual([
      { from: blocks(subnetCidrs(run, 'public')), ports: tcp(8080) },
    ]);
    const names = objectsOfKind(run, 'NetworkPolicy').map((p) => p.metadata.name);
    expect(names).not.toContain('worker-ingress');
  });

  it('let each caller out to the services it calls', () => {
    expect(spec('web-egress')).toEqual({
      podSelector: pods('web').podSelector,
      policyTypes: ['Egress'],
      egress: [{ to: [pods('api')], ports: tcp(8080) }],
    });
  });

  it('let the database user out to the database subnets on 5432', () => {
    const egress = spec('api-egress').egress ?? [];
    const databaseCidrs = subnetCidrs(run, 'database');
    expect(databaseCidrs.length).toBeGreaterThanOrEqual(2);
    expect(egress).toContainEqual({ to: blocks(databaseCidrs), ports: tcp(5432) });
    expect(spec('web-egress').egress?.some((rule) => rule.ports?.[0]?.port === 5432)).toBe(false);
  });

  it('let api out to the internet on 443 for its declared host, never to private or link-local ranges', () => {
    const policy = kubeObject(run, 'NetworkPolicy', 'api-egress');
    const internet = (spec('api-egress').egress ?? []).filter((rule) =>
      rule.to?.some((peer) => (peer.ipBlock as { cidr: string } | undefined)?.cidr === '0.0.0.0/0'),
    );
    expect(internet).toEqual([
      {
        to: [{ ipBlock: { cidr: '0.0.0.0/0', except: nonInternetRanges } }],
        ports: tcp(443),
      },
    ]);
    expect(nonInternetRanges).toEqual(['10.0.0.0/8', '172.16.0.0/12', '192.168.0.0/16', '169.254.0.0/16']);
    // The host is why the port is open; the annotation says so, since the rule cannot name it.
    expect(policy.metadata.annotations).toEqual({ [internetEgressAnnotation]: 'api.stripe.com:443' });
    expect(JSON.stringify(spec('web-egress'))).not.toContain('0.0.0.0/0');
  });

  it('let worker reach the API server in the control plane subnets, and AWS by endpoint or through NAT', () => {
    const controlPlane = blocks(subnetCidrs(run, 'control-plane'));
    const egress = spec('worker-egress').egress;
    const annotations = kubeObject(run, 'NetworkPolicy', 'worker-egress').metadata.annotations;
    if (stack === 'dev') {
      expect(egress).toEqual([
        { to: [pods('api')], ports: tcp(8080) },
        { to: controlPlane, ports: tcp(443) },
        { to: [{ ipBlock: { cidr: '0.0.0.0/0', except: nonInternetRanges } }], ports: tcp(443) },
      ]);
      expect(annotations).toEqual({
        [internetEgressAnnotation]: 'aws:sts,sqs (no VPC endpoint in this stack: through NAT)',
      });
    } else {
      expect(egress).toEqual([
        { to: [pods('api')], ports: tcp(8080) },
        { to: controlPlane, ports: tcp(443) },
        { to: blocks(subnetCidrs(run, 'endpoints')), ports: tcp(443) },
      ]);
      expect(annotations).toBeUndefined();
    }
  });
});

describe('egressPolicy on a catalog entry', () => {
  const base = configOf('dev').services.find((s) => s.name === 'web') as ServiceSpec;
  const plan: NetworkPlan = {
    loadBalancerCidrs: ['10.0.192.0/22'],
    apiServerCidrs: ['10.0.216.0/24'],
    dataServices: {},
    aws: { endpointCidrs: ['10.0.248.0/24'], endpointServices: ['sts', 'sqs'], s3Cidrs: ['52.218.0.0/17'] },
  };
  // The rendered object is plain data (no Outputs): read it as the API server would.
  const egressOf = (service: ServiceSpec) =>
    egressPolicy(service, [service], 'shop', 'dev', plan) as unknown as {
      metadata: { annotations?: Record<string, string> };
      spec: { egress: Rule[] };
    };

  it('sends an external host with published addresses to those addresses only, and says nothing of the internet', () => {
    const policy = egressOf({
      ...base,
      calls: [],
      egress: [{ host: 'api.payments.example', port: 443, cidrs: ['198.51.100.0/24'] }],
    });
    expect(policy.spec.egress).toEqual([{ to: blocks(['198.51.100.0/24']), ports: tcp(443) }]);
    expect(policy.metadata.annotations).toBeUndefined();
  });

  it('sends S3 through the gateway addresses and endpoint services through the endpoints, never NAT', () => {
    const policy = egressOf({
      ...base,
      calls: [],
      aws: [
        { actions: ['s3:GetObject'], resources: ['arn:aws:s3:::bucket/*'] },
        { actions: ['sqs:SendMessage'], resources: ['arn:aws:sqs:eu-west-1:123456789012:q'] },
      ],
    });
    expect(policy.spec.egress).toEqual([
      { to: blocks(['10.0.248.0/24']), ports: tcp(443) },
      { to: blocks(['52.218.0.0/17']), ports: tcp(443) },
    ]);
  });

  it('names a data service the stack does not run in one line', () => {
    expect(() =>
      egressOf({ ...base, calls: [], uses: { 'app-db': { env: { DB_HOST: '{host}' } } } }),
    ).toThrow('web uses app-db, which this stack does not run');
  });
});

describe('the policies of named ports and workers', () => {
  const base = configOf('dev').services.find((s) => s.name === 'web') as ServiceSpec;
  const plan: NetworkPlan = {
    loadBalancerCidrs: ['10.0.192.0/22'],
    apiServerCidrs: ['10.0.216.0/24'],
    dataServices: {},
    aws: { endpointCidrs: [], endpointServices: [], s3Cidrs: ['52.218.0.0/17'] },
  };
  // A front published on 80 (routed) with an admin port 9000 the Service publishes on 9443.
  const front = (readinessPort: string): ServiceSpec => ({
    ...base,
    name: 'front',
    calls: [],
    ports: { http: 80, admin: { port: 9000, servicePort: 9443 } },
    probes: {
      ...base.probes,
      readiness: { ...base.probes.readiness, http: { path: '/ready', port: readinessPort } },
    },
    ingress: { host: 'shop.example.com', path: '/', port: 'http' },
  });
  const caller: ServiceSpec = { ...base, name: 'back', calls: ['front'], ingress: undefined };
  const worker: ServiceSpec = { ...base, name: 'jobs', calls: ['front'], ports: {}, ingress: undefined };
  const rulesOf = (policy: unknown, direction: 'ingress' | 'egress') =>
    (policy as { spec: Record<string, Rule[]> }).spec[direction];

  it("admits callers on every container port (not the Service's), the ALB on the routed and probed ports only", () => {
    const services = [front('http'), caller];
    expect(rulesOf(ingressPolicy(front('http'), services, 'shop', 'dev', plan), 'ingress')).toEqual([
      { from: [pods('back')], ports: [...tcp(80), ...tcp(9000)] },
      { from: blocks(['10.0.192.0/22']), ports: tcp(80) },
    ]);
    // Health-checked on the admin port: the ALB reaches that port too, as its health check must.
    const probedOnAdmin = front('admin');
    expect(rulesOf(ingressPolicy(probedOnAdmin, [probedOnAdmin], 'shop', 'dev', plan), 'ingress')).toEqual([
      { from: blocks(['10.0.192.0/22']), ports: [...tcp(80), ...tcp(9000)] },
    ]);
    expect(rulesOf(egressPolicy(caller, services, 'shop', 'dev', plan), 'egress')).toEqual([
      { to: [pods('front')], ports: [...tcp(80), ...tcp(9000)] },
    ]);
  });

  it('gives a worker no ingress policy, and lets it call out like any service', () => {
    const services = [front('http'), worker];
    expect(ingressPolicy(worker, services, 'shop', 'dev', plan)).toBeUndefined();
    expect(rulesOf(egressPolicy(worker, services, 'shop', 'dev', plan), 'egress')).toEqual([
      { to: [pods('front')], ports: [...tcp(80), ...tcp(9000)] },
    ]);
  });

  it('refuses a rule toward a worker, which without ports would open every port', () => {
    const called: ServiceSpec = { ...worker, calls: [] };
    const services = [called, { ...caller, calls: ['jobs'] }];
    expect(() => ingressPolicy(called, services, 'shop', 'dev', plan)).toThrow(
      'back calls jobs, but jobs is a worker with no ports (a rule without ports opens every port)',
    );
    expect(() => egressPolicy({ ...caller, calls: ['jobs'] }, services, 'shop', 'dev', plan)).toThrow(
      'back calls jobs, but jobs is a worker with no ports',
    );
  });
});
