import { stringify } from 'yaml';
import type { PlanResource } from './model';

export interface KubernetesObject {
  apiVersion: string;
  kind: string;
  metadata: { name: string; namespace?: string; [key: string]: unknown };
  [key: string]: unknown;
}

export interface ManifestFile {
  /** File name under manifests/, prefixed so `kubectl apply -f manifests/` goes in order. */
  file: string;
  objects: KubernetesObject[];
}

// Resources the Kubernetes provider manages that are not objects in the API: Helm releases and the
// provider's own bookkeeping.
const notObjects = /^kubernetes:(helm\.sh\/|yaml\/|kustomize\/|pulumi:)/;

// Apply order within a file, as Helm installs: what others refer to first.
const kindOrder = [
  'Namespace',
  'CustomResourceDefinition',
  'PriorityClass',
  'StorageClass',
  'ClusterSecretStore',
  'SecretStore',
  'ServiceAccount',
  'Secret',
  'ExternalSecret',
  'ConfigMap',
  'ClusterRole',
  'ClusterRoleBinding',
  'Role',
  'RoleBinding',
  'NetworkPolicy',
  'ResourceQuota',
  'LimitRange',
  'Service',
  'DaemonSet',
  'Deployment',
  'StatefulSet',
  'Job',
  'CronJob',
  'HorizontalPodAutoscaler',
  'PodDisruptionBudget',
  'IngressClass',
  'Ingress',
];

// Objects that exist without a namespace, so they go to the cluster-wide file.
const clusterScopedKinds = new Set([
  'Namespace',
  'CustomResourceDefinition',
  'PriorityClass',
  'StorageClass',
  'ClusterSecretStore',
  'ClusterRole',
  'ClusterRoleBinding',
  'IngressClass',
]);

/** Every Kubernetes object the stack creates, as it would be sent to the API server. */
export function kubernetesObjects(resources: PlanResource[]): KubernetesObject[] {
  return resources.filter(isKubernetesObject).map((resource) => {
    const { apiVersion, kind, metadata, ...rest } = resource.inputs as Record<string, unknown> & {
      metadata?: Record<string, unknown>;
    };
    // Pulumi auto-names an object with no metadata.name; the manifest uses the resource name instead.
    return {
      apiVersion: apiVersion as string,
      kind: kind as string,
      metadata: { ...metadata, name: (metadata?.name as string | undefined) ?? resource.name },
      ...rest,
    };
  });
}

function isKubernetesObject(resource: PlanResource): boolean {
  return (
    resource.custom &&
    resource.type.startsWith('kubernetes:') &&
    !notObjects.test(resource.type) &&
    typeof resource.inputs.apiVersion === 'string' &&
    typeof resource.inputs.kind === 'string'
  );
}

/**
 * Groups the objects into applyable files: first the cluster-wide ones (namespaces, CRD-backed stores),
 * then one file per namespace, each in kind order so a ServiceAccount precedes the Deployment using it.
 */
export function manifestFiles(objects: KubernetesObject[]): ManifestFile[] {
  const byFile = new Map<string, KubernetesObject[]>();
  for (const object of objects) {
    const file = clusterScopedKinds.has(object.kind)
      ? '00-cluster.yaml'
      : `10-${object.metadata.namespace ?? 'default'}.yaml`;
    byFile.set(file, [...(byFile.get(file) ?? []), object]);
  }
  return [...byFile.entries()]
    .sort(([a], [b]) => a.localeCompare(b))
    .map(([file, fileObjects]) => ({ file, objects: fileObjects.sort(applyOrder) }));
}

function applyOrder(a: KubernetesObject, b: KubernetesObject): number {
  return rank(a.kind) - rank(b.kind) || a.metadata.name.localeCompare(b.metadata.name);
}

function rank(kind: string): number {
  const index = kindOrder.indexOf(kind);
  return index === -1 ? kindOrder.length : index;
}

/** A multi-document YAML file, as `kubectl apply -f` reads it. */
export function toYaml(file: ManifestFile): string {
  return file.objects.map((object) => stringify(object, { lineWidth: 0 })).join('---\n');
}
