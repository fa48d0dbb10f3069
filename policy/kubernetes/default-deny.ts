import type { PolicyResource, StackValidationPolicy } from '@pulumi/policy';
import { namespaceOf, workloadTypes } from './workload';

const networkPolicyType = 'kubernetes:networking.k8s.io/v1:NetworkPolicy';
const directions = [
  { policyType: 'Ingress', rules: 'ingress' },
  { policyType: 'Egress', rules: 'egress' },
] as const;

interface NetworkPolicySpec {
  podSelector?: { matchLabels?: Record<string, string>; matchExpressions?: unknown[] };
  policyTypes?: string[];
  ingress?: unknown[];
  egress?: unknown[];
}

function selectsEveryPod(spec: NetworkPolicySpec): boolean {
  const selector = spec.podSelector ?? {};
  return (
    Object.keys(selector.matchLabels ?? {}).length === 0 && (selector.matchExpressions ?? []).length === 0
  );
}

/** The directions (Ingress, Egress) a NetworkPolicy shuts for every pod of its namespace. */
function deniedDirections(props: Record<string, unknown>): string[] {
  const spec = (props.spec ?? {}) as NetworkPolicySpec;
  if (!selectsEveryPod(spec)) return [];
  return directions
    .filter(
      ({ policyType, rules }) => spec.policyTypes?.includes(policyType) && (spec[rules] ?? []).length === 0,
    )
    .map(({ policyType }) => policyType);
}

/**
 * Zero trust starts from nothing allowed: in a namespace without a default deny, every pod not picked
 * by some allow policy accepts and sends anything. Only objects the stack declares count; a namespace
 * is checked when the stack runs workloads in it (add-ons installed by Helm charts are not seen here).
 */
export const defaultDenyNetworkPolicy: StackValidationPolicy = {
  name: 'k8s-default-deny-network-policy',
  description:
    'Each namespace that runs workloads has NetworkPolicies that deny all ingress and all egress by default.',
  enforcementLevel: 'mandatory',
  validateStack: (args, report) => {
    const firstWorkload = new Map<string, PolicyResource>();
    for (const resource of args.resources) {
      if (!(workloadTypes as readonly string[]).includes(resource.type)) continue;
      const namespace = namespaceOf(resource.props);
      if (!firstWorkload.has(namespace)) firstWorkload.set(namespace, resource);
    }
    if (firstWorkload.size === 0) args.notApplicable('the stack runs no workloads');

    const denied = new Map<string, Set<string>>();
    for (const resource of args.resources) {
      if (resource.type !== networkPolicyType) continue;
      const namespace = namespaceOf(resource.props);
      const set = denied.get(namespace) ?? new Set<string>();
      for (const direction of deniedDirections(resource.props)) set.add(direction);
      denied.set(namespace, set);
    }

    for (const [namespace, workload] of firstWorkload) {
      const missing = directions
        .map(({ policyType }) => policyType)
        .filter((direction) => !denied.get(namespace)?.has(direction));
      if (missing.length > 0) {
        report(
          `namespace "${namespace}" runs workloads but no NetworkPolicy denies all ${missing.join(' and ')} ` +
            '(empty podSelector, the policy type listed, no rules)',
          workload.urn,
        );
      }
    }
  },
};
