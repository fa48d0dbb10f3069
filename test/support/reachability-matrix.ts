import { dataServicesOf } from '../../infra/workloads/network-policy';
import type { ServiceSpec } from '../../infra/config/services';
import type { OfflineRun } from '../../offline/engine';
import {
  addressIn,
  canConnect,
  type Address,
  type Cluster,
  type NetworkPolicyObject,
  type Party,
  type Pod,
} from '../../policy/kubernetes/reachability';
import { offlineS3Cidrs } from '../../offline/cloud';
import { ofType } from './resources';

/**
 * The reachability matrix of a rendered stack: which pod (and the ALB) can open which port on which
 * destination (the services' pods, other pods of the cluster, the API server, data services, AWS
 * endpoints, S3, internet hosts, link-local services), computed from the rendered NetworkPolicies
 * alone, and the graph the catalog declares, derived from the catalog and the stack's network without
 * the code that writes the policies. An edge reads `source → destination:port/protocol`.
 */

interface Container {
  ports?: { name?: string; containerPort: number; protocol?: string }[];
}
interface PodTemplate {
  metadata?: { labels?: Record<string, string> };
  spec?: { containers?: Container[] };
}

const kubeInputs = (run: OfflineRun, kind: string) =>
  run.resources
    .filter((r) => r.type.startsWith('kubernetes:') && (r.inputs as { kind?: string }).kind === kind)
    .map((r) => r.inputs as Record<string, unknown>);

function subnets(run: OfflineRun, tier: string): string[] {
  return ofType(run, 'aws:ec2/subnet:Subnet')
    .filter((subnet) => subnet.name.startsWith(`network-${tier}-`))
    .map((subnet) => String(subnet.inputs.cidrBlock));
}

/** The pod templates of every Deployment, Job and CronJob, by the service label they carry. */
function podTemplates(run: OfflineRun): { name: string; namespace: string; template: PodTemplate }[] {
  const templates: { name: string; namespace: string; template: PodTemplate }[] = [];
  for (const kind of ['Deployment', 'Job', 'CronJob']) {
    for (const object of kubeInputs(run, kind)) {
      const metadata = object.metadata as { name: string; namespace: string };
      const spec = object.spec as {
        template?: PodTemplate;
        jobTemplate?: { spec: { template: PodTemplate } };
      };
      const template = spec.template ?? spec.jobTemplate?.spec.template;
      if (template) templates.push({ name: metadata.name, namespace: metadata.namespace, template });
    }
  }
  return templates;
}

/** What the matrix is computed over: the cluster's policies and every party, with the ports probed. */
export interface MatrixWorld {
  cluster: Cluster;
  /** The catalog's pods, by service name. */
  servicePods: Pod[];
  /** Sources besides the pods: the ALB. */
  loadBalancer: Address;
  destinations: Party[];
  ports: { port: number; protocol: string }[];
  /** The stack's interface endpoints (`sts`, `sqs`…), empty without. */
  endpointServices: string[];
  /** Where each outside destination is, for naming edges that an internet rule also opens. */
  publicDestinations: string[];
  /** Each networked data store's port (the platform's `dataStoreEndpoints`): all sit in the data subnets. */
  dataPorts: Record<string, number>;
  /** Each networked data store's engine (the platform's `dataStoreEndpoints`). */
  dataEngines: Record<string, string>;
}

