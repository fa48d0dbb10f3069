import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { loadPlatformConfig, type PlatformConfig } from '../../../infra/config/load';
import { offlineAccountId, stableHex } from '../../../offline/cloud';
import type { OfflineRun, RecordedResource } from '../../../offline/engine';
import { readStackFiles } from '../../../offline/stack-files';
import { repoRoot } from '../../support/render';
import { named, ofType, regionOf } from '../../support/resources';
import { readSettings } from '../../../infra/settings/load';

/** A Kubernetes object as the program rendered it: the inputs of a `@pulumi/kubernetes` resource. */
export interface KubeObject {
  apiVersion: string;
  kind: string;
  metadata: {
    name: string;
    namespace?: string;
    labels?: Record<string, string>;
    annotations?: Record<string, string>;
  };
  spec?: Record<string, unknown>;
  [field: string]: unknown;
}

/** Every rendered Kubernetes object; Helm releases are charts, not objects, and are left out. */
export function kubeObjects(run: OfflineRun): KubeObject[] {
  return run.resources
    .filter((r) => r.type.startsWith('kubernetes:') && !r.type.startsWith('kubernetes:helm.sh/'))
    .map((r) => r.inputs as unknown as KubeObject);
}

/**
 * The one object of a kind and name (in that namespace, when given: the platform's provisioning
 * namespace holds objects named as the apps' are, `default-deny-all`); fails loudly when it is missing.
 */
export function kubeObject(run: OfflineRun, kind: string, name: string, namespace?: string): KubeObject {
  const found = kubeObjects(run).filter(
    (o) =>
      o.kind === kind &&
      o.metadata.name === name &&
      (namespace === undefined || o.metadata.namespace === namespace),
  );
  if (found.length !== 1) throw new Error(`${found.length} ${kind} named ${name} in the ${run.stack} render`);
  return found[0] as KubeObject;
}

/** The objects of a kind, in one namespace when given. */
export const objectsOfKind = (run: OfflineRun, kind: string, namespace?: string) =>
  kubeObjects(run).filter(
    (o) => o.kind === kind && (namespace === undefined || o.metadata.namespace === namespace),
  );

/** The CIDR blocks of the network's subnets of one tier (`public`, `private`, `database`). */
export function subnetCidrs(run: OfflineRun, tier: string): string[] {
  return ofType(run, 'aws:ec2/subnet:Subnet')
    .filter((subnet) => subnet.name.startsWith(`network-${tier}-`))
    .map((subnet) => String(subnet.inputs.cidrBlock));
}

/** The ARN the offline engine gives a recorded Secrets Manager secret. */
export function secretArn(run: OfflineRun, secretName: string): string {
  const secret = ofType(run, 'aws:secretsmanager/secret:Secret').find((s) => s.inputs.name === secretName);
  if (!secret?.id) throw new Error(`no secret ${secretName} in the ${run.stack} render`);
  return `arn:aws:secretsmanager:${regionOf(run.stack)}:${offlineAccountId}:secret:${secretName}-${stableHex(6, secret.id)}`;
}

/** The ARN the offline engine gives the RDS-managed master secret of a recorded instance. */
export function masterSecretArn(run: OfflineRun, instanceName: string): string {
  const instance = named(run, 'aws:rds/instance:Instance', instanceName);
  if (!instance.id) throw new Error(`${instanceName} has no id in the ${run.stack} render`);
  return `arn:aws:secretsmanager:${regionOf(run.stack)}:${offlineAccountId}:secret:rds!db-${stableHex(8, instance.id)}-${stableHex(6, 'secret', instance.id)}`;
}

export interface PolicyStatement {
  Sid?: string;
  Effect: string;
  Action: string | string[];
  Resource: string | string[];
  Principal?: Record<string, string>;
  Condition?: Record<string, Record<string, string | string[]>>;
}

/** The statements of a recorded IAM role's trust policy or of a role policy. */
export function statements(
  resource: RecordedResource,
  input: 'assumeRolePolicy' | 'policy',
): PolicyStatement[] {
  const text = resource.inputs[input];
  if (typeof text !== 'string') throw new Error(`${resource.name}.${input} is not a JSON string`);
  return (JSON.parse(text) as { Statement: PolicyStatement[] }).Statement;
}

export const asList = (value: string | string[]) => (Array.isArray(value) ? value : [value]);

/** The IAM role and inline policy a logical name prefix owns, e.g. `workloads-api`. */
export function roleOf(run: OfflineRun, owner: string) {
  return {
    role: named(run, 'aws:iam/role:Role', `${owner}-role`),
    policy: ofType(run, 'aws:iam/rolePolicy:RolePolicy').find((p) => p.name === `${owner}-policy`),
  };
}

/** The apps stack's validated config, as the apps program reads it. */
export function configOf(stack: string): PlatformConfig {
  return loadPlatformConfig({
    stack,
    values: readStackFiles(join(repoRoot, 'infra', 'apps'), stack).config,
    catalogText: readFileSync(join(repoRoot, 'services.yaml'), 'utf8'),
    project: 'apps',
    settings: readSettings(repoRoot),
  });
}

export const workloadNamespace = (stack: string) => `slipway-${stack}`;

/** The platform's namespace for creating the services' users inside the stores (infra/data/user-provisioner). */
export const provisioningNamespace = (stack: string) => `slipway-${stack}-data`;
