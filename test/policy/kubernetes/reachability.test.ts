import {
  addressIn,
  canConnect,
  inCidr,
  type Cluster,
  type NetworkPolicyObject,
  type Pod,
} from '../../../policy/kubernetes/reachability';

const pod = (name: string, namespace: string, ip: string, ports: [string, number][] = []): Pod => ({
  kind: 'pod',
  name,
  namespace,
  labels: { app: name },
  ip,
  ports: ports.map(([portName, port]) => ({ name: portName, port, protocol: 'TCP' })),
});
const web = pod('web', 'shop', '10.0.0.10');
const api = pod('api', 'shop', '10.0.0.11', [['http', 8080]]);
const dns = pod('dns', 'kube-system', '10.0.1.5', [['dns', 53]]);
const metadata = { kind: 'address' as const, name: 'imds', ip: '169.254.169.254' };
const internetHost = { kind: 'address' as const, name: 'internet', ip: '93.184.216.34' };

const deny: NetworkPolicyObject = {
  metadata: { name: 'deny', namespace: 'shop' },
  spec: { podSelector: {}, policyTypes: ['Ingress', 'Egress'] },
};
const world = (...policies: NetworkPolicyObject[]): Cluster => ({
  policies,
  namespaces: {
    shop: { 'kubernetes.io/metadata.name': 'shop' },
    'kube-system': { 'kubernetes.io/metadata.name': 'kube-system' },
  },
});

describe('NetworkPolicy reachability', () => {
  it('leaves a namespace without policies open and closes it with a default deny', () => {
    expect(canConnect(world(), web, api, 8080)).toBe(true);
    expect(canConnect(world(deny), web, api, 8080)).toBe(false);
  });

  it('needs both the sender egress and the receiver ingress for pod-to-pod traffic', () => {
    const egress: NetworkPolicyObject = {
      metadata: { name: 'web-out', namespace: 'shop' },
      spec: {
        podSelector: { matchLabels: { app: 'web' } },
        policyTypes: ['Egress'],
        egress: [{ to: [{ podSelector: { matchLabels: { app: 'api' } } }], ports: [{ port: 'http' }] }],
      },
    };
    const ingress: NetworkPolicyObject = {
      metadata: { name: 'api-in', namespace: 'shop' },
      spec: {
        podSelector: { matchLabels: { app: 'api' } },
        policyTypes: ['Ingress'],
        ingress: [{ from: [{ podSelector: { matchLabels: { app: 'web' } } }], ports: [{ port: 8080 }] }],
      },
    };
    expect(canConnect(world(deny, egress), web, api, 8080)).toBe(false);
    expect(canConnect(world(deny, egress, ingress), web, api, 8080)).toBe(true);
    // The named port resolves on the receiving pod: 8081 is not `http`.
    expect(canConnect(world(deny, egress, ingress), web, api, 8081)).toBe(false);
  });

  it('matches namespaces by their labels and pods by theirs', () => {
    const toDns: NetworkPolicyObject = {
      metadata: { name: 'dns', namespace: 'shop' },
      spec: {
        podSelector: {},
        policyTypes: ['Egress'],
        egress: [
          {
            to: [
              {
                namespaceSelector: { matchLabels: { 'kubernetes.io/metadata.name': 'kube-system' } },
                podSelector: { matchLabels: { app: 'dns' } },
              },
            ],
            ports: [{ protocol: 'UDP', port: 53 }],
          },
        ],
      },
    };
    expect(canConnect(world(deny, toDns), web, dns, 53, 'UDP')).toBe(true);
    expect(canConnect(world(deny, toDns), web, dns, 53, 'TCP')).toBe(false);
    // A pod selector alone stays in the policy's namespace.
    const sameNamespaceOnly: NetworkPolicyObject = {
      metadata: { name: 'dns-here', namespace: 'shop' },
      spec: {
        podSelector: {},
        policyTypes: ['Egress'],
        egress: [{ to: [{ podSelector: { matchLabels: { app: 'dns' } } }] }],
      },
    };
    expect(canConnect(world(deny, sameNamespaceOnly), web, dns, 53, 'UDP')).toBe(false);
  });

  it('honours the except list of an address block, and applies blocks to pod addresses too', () => {
    const internet: NetworkPolicyObject = {
      metadata: { name: 'out', namespace: 'shop' },
      spec: {
        podSelector: {},
        policyTypes: ['Egress'],
        egress: [
          {
            to: [{ ipBlock: { cidr: '0.0.0.0/0', except: ['10.0.0.0/8', '169.254.0.0/16'] } }],
            ports: [{ port: 443 }],
          },
          { to: [{ ipBlock: { cidr: '10.0.0.0/24' } }], ports: [{ port: 8080 }] },
        ],
      },
    };
    expect(canConnect(world(deny, internet), web, internetHost, 443)).toBe(true);
    expect(canConnect(world(deny, internet), web, metadata, 443)).toBe(false);
    // api sits in 10.0.0.0/24: the block names it, though api's own ingress still has its say.
    expect(canConnect(world(internet), web, api, 8080)).toBe(true);
    expect(canConnect(world(deny, internet), web, api, 8080)).toBe(false);
  });

  it('does address arithmetic on whole blocks', () => {
    expect(inCidr('10.20.216.10', '10.20.216.0/24')).toBe(true);
    expect(inCidr('10.20.217.0', '10.20.216.0/24')).toBe(false);
    expect(addressIn('10.20.216.0/24', 266)).toBe('10.20.217.10');
    expect(() => inCidr('10.0.0.256', '10.0.0.0/8')).toThrow('not an IPv4 address: 10.0.0.256');
  });
});
