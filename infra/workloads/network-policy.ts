import type * as k8s from '@pulumi/kubernetes';
import { healthCheckPortOf, ingressPortOf, portsOf } from '../config/ports';
import type { ServiceSpec } from '../config/services';
import { jobWorkloadName } from './jobs';
import { selectorLabels, serviceLabels } from './names';

type NetworkPolicy = k8s.types.input.networking.v1.NetworkPolicy;
type PolicyPeer = k8s.types.input.networking.v1.NetworkPolicyPeer;
type EgressRule = k8s.types.input.networking.v1.NetworkPolicyEgressRule;
type IngressRule = k8s.types.input.networking.v1.NetworkPolicyIngressRule;

/**
 * Address ranges an internet rule never reaches: the RFC 1918 private ranges (the VPC: pods, nodes,
 * endpoints, data services, peered networks) and the whole link-local range (the instance metadata
 * service and its node credentials, the EKS Pod Identity agent, the Amazon DNS and time servers). A
 * pod reaches what is inside the VPC only through a rule that names it.
 */
export const nonInternetRanges = ['10.0.0.0/8', '172.16.0.0/12', '192.168.0.0/16', '169.254.0.0/16'];

/** The whole IPv4 internet, minus the ranges above. */
const internet: PolicyPeer = { ipBlock: { cidr: '0.0.0.0/0', except: nonInternetRanges } };

/** The annotation listing why a service's egress opens the internet, one need per entry. */
export const internetEgressAnnotation = 'slipway.dev/internet-egress';

/** The port every AWS API answers on. */
export const awsApiPort = 443;

/** A data service as the pods see it: its subnets and the one port it listens on. */
export interface DataServiceRoute {
  cidrs: string[];
  port: number;
}

/** How the pods of a stack reach the AWS APIs. */
export interface AwsApiRoutes {
  /** The interface endpoints' subnets; empty when the stack has none. */
  endpointCidrs: string[];
  /** AWS services (`sts`, `secretsmanager`…) that have an interface endpoint in the stack. */
  endpointServices: string[];
  /** The S3 gateway endpoint's prefix-list addresses; empty when the stack has none. */
  s3Cidrs: string[];
}

/** Where the traffic a service may receive or send comes from and goes to, besides its peers. */
export interface NetworkPlan {
  /** Subnets the internet-facing ALB sends from (its targets are pod IPs). */
  loadBalancerCidrs: string[];
  /** Subnets holding the EKS control plane's network interfaces, and nothing else. */
  apiServerCidrs: string[];
  /** Each data service by name (`database`), for the services that use it. */
  dataServices: Record<string, DataServiceRoute>;
  aws: AwsApiRoutes;
}

const ipBlocks = (cidrs: string[]): PolicyPeer[] => cidrs.map((cidr) => ({ ipBlock: { cidr } }));
const tcp = (port: number) => ({ protocol: 'TCP', port });

/**
 * The ports a service's pods listen on: what its callers and the ALB are admitted to. Container ports,
 * not Service ports: a policy matches the pod's port. None for a worker.
 */
export const podPortsOf = (service: ServiceSpec): number[] => portsOf(service).map((p) => p.port);

/**
 * The ports of a rule to or from a service's pods. Never empty: a NetworkPolicy rule without ports
 * matches every port, so a rule toward a worker (which listens on none) would open all of them. The
 * config loader refuses a call to a worker; this holds the line for any other caller of this code.
 */
function portRules(service: ServiceSpec, why: string) {
  const ports = podPortsOf(service);
  if (ports.length === 0) {
    throw new Error(
      `${why}, but ${service.name} is a worker with no ports (a rule without ports opens every port)`,
    );
  }
  return ports.map(tcp);
}

/**
 * The pod ports the ALB sends to: the one its Ingress routes to, and the readiness probe's when the
 * health check uses another port (the ALB checks a pod where its probe is). Not the service's other
 * ports: an admin or metrics port stays closed to the internet-facing load balancer.
 */
