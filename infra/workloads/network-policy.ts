import type * as k8s from '@pulumi/kubernetes';
import { portsOf } from '../config/ports';
import type { ServiceSpec } from '../config/services';
import { selectorLabels, serviceLabels } from './names';

type NetworkPolicy = k8s.types.input.networking.v1.NetworkPolicy;
type PolicyPeer = k8s.types.input.networking.v1.NetworkPolicyPeer;

/**
 * Address ranges internet egress never reaches: the RFC 1918 private ranges (the VPC, peered
 * networks) and the instance metadata service, whose node credentials a pod must not borrow.
 */
export const nonInternetRanges = ['10.0.0.0/8', '172.16.0.0/12', '192.168.0.0/16', '169.254.169.254/32'];

/** Where the traffic a service may receive or send comes from and goes to, besides its peers. */
export interface NetworkPlan {
  /** Subnets the internet-facing ALB sends from (its targets are pod IPs). */
  loadBalancerCidrs: string[];
  databaseCidrs: string[];
  databasePort: number;
  /** Subnets holding the EKS control plane's network interfaces. */
  apiServerCidrs: string[];
}

const ipBlocks = (cidrs: string[]): PolicyPeer[] => cidrs.map((cidr) => ({ ipBlock: { cidr } }));
const tcp = (port: number) => ({ protocol: 'TCP', port });
/** A pod's declared container ports: what a policy admits (policies match pod ports, not Service ports). */
const podPorts = (service: ServiceSpec) => portsOf(service).map((p) => tcp(p.port));

/** Nothing in, nothing out, for every pod of the namespace, until a policy below allows it. */
export function defaultDenyPolicy(namespace: string): NetworkPolicy {
  return {
    apiVersion: 'networking.k8s.io/v1',
    kind: 'NetworkPolicy',
    metadata: { name: 'default-deny-all', namespace },
    spec: { podSelector: {}, policyTypes: ['Ingress', 'Egress'] },
  };
}

/** Every pod may resolve names, through kube-dns and nothing else. */
export function dnsEgressPolicy(namespace: string): NetworkPolicy {
  return {
    apiVersion: 'networking.k8s.io/v1',
    kind: 'NetworkPolicy',
    metadata: { name: 'allow-dns', namespace },
    spec: {
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
    },
  };
}

/** Services whose catalog entry lists `service` under `calls`. */
export const callersOf = (service: ServiceSpec, services: ServiceSpec[]) =>
  services.filter((other) => other.calls.includes(service.name));

/** What may reach the service: each declared caller, and the ALB when it has an ingress. */
export function ingressPolicy(
  service: ServiceSpec,
  services: ServiceSpec[],
  namespace: string,
  environment: string,
  plan: NetworkPlan,
): NetworkPolicy | undefined {
  const port = podPorts(service);
  const rules = [
    ...callersOf(service, services).map((caller) => ({
      from: [{ podSelector: { matchLabels: selectorLabels(caller.name) } }],
      ports: port,
    })),
    ...(service.ingress ? [{ from: ipBlocks(plan.loadBalancerCidrs), ports: port }] : []),
  ];
  return rules.length === 0 ? undefined : servicePolicy(service, namespace, environment, 'Ingress', rules);
}

/**
 * Where the service may connect: each service it calls, the database subnets on the database port
 * when it uses the database, the API server when it reads metrics, and the internet (never private
 * ranges or the metadata service) on the ports of its declared external hosts.
 */
export function egressPolicy(
  service: ServiceSpec,
  services: ServiceSpec[],
  namespace: string,
  environment: string,
  plan: NetworkPlan,
): NetworkPolicy | undefined {
  const callees = services.filter((other) => service.calls.includes(other.name));
  const internetPorts = [...new Set(service.egress.map((target) => target.port))].sort((a, b) => a - b);
  const rules = [
    ...callees.map((callee) => ({
      to: [{ podSelector: { matchLabels: selectorLabels(callee.name) } }],
      ports: podPorts(callee),
    })),
    ...(service.database ? [{ to: ipBlocks(plan.databaseCidrs), ports: [tcp(plan.databasePort)] }] : []),
    ...(service.readsMetrics ? [{ to: ipBlocks(plan.apiServerCidrs), ports: [tcp(443)] }] : []),
    ...(internetPorts.length > 0
      ? [
          {
            to: [{ ipBlock: { cidr: '0.0.0.0/0', except: nonInternetRanges } }],
            ports: internetPorts.map(tcp),
          },
        ]
      : []),
  ];
  return rules.length === 0 ? undefined : servicePolicy(service, namespace, environment, 'Egress', rules);
}

/** One direction of a service's traffic, selected by its pod labels. */
function servicePolicy(
  service: ServiceSpec,
  namespace: string,
  environment: string,
  direction: 'Ingress' | 'Egress',
  rules:
    | k8s.types.input.networking.v1.NetworkPolicyIngressRule[]
    | k8s.types.input.networking.v1.NetworkPolicyEgressRule[],
): NetworkPolicy {
  return {
    apiVersion: 'networking.k8s.io/v1',
    kind: 'NetworkPolicy',
    metadata: {
      name: `${service.name}-${direction.toLowerCase()}`,
      namespace,
      labels: serviceLabels(service.name, environment),
    },
    spec: {
      podSelector: { matchLabels: selectorLabels(service.name) },
      policyTypes: [direction],
      [direction.toLowerCase()]: rules,
    },
  };
}
