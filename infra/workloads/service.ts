import type * as k8s from '@pulumi/kubernetes';
import type { ServiceSpec } from '../config/services';
import { httpPortName, selectorLabels, serviceLabels, servicePort } from './names';

/** A ClusterIP Service: reachable inside the cluster only; the ALB Ingress is the one way in. */
export function serviceManifest(
  service: ServiceSpec,
  namespace: string,
  environment: string,
): k8s.types.input.core.v1.Service {
  return {
    apiVersion: 'v1',
    kind: 'Service',
    metadata: { name: service.name, namespace, labels: serviceLabels(service.name, environment) },
    spec: {
      type: 'ClusterIP',
      selector: selectorLabels(service.name),
      ports: [{ name: httpPortName, port: servicePort, targetPort: httpPortName, protocol: 'TCP' }],
    },
  };
}
