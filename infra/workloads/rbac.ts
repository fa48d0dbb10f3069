import type * as k8s from '@pulumi/kubernetes';
import type { ServiceSpec } from '../config/services';
import { serviceLabels } from './names';

/**
 * A service that reads pod metrics gets exactly that: get and list on `pods` in `metrics.k8s.io`,
 * in its own namespace, bound to its own service account. Nothing cluster-wide.
 */
export function metricsReaderManifests(
  service: ServiceSpec,
  namespace: string,
  environment: string,
): [k8s.types.input.rbac.v1.Role, k8s.types.input.rbac.v1.RoleBinding] | undefined {
  if (!service.readsMetrics) return undefined;
  const name = `${service.name}-metrics-reader`;
  const metadata = { name, namespace, labels: serviceLabels(service.name, environment) };
  return [
    {
      apiVersion: 'rbac.authorization.k8s.io/v1',
      kind: 'Role',
      metadata,
      rules: [{ apiGroups: ['metrics.k8s.io'], resources: ['pods'], verbs: ['get', 'list'] }],
    },
    {
      apiVersion: 'rbac.authorization.k8s.io/v1',
      kind: 'RoleBinding',
      metadata,
      roleRef: { apiGroup: 'rbac.authorization.k8s.io', kind: 'Role', name },
      subjects: [{ kind: 'ServiceAccount', name: service.name, namespace }],
    },
  ];
}
