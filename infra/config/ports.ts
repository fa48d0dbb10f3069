import type { ProbeSpec, ServiceSpec } from './services';

/** A declared container port with the Service port it is published on. */
export interface NamedPort {
  name: string;
  /** What the container listens on. */
  port: number;
  /** What callers reach through the Service: the container port unless the catalog says otherwise. */
  servicePort: number;
}

/** The service's ports in the order the catalog declares them; empty for a worker. */
export const portsOf = (service: Pick<ServiceSpec, 'ports'>): NamedPort[] =>
  Object.entries(service.ports).map(([name, declared]) => {
    const { port, servicePort } =
      typeof declared === 'number' ? { port: declared, servicePort: undefined } : declared;
    return { name, port, servicePort: servicePort ?? port };
  });

/** A worker runs no Service: nothing can call it and it has no ingress. */
export const isWorker = (service: Pick<ServiceSpec, 'ports'>) => Object.keys(service.ports).length === 0;

/** The port the ALB routes to: the one the ingress names, or the service's only port. */
export function ingressPortOf(service: ServiceSpec): NamedPort | undefined {
  const ports = portsOf(service);
  const name = service.ingress?.port;
  return name === undefined
    ? ports.length === 1
      ? ports[0]
      : undefined
    : ports.find((p) => p.name === name);
}

/**
 * The port the ALB health-checks: the readiness probe's, when it is an HTTP probe on a port of the service.
 * The Ingress names it and the network policy opens it: the two must agree.
 */
export function healthCheckPortOf(service: ServiceSpec): NamedPort | undefined {
  const readiness = service.probes.readiness.http;
  return readiness && portsOf(service).find((p) => p.name === readiness.port);
}

/** The named port a probe checks, if it checks one (an exec probe does not). */
export const probePortName = (probe: ProbeSpec) => (probe.http ?? probe.tcp ?? probe.grpc)?.port;

/** Ports below 1024 are privileged: binding one needs NET_BIND_SERVICE. */
export const bindsPrivilegedPort = (service: Pick<ServiceSpec, 'ports'>) =>
  portsOf(service).some((p) => p.port < 1024);