/** Every party of a rendered stack, given the NetworkPolicies to evaluate (the rendered ones by default). */
export function matrixWorld(
  run: OfflineRun,
  services: ServiceSpec[],
  policies?: NetworkPolicyObject[],
): MatrixWorld {
  const rendered = kubeInputs(run, 'NetworkPolicy') as unknown as NetworkPolicyObject[];
  const [privateCidr = '', otherPrivate = privateCidr] = subnets(run, 'private');
  const namespaces = new Set<string>(['kube-system']);
  const servicePods: Pod[] = podTemplates(run).map(({ name, namespace, template }, index) => {
    namespaces.add(namespace);
    return {
      kind: 'pod',
      name,
      namespace,
      labels: template.metadata?.labels ?? {},
      ip: addressIn(privateCidr, 20 + index),
      ports: (template.spec?.containers ?? []).flatMap((container) =>
        (container.ports ?? []).map((p) => ({
          name: p.name,
          port: p.containerPort,
          protocol: p.protocol ?? 'TCP',
        })),
      ),
    };
  });
  const pod = (name: string, labels: Record<string, string>, ports: number[], offset: number): Pod => ({
    kind: 'pod',
    name,
    namespace: 'kube-system',
    labels,
    ip: addressIn(otherPrivate, offset),
    ports: ports.flatMap((port) => [
      { port, protocol: 'TCP' },
      ...(port === 53 ? [{ port, protocol: 'UDP' }] : []),
    ]),
  });
  const at = (name: string, cidr: string | undefined): Address[] =>
    cidr ? [{ kind: 'address', name, ip: addressIn(cidr, 10) }] : [];
  const endpointServices = ofType(run, 'aws:ec2/vpcEndpoint:VpcEndpoint')
    .filter((endpoint) => endpoint.inputs.vpcEndpointType === 'Interface')
    .map((endpoint) => String(endpoint.inputs.serviceName).split('.').slice(3).join('.'));
  const s3Cidr = offlineS3Cidrs[0];
  // An external host whose addresses the catalog lists is a destination of its own.
  const externalHosts: Address[] = services.flatMap((service) =>
    service.egress.flatMap((target) => (target.cidrs ? at(target.host, target.cidrs[0]) : [])),
  );
  const destinations: Party[] = [
    ...servicePods,
    pod('kube-dns', { 'k8s-app': 'kube-dns' }, [53], 30),
    // Any other pod of the cluster, listening where webhooks, metrics and the API conventionally do.
    pod('other-pod', { 'k8s-app': 'metrics-server' }, [443, 8080, 10250], 31),
    ...at('api-server', subnets(run, 'control-plane')[0]),
    ...at('database', subnets(run, 'database')[0]),
    ...(endpointServices.length > 0 ? at('aws-endpoints', subnets(run, 'endpoints')[0]) : []),
    { kind: 'address', name: 's3', ip: addressIn(s3Cidr ?? '', 10) },
    { kind: 'address', name: 'internet', ip: '93.184.216.34' },
    ...externalHosts,
    { kind: 'address', name: 'imds', ip: '169.254.169.254' },
    { kind: 'address', name: 'pod-identity-agent', ip: '169.254.170.23' },
    { kind: 'address', name: 'node', ip: addressIn(otherPrivate, 5) },
  ];
  const declaredPorts = servicePods.flatMap((p) => p.ports.map((port) => port.port));
  const endpoints = (run.outputs.dataStoreEndpoints ?? {}) as Record<
    string,
    { port: number; engine: string }
  >;
  const dataPorts = Object.fromEntries(Object.entries(endpoints).map(([store, { port }]) => [store, port]));
  const dataEngines = Object.fromEntries(
    Object.entries(endpoints).map(([store, { engine }]) => [store, engine]),
  );
  // Every engine's port is probed whether the stack has that engine or not: a rule opening the data
  // subnets wider than a service's own stores shows as an edge nobody declared.
  const enginePorts = [3306, 5432, 5671, 6379, 27017];
  const probed = [
    ...new Set([22, 53, 80, 443, 8080, 10250, ...enginePorts, ...Object.values(dataPorts), ...declaredPorts]),
  ].sort((a, b) => a - b);
  return {
    cluster: {
      policies: policies ?? rendered,
      namespaces: Object.fromEntries(
        [...namespaces].map((ns) => [ns, { 'kubernetes.io/metadata.name': ns }]),
      ),
    },
    servicePods,
    loadBalancer: { kind: 'address', name: 'alb', ip: addressIn(subnets(run, 'public')[0] ?? '', 10) },
    destinations,
    ports: [...probed.map((port) => ({ port, protocol: 'TCP' })), { port: 53, protocol: 'UDP' }],
    endpointServices,
    publicDestinations: ['internet', 's3', ...externalHosts.map((host) => host.name)],
    dataPorts,
    dataEngines,
  };
}

const podName = (pod: Pod) =>
  pod.namespace === 'kube-system' ? pod.name : (pod.labels['app.kubernetes.io/name'] ?? pod.name);
const partyName = (party: Party) => (party.kind === 'pod' ? podName(party) : party.name);
const edge = (from: string, to: string, port: number, protocol: string) =>
  `${from} → ${to}:${port}/${protocol}`;

/** Every edge the policies allow, between distinct parties. */
export function allowedEdges(world: MatrixWorld): string[] {
  const edges = new Set<string>();
  for (const source of [...world.servicePods, world.loadBalancer]) {
    for (const destination of world.destinations) {
      if (destination === source) continue;
      // The ALB is a source for the workloads' pods; what else it reaches is not these policies' to say.
      if (source === world.loadBalancer && !world.servicePods.includes(destination as Pod)) continue;
      for (const { port, protocol } of world.ports) {
        if (
          destination.kind === 'pod' &&
          !destination.ports.some((p) => p.port === port && p.protocol === protocol)
        ) {
          continue; // nothing listens there: no edge to speak of
        }
        if (canConnect(world.cluster, source, destination, port, protocol)) {
          edges.add(edge(partyName(source), partyName(destination), port, protocol));
        }
      }
    }
  }
  return [...edges].sort();
}