function loadBalancerPortsOf(service: ServiceSpec): number[] {
  const routed = ingressPortOf(service);
  if (!routed) throw new Error(`${service.name} has an ingress but no port it routes to`);
  const probed = healthCheckPortOf(service);
  return [...new Set([routed.port, ...(probed ? [probed.port] : [])])];
}

/**
 * The data stores a service reaches over the network, by the names the plan knows them by: every store
 * it uses but its queues (a use with `access`, which the config loader allows on SQS stores only), which
 * it reaches through the SQS API.
 */
export const dataServicesOf = (service: ServiceSpec): string[] =>
  Object.entries(service.uses)
    .filter(([, use]) => use.access === undefined)
    .map(([store]) => store);

/** Whether the service's role calls SQS: it uses a queue. */
const usesQueues = (service: ServiceSpec) =>
  Object.values(service.uses).some((use) => use.access !== undefined);

/**
 * The AWS services a pod calls with its own role: STS first (the SDK trades the service account token
 * for credentials there), then each service its declared grants name. Empty for a pod with no role.
 */
export function awsServicesOf(service: ServiceSpec): string[] {
  if (service.aws.length === 0 && !usesQueues(service)) return [];
  const named = service.aws.flatMap((grant) => grant.actions.map((action) => action.split(':')[0] ?? ''));
  return [...new Set(['sts', ...[...named, ...(usesQueues(service) ? ['sqs'] : [])].sort()])];
}

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

/**
 * The pods that act for a caller: its Deployment's and its Jobs' and CronJobs' (which reach what their
 * service reaches, so a batch run can call the same APIs).
 */
const callerPods = (caller: ServiceSpec) =>
  [
    caller.name,
    ...[...Object.keys(caller.jobs), ...Object.keys(caller.cronJobs)].map((job) =>
      jobWorkloadName(caller, job),
    ),
  ].map((name) => ({ podSelector: { matchLabels: selectorLabels(name) } }));

/**
 * What may reach the service: each declared caller (its pods and its jobs') on the service's container
 * ports, and the ALB, when it has an ingress, on the routed and health-checked ports. None for a worker.
 */
export function ingressPolicy(
  service: ServiceSpec,
  services: ServiceSpec[],
  namespace: string,
  environment: string,
  plan: NetworkPlan,
): NetworkPolicy | undefined {
  const callers = callersOf(service, services);
  const rules: IngressRule[] = [
    ...callers.map((caller) => ({
      from: callerPods(caller),
      ports: portRules(service, `${caller.name} calls ${service.name}`),
    })),
    ...(service.ingress
      ? [{ from: ipBlocks(plan.loadBalancerCidrs), ports: loadBalancerPortsOf(service).map(tcp) }]
      : []),
  ];
  return rules.length === 0 ? undefined : servicePolicy(service, namespace, environment, 'Ingress', rules);
}

/** A rule and, when it opens the internet, the need it serves. */
interface Reach {
  rule: EgressRule;
  internetNeed?: string;
}

/**
 * How the service reaches the AWS APIs its role calls: S3 through the gateway endpoint's addresses,
 * a service with an interface endpoint through the endpoints' subnets, any other through the NAT
 * gateway, that is, the internet on 443.
 */
function awsReach(service: ServiceSpec, routes: AwsApiRoutes): Reach[] {
  const apis = awsServicesOf(service);
  const viaS3 = apis.filter((api) => api === 's3' && routes.s3Cidrs.length > 0);
  const viaEndpoint = apis.filter((api) => !viaS3.includes(api) && routes.endpointServices.includes(api));
  const viaNat = apis.filter((api) => !viaS3.includes(api) && !viaEndpoint.includes(api));
  return [
    ...(viaEndpoint.length > 0
      ? [{ rule: { to: ipBlocks(routes.endpointCidrs), ports: [tcp(awsApiPort)] } }]
      : []),
    ...(viaS3.length > 0 ? [{ rule: { to: ipBlocks(routes.s3Cidrs), ports: [tcp(awsApiPort)] } }] : []),
    ...(viaNat.length > 0
      ? [
          {
            rule: { to: [internet], ports: [tcp(awsApiPort)] },
            internetNeed: `aws:${viaNat.join(',')} (no VPC endpoint in this stack: through NAT)`,
          },
        ]
      : []),
  ];
}

