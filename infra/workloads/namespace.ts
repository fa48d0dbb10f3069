import type * as k8s from '@pulumi/kubernetes';

/** The Pod Security Standards level every workload namespace enforces, audits and warns on. */
export const podSecurityLevel = 'restricted';

/**
 * The environment's namespace. Pod Security admission rejects any pod that is not `restricted`, and
 * pins the standard to the cluster's version so an upgrade cannot quietly change what is allowed.
 */
export function namespaceManifest(
  name: string,
  environment: string,
  kubernetesVersion: string,
): k8s.types.input.core.v1.Namespace {
  const version = `v${kubernetesVersion}`;
  const labels: Record<string, string> = { 'slipway.dev/environment': environment };
  for (const mode of ['enforce', 'audit', 'warn']) {
    labels[`pod-security.kubernetes.io/${mode}`] = podSecurityLevel;
    labels[`pod-security.kubernetes.io/${mode}-version`] = version;
  }
  return { apiVersion: 'v1', kind: 'Namespace', metadata: { name, labels } };
}
