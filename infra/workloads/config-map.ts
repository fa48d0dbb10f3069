import type * as k8s from '@pulumi/kubernetes';
import * as pulumi from '@pulumi/pulumi';
import { createHash } from 'node:crypto';
import type { ServiceSpec } from '../config/services';
import { queueUses, queueValue, type DataAccess } from './data-access';
import { configMapName, serviceLabels } from './names';

/**
 * The service's plain settings: its catalog env, its own name (which it reports in its metrics), the
 * port it listens on, and the variables it composed from the queues it uses (a queue has no
 * credential: the service's IAM role is its access). Variables holding a credential come from the
 * service's data Secrets instead.
 */
export function configData(service: ServiceSpec, data: DataAccess): pulumi.Output<Record<string, string>> {
  const base: Record<string, string> = {
    ...service.env,
    SERVICE_NAME: service.name,
    PORT: String(service.port),
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