/**
 * An `egress` entry of the catalog: to the addresses it lists, or, without a list, to any internet
 * address on its port. A NetworkPolicy matches addresses, never names: the host of an entry without
 * `cidrs` is the reason the port is open, not a limit on where it leads.
 */
function externalReach(service: ServiceSpec): Reach[] {
  return service.egress.map((target) =>
    target.cidrs
      ? { rule: { to: ipBlocks(target.cidrs), ports: [tcp(target.port)] } }
      : {
          rule: { to: [internet], ports: [tcp(target.port)] },
          internetNeed: `${target.host}:${target.port}`,
        },
  );
}

/**
 * Where the service may connect: each service it calls on its ports, the subnets and port of each data
 * service it uses, the API server when it reads metrics, the AWS APIs its role calls, and its declared
 * external hosts. Rules that lead to the same peers merge their ports; the policy names every need
 * that opens the internet in its `slipway.dev/internet-egress` annotation.
 */
export function egressPolicy(
  service: ServiceSpec,
  services: ServiceSpec[],
  namespace: string,
  environment: string,
  plan: NetworkPlan,
): NetworkPolicy | undefined {
  const callees = services.filter((other) => service.calls.includes(other.name));
  const dataRoute = (name: string) => {
    const route = plan.dataServices[name];
    if (!route) throw new Error(`${service.name} uses ${name}, which this stack does not run`);
    return route;
  };
  const reaches: Reach[] = [
    ...callees.map((callee) => ({
      rule: {
        to: [{ podSelector: { matchLabels: selectorLabels(callee.name) } }],
        ports: portRules(callee, `${service.name} calls ${callee.name}`),
      },
    })),
    ...dataServicesOf(service).map((name) => {
      const route = dataRoute(name);
      return { rule: { to: ipBlocks(route.cidrs), ports: [tcp(route.port)] } };
    }),
    ...(service.readsMetrics ? [{ rule: { to: ipBlocks(plan.apiServerCidrs), ports: [tcp(443)] } }] : []),
    ...awsReach(service, plan.aws),
    ...externalReach(service),
  ];
  if (reaches.length === 0) return undefined;
  const needs = reaches.flatMap((reach) => (reach.internetNeed ? [reach.internetNeed] : []));
  const policy = servicePolicy(service, namespace, environment, 'Egress', mergeByPeers(reaches));
  if (needs.length > 0) {
    policy.metadata = { ...policy.metadata, annotations: { [internetEgressAnnotation]: needs.join('; ') } };
  }
  return policy;
}

/** Rules with the same peers become one rule with the union of their ports, in first-seen order. */
function mergeByPeers(reaches: Reach[]): EgressRule[] {
  const merged = new Map<string, { to: PolicyPeer[]; ports: { protocol: string; port: number }[] }>();
  for (const { rule } of reaches) {
    const key = JSON.stringify(rule.to);
    const ports = rule.ports as { protocol: string; port: number }[];
    const existing = merged.get(key);
    if (!existing) {
      merged.set(key, { to: rule.to as PolicyPeer[], ports: [...ports] });
      continue;
    }
    for (const port of ports) {
      if (!existing.ports.some((p) => p.port === port.port && p.protocol === port.protocol)) {
        existing.ports.push(port);
      }
    }
  }
  return [...merged.values()].map((rule) => ({
    ...rule,
    ports: [...rule.ports].sort((a, b) => a.port - b.port),
  }));
}

/** One direction of a service's traffic, selected by its pod labels. */
function servicePolicy(
  service: ServiceSpec,
  namespace: string,
  environment: string,
  direction: 'Ingress' | 'Egress',
  rules: IngressRule[] | EgressRule[],
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
