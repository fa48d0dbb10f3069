import type * as k8s from '@pulumi/kubernetes';
import { portsOf } from '../config/ports';
import type { ServiceSpec } from '../config/services';
import { selectorLabels, serviceLabels } from './names';

/**
 * A ClusterIP Service publishing each named port (on its declared Service port, the container port by
 * default): reachable inside the cluster only; the ALB Ingress is the one way in. A worker has none.
 */
export function serviceManifest(
  service: ServiceSpec,
  namespace: string,
  environment: string,
): k8s.types.input.core.v1.Service | undefined {
  const ports = portsOf(service);
  if (ports.length === 0) return undefined;
  const annotations = Object.keys(service.annotations).length > 0 ? { annotations: service.annotations } : {};
  return {
    apiVersion: 'v1',
    kind: 'Service',
    metadata: {
      name: service.name,
      namespace,
      labels: { ...service.labels, ...serviceLabels(service.name, environment) },
      ...annotations,
    },
    spec: {
      type: 'ClusterIP',
      selector: selectorLabels(service.name),
      ports: ports.map((p) => ({ name: p.name, port: p.servicePort, targetPort: p.name, protocol: 'TCP' })),
    },
  };
}