/** The engines whose users the platform's Job creates inside the store, and the port it does it on. */
const provisioningPorts: Record<string, number | undefined> = {
  postgres: 5432,
  mysql: 3306,
  documentdb: 27017,
  // Amazon MQ's users are made through the broker's management API (HTTPS), not over AMQP.
  rabbitmq: 443,
};

/**
 * The edges the catalog declares for the stack: DNS for every pod; each call on the callee's ports;
 * the ALB to each exposed service on its routed and health-checked ports; each data store used, on its port (the platform's, else
 * databasePort); the API server for metrics readers; the AWS APIs of a service with grants or a
 * queue (STS, each granted service and SQS: by endpoint where the stack has one, S3 by its gateway, otherwise the internet
 * on 443 through NAT); each external host (its addresses, or the internet on its port when it lists
 * none). An internet edge on a port covers every public destination on that port. And the platform's
 * user provisioning: for each store whose users live inside the engine and that some service uses, its
 * Job (`<store>-users`) resolves names and reaches the data subnets on the store's port (the database
 * engines) or on the broker's management API, HTTPS on 443 (RabbitMQ).
 */
export function declaredEdges(world: MatrixWorld, services: ServiceSpec[], databasePort?: number): string[] {
  const edges = new Set<string>();
  const portsOf = (name: string) =>
    world.servicePods
      .filter((pod) => podName(pod) === name)
      .flatMap((pod) => pod.ports.filter((p) => p.protocol === 'TCP'));
  const internet = (from: string, port: number) => {
    for (const destination of world.publicDestinations) edges.add(edge(from, destination, port, 'TCP'));
  };
  for (const service of services) {
    const from = service.name;
    edges.add(edge(from, 'kube-dns', 53, 'UDP'));
    edges.add(edge(from, 'kube-dns', 53, 'TCP'));
    for (const callee of service.calls) {
      for (const port of portsOf(callee)) edges.add(edge(from, callee, port.port, 'TCP'));
    }
    if (service.ingress) {
      // The port the ALB routes to (the one the ingress names, else the only one) and the one it
      // health-checks (the readiness probe's): not the service's other ports.
      const declared = Object.entries(service.ports).map(([name, value]) => ({
        name,
        port: typeof value === 'number' ? value : value.port,
      }));
      const wanted = [service.ingress.port, service.probes.readiness.http?.port];
      const routed = service.ingress.port === undefined && declared.length === 1 ? declared : [];
      for (const port of [...routed, ...declared.filter((p) => wanted.includes(p.name))]) {
        edges.add(edge('alb', from, port.port, 'TCP'));
      }
    }
    // The data subnets hold every store, each answering on its own port.
    for (const store of dataServicesOf(service)) {
      const port = world.dataPorts[store] ?? databasePort;
      if (port === undefined) throw new Error(`${from} uses ${store}, which the platform does not publish`);
      edges.add(edge(from, 'database', port, 'TCP'));
    }
    if (service.readsMetrics) edges.add(edge(from, 'api-server', 443, 'TCP'));
    // A service with grants or a queue has a role: STS, each granted service, and SQS for its queues.
    const queues = Object.values(service.uses).some((use) => use.access !== undefined);
    if (service.aws.length > 0 || queues) {
      const apis = new Set([
        'sts',
        ...service.aws.flatMap((grant) => grant.actions.map((a) => a.split(':')[0] ?? '')),
        ...(queues ? ['sqs'] : []),
      ]);
      for (const api of apis) {
        if (api === 's3') edges.add(edge(from, 's3', 443, 'TCP'));
        else if (world.endpointServices.includes(api)) edges.add(edge(from, 'aws-endpoints', 443, 'TCP'));
        else internet(from, 443);
      }
    }
    for (const target of service.egress) {
      if (target.cidrs) edges.add(edge(from, target.host, target.port, 'TCP'));
      else internet(from, target.port);
    }
  }
  const used = new Set(services.flatMap((service) => dataServicesOf(service)));
  for (const [store, engine] of Object.entries(world.dataEngines)) {
    const port = provisioningPorts[engine] ?? world.dataPorts[store];
    if (!used.has(store) || !(engine in provisioningPorts) || port === undefined) continue;
    const from = `${store}-users`;
    edges.add(edge(from, 'kube-dns', 53, 'UDP'));
    edges.add(edge(from, 'kube-dns', 53, 'TCP'));
    edges.add(edge(from, 'database', port, 'TCP'));
  }
  return [...edges].sort();
}

/** What differs: declared edges the policies block, and allowed edges nobody declared. */
export function compareMatrix(allowed: string[], declared: string[]) {
  return {
    blocked: declared.filter((e) => !allowed.includes(e)),
    undeclared: allowed.filter((e) => !declared.includes(e)),
  };
}
