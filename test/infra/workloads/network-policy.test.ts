import { nonInternetRanges } from '../../../infra/workloads/network-policy';
import type { OfflineRun } from '../../../offline/engine';
import { renderEnvironment, stacks } from '../../support/render';
import { kubeObject, objectsOfKind, subnetCidrs, workloadNamespace } from './objects';

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
  const spec = (name: string) =>
    kubeObject(run, 'NetworkPolicy', name).spec as {
      podSelector: unknown;
      policyTypes: string[];
      ingress?: Rule[];
      egress?: Rule[];
    };

  it('deny all ingress and egress in the namespace by default', () => {
    const deny = kubeObject(run, 'NetworkPolicy', 'default-deny-all');
    expect(deny.metadata.namespace).toBe(namespace);
    expect(deny.spec).toEqual({ podSelector: {}, policyTypes: ['Ingress', 'Egress'] });
  });

  it('let every pod resolve names through kube-dns, on port 53 only', () => {
    expect(spec('allow-dns')).toEqual({
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
  });

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

  it('let api out to the internet on its declared port, never to private ranges or instance metadata', () => {
    const egress = spec('api-egress').egress ?? [];
    const internet = egress.filter((rule) =>
      rule.to?.some((peer) => (peer.ipBlock as { cidr: string } | undefined)?.cidr === '0.0.0.0/0'),
    );
    expect(internet).toEqual([
      {
        to: [{ ipBlock: { cidr: '0.0.0.0/0', except: nonInternetRanges } }],
        ports: tcp(443),
      },
    ]);
    expect(nonInternetRanges).toEqual(
      expect.arrayContaining(['10.0.0.0/8', '172.16.0.0/12', '192.168.0.0/16', '169.254.169.254/32']),
    );
    for (const name of ['web-egress', 'worker-egress']) {
      expect(JSON.stringify(spec(name))).not.toContain('0.0.0.0/0');
    }
  });

  it('let worker, which reads metrics, reach the API server in the private subnets on 443', () => {
    expect(spec('worker-egress').egress).toEqual([
      { to: [pods('api')], ports: tcp(8080) },
      { to: blocks(subnetCidrs(run, 'private')), ports: tcp(443) },
    ]);
  });
});
