import type * as k8s from '@pulumi/kubernetes';
import * as pulumi from '@pulumi/pulumi';
import { createHash } from 'node:crypto';
import { portsOf } from '../config/ports';
import type { ServiceSpec } from '../config/services';
import { queueUses, queueValue, type DataAccess } from './data-access';
import { configMapName, filesConfigMapName, serviceLabels } from './names';
import { fileKey } from './pod';

/**
 * The service's plain settings: its catalog env, its own name (which it reports in its metrics), the
 * port it listens on, and the variables it composed from the queues it uses (a queue has no
 * credential: the service's IAM role is its access). Variables holding a credential come from the
 * service's data Secrets instead.
 */
export function configData(service: ServiceSpec, data: DataAccess): pulumi.Output<Record<string, string>> {
  const [first] = portsOf(service);
  const base: Record<string, string> = {
    ...service.env,
    SERVICE_NAME: service.name,
    ...(first ? { PORT: String(first.port) } : {}),
  };
  const queueVariables = queueUses(service, data).flatMap((store) => {
    const queue = data.queues[store];
    const env = service.uses[store]?.env ?? {};
    return queue
      ? Object.entries(env).map(([name, template]) => [name, queueValue(template, queue)] as const)
      : [];
  });
  return pulumi
    .all(Object.fromEntries(queueVariables))
    .apply((composed): Record<string, string> => ({ ...base, ...composed }));
}

/**
 * What the pods' config is made of: the variables and the mounted files' contents. A hash of it goes
 * on the pod template, so changing either rolls the pods.
 */
export const configInputs = (data: Record<string, string>, service: ServiceSpec) =>
  Object.keys(service.files).length === 0
    ? data
    : { ...data, ...Object.fromEntries(Object.entries(service.files).map(([k, v]) => [`file:${k}`, v])) };

/** A stable hash of the data: it goes on the pod template, so changing config rolls the pods. */
export const configHash = (data: Record<string, string>) =>
  createHash('sha256')
    .update(JSON.stringify(Object.entries(data).sort(([a], [b]) => a.localeCompare(b))))
    .digest('hex')
    .slice(0, 16);

export function configMapManifest(
  service: ServiceSpec,
  namespace: string,
  environment: string,
  data: pulumi.Input<Record<string, string>>,
): k8s.types.input.core.v1.ConfigMap {
  return {
    apiVersion: 'v1',
    kind: 'ConfigMap',
    metadata: {
      name: configMapName(service.name),
      namespace,
      labels: serviceLabels(service.name, environment),
    },
    data,
  };
}

/** The files the catalog mounts into the service's container, keyed by their path (see `fileKey`). */
export function filesConfigMapManifest(
  service: ServiceSpec,
  namespace: string,
  environment: string,
): k8s.types.input.core.v1.ConfigMap | undefined {
  const files = Object.entries(service.files);
  if (files.length === 0) return undefined;
  return {
    apiVersion: 'v1',
    kind: 'ConfigMap',
    metadata: {
      name: filesConfigMapName(service.name),
      namespace,
      labels: serviceLabels(service.name, environment),
    },
    data: Object.fromEntries(files.map(([path, content]) => [fileKey(path), content])),
  };
}
