/**
 * What a set of NetworkPolicies allows, evaluated as the Kubernetes API defines it: a pod selected by
 * no policy of a direction is open in that direction; a selected pod admits exactly the union of the
 * rules of the policies that select it; a connection to a pod needs both the sender's egress and the
 * receiver's ingress. Address blocks match pod addresses too, as the VPC CNI's policy agent (which
 * works on addresses) does: a rule that names a subnet names every pod in it.
 */

export interface LabelSelector {
  matchLabels?: Record<string, string>;
  matchExpressions?: { key: string; operator: string; values?: string[] }[];
}

export interface PolicyPort {
  protocol?: string;
  port?: number | string;
  endPort?: number;
}

export interface PolicyPeer {
  podSelector?: LabelSelector;
  namespaceSelector?: LabelSelector;
  ipBlock?: { cidr: string; except?: string[] };
}

export interface PolicyRule {
  to?: PolicyPeer[];
  from?: PolicyPeer[];
  ports?: PolicyPort[];
}

export interface NetworkPolicyObject {
  metadata: { name: string; namespace?: string; annotations?: Record<string, string> };
  spec: {
    podSelector?: LabelSelector;
    policyTypes?: string[];
    ingress?: PolicyRule[];
    egress?: PolicyRule[];
  };
}

/** A pod as policies see it: where it runs, its labels, its address and the ports it listens on. */
export interface Pod {
  kind: 'pod';
  name: string;
  namespace: string;
  labels: Record<string, string>;
  ip: string;
  ports: { name?: string; port: number; protocol: string }[];
}

/** Anything outside the cluster's pods: an endpoint, a data service, an internet host. */
export interface Address {
  kind: 'address';
  name: string;
  ip: string;
}

export type Party = Pod | Address;

export interface Cluster {
  policies: NetworkPolicyObject[];
  /** Labels of each namespace, by name (at least `kubernetes.io/metadata.name`). */
  namespaces: Record<string, Record<string, string>>;
}

const ipValue = (ip: string): number => {
  const parts = ip.split('.').map(Number);
  if (parts.length !== 4 || parts.some((part) => !Number.isInteger(part) || part < 0 || part > 255)) {
    throw new Error(`not an IPv4 address: ${ip}`);
  }
  return parts.reduce((value, part) => value * 256 + part, 0);
};

/** Whether an address lies in a CIDR block. */
export function inCidr(ip: string, cidr: string): boolean {
  const [base = '', bits = '32'] = cidr.split('/');
  const prefix = Number(bits);
  const size = 2 ** (32 - prefix);
  const start = Math.floor(ipValue(base) / size) * size;
  const value = ipValue(ip);
  return value >= start && value < start + size;
}

/** The address `offset` places into a CIDR block (offset 0 is the block's network address). */
export function addressIn(cidr: string, offset: number): string {
  const [base = ''] = cidr.split('/');
  let value = ipValue(base) + offset;
  const parts: number[] = [];
  for (let index = 0; index < 4; index += 1) {
    parts.unshift(value % 256);
    value = Math.floor(value / 256);
  }
  return parts.join('.');
}

export function selects(selector: LabelSelector | undefined, labels: Record<string, string>): boolean {
  if (!selector) return true;
  for (const [key, value] of Object.entries(selector.matchLabels ?? {})) {
    if (labels[key] !== value) return false;
  }
  for (const expression of selector.matchExpressions ?? []) {
    const value = labels[expression.key];
    const values = expression.values ?? [];
    switch (expression.operator) {
      case 'In':
        if (value === undefined || !values.includes(value)) return false;
        break;
      case 'NotIn':
        if (value !== undefined && values.includes(value)) return false;
        break;
      case 'Exists':
        if (value === undefined) return false;
        break;
      case 'DoesNotExist':
        if (value !== undefined) return false;
        break;
      default:
        throw new Error(`unknown label selector operator ${expression.operator}`);
    }
  }
  return true;
}

/** The directions a policy governs: as stated, or Ingress plus Egress when it has egress rules. */
function directionsOf(policy: NetworkPolicyObject): string[] {
  return policy.spec.policyTypes ?? ['Ingress', ...(policy.spec.egress ? ['Egress'] : [])];
}

function peerMatches(peer: PolicyPeer, policyNamespace: string, other: Party, cluster: Cluster): boolean {
  if (peer.ipBlock) {
    const { cidr, except = [] } = peer.ipBlock;
    return inCidr(other.ip, cidr) && !except.some((block) => inCidr(other.ip, block));
  }
  if (other.kind !== 'pod') return false;
  if (peer.namespaceSelector) {
    const labels = cluster.namespaces[other.namespace] ?? { 'kubernetes.io/metadata.name': other.namespace };
    if (!selects(peer.namespaceSelector, labels)) return false;
  } else if (other.namespace !== policyNamespace) {
    return false;
  }
  return selects(peer.podSelector, other.labels);
}

/** Whether a rule's ports admit `port`/`protocol` on `target` (named ports resolve on a target pod). */
function portMatches(
  ports: PolicyPort[] | undefined,
  target: Party,
  port: number,
  protocol: string,
): boolean {
  if (!ports || ports.length === 0) return true;
  return ports.some((entry) => {
    if ((entry.protocol ?? 'TCP') !== protocol) return false;
    if (entry.port === undefined) return true;
    if (typeof entry.port === 'string') {
      return target.kind === 'pod' && target.ports.some((p) => p.name === entry.port && p.port === port);
    }
    return entry.endPort === undefined ? entry.port === port : port >= entry.port && port <= entry.endPort;
  });
}

function allowedBy(
  cluster: Cluster,
  subject: Pod,
  direction: 'Ingress' | 'Egress',
  other: Party,
  port: number,
  protocol: string,
  portOwner: Party,
): boolean {
  const governing = cluster.policies.filter(
    (policy) =>
      (policy.metadata.namespace ?? 'default') === subject.namespace &&
      selects(policy.spec.podSelector, subject.labels) &&
      directionsOf(policy).includes(direction),
  );
  if (governing.length === 0) return true;
  return governing.some((policy) => {
    const rules = (direction === 'Egress' ? policy.spec.egress : policy.spec.ingress) ?? [];
    const namespace = policy.metadata.namespace ?? 'default';
    return rules.some((rule) => {
      const peers = direction === 'Egress' ? rule.to : rule.from;
      const peerOk =
        !peers || peers.length === 0 || peers.some((peer) => peerMatches(peer, namespace, other, cluster));
      return peerOk && portMatches(rule.ports, portOwner, port, protocol);
    });
  });
}

/**
 * Whether `from` may open `port`/`protocol` on `to`: the sender's egress (when it is a pod) and the
 * receiver's ingress (when it is a pod) must both allow it. Outside addresses have no policies.
 */
export function canConnect(
  cluster: Cluster,
  from: Party,
  to: Party,
  port: number,
  protocol = 'TCP',
): boolean {
  const out = from.kind === 'pod' ? allowedBy(cluster, from, 'Egress', to, port, protocol, to) : true;
  const into = to.kind === 'pod' ? allowedBy(cluster, to, 'Ingress', from, port, protocol, to) : true;
  return out && into;
}
