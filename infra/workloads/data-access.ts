import * as pulumi from '@pulumi/pulumi';
import { createHash } from 'node:crypto';
import { templateParts, type NetworkEngine } from '../config/data-stores';
import type { ServiceSpec } from '../config/services';

/**
 * What the apps know of the platform's data services (from its outputs): where each store listens,
 * each queue, and each service's own credential secret. Never a master or admin secret.
 */
export interface DataAccess {
  /** store → engine, port and the data subnets' blocks (for network policies). */
  endpoints: Record<string, { engine: NetworkEngine; port: number; cidrs: string[] }>;
  /** store → its SQS queue. */
  queues: Record<string, { url: pulumi.Input<string>; arn: pulumi.Input<string>; name: string }>;
  /** service → store → the service's credential secret and the version of its value. */
  credentials: Record<string, Record<string, DataCredential>>;
}

export interface DataCredential {
  secretArn: pulumi.Input<string>;
  versionId: pulumi.Input<string>;
}

/** A `{part}` of a composed variable → the credential secret's JSON property it reads. */
export const credentialProperty: Record<string, string> = {
  host: 'host',
  port: 'port',
  user: 'username',
  password: 'password',
  database: 'dbname',
  vhost: 'vhost',
};

/**
 * A catalog template as the External Secrets Operator's Go template: `{user}` → `{{ .username }}`.
 * The operator fills it in the cluster, so the password never passes through Pulumi on the apps side.
 */
export function goTemplate(template: string): string {
  return template.replace(/\{([^{}]*)\}/g, (_, part: string) => {
    const property = credentialProperty[part];
    if (!property) throw new Error(`unknown part {${part}} (validated by the config loader)`);
    return `{{ .${property} }}`;
  });
}

/** A catalog template filled from a queue's parts (`{url}`, `{arn}`, `{name}`). */
export function queueValue(
  template: string,
  queue: { url: pulumi.Input<string>; arn: pulumi.Input<string>; name: string },
): pulumi.Output<string> {
  return pulumi.all([queue.url, queue.arn]).apply(([url, arn]) => {
    const parts: Record<string, string> = { url, arn, name: queue.name };
    for (const part of templateParts(template)) {
      if (parts[part] === undefined)
        throw new Error(`unknown part {${part}} (validated by the config loader)`);
    }
    return template.replace(/\{([^{}]*)\}/g, (_, part: string) => parts[part] ?? '');
  });
}

/**
 * The Secret holding a service's variables for one store, named after the credential's version: a
 * rotated password is a new Secret, so the Deployment rolls, and its new pods wait for the operator
 * to write that Secret instead of starting with the old password.
 */
export function dataSecretName(service: string, store: string, versionId: pulumi.Input<string>) {
  return pulumi
    .output(versionId)
    .apply(
      (version) =>
        `${service}-data-${store}-${createHash('sha256').update(version).digest('hex').slice(0, 8)}`,
    );
}

/** The stores a service uses that hand it a credential (every networked engine). */
export const credentialedUses = (service: ServiceSpec, data: DataAccess) =>
  Object.keys(service.uses).filter((store) => store in data.endpoints);

/** The queues a service uses. */
export const queueUses = (service: ServiceSpec, data: DataAccess) =>
  Object.keys(service.uses).filter((store) => store in data.queues);
