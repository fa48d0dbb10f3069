import type { PolicyResource, StackValidationPolicy } from '@pulumi/policy';

// The cluster itself may be a component (`@pulumi/eks`) the engine never hands a policy: the node groups
// and add-ons that name it by `clusterName` are custom resources, and say which clusters the stack runs.
const anchorTypes = ['aws:eks/cluster:Cluster', 'aws:eks/nodeGroup:NodeGroup', 'aws:eks/addon:Addon'];
const addonType = 'aws:eks/addon:Addon';

/** Whether an EKS add-on is the VPC CNI with its network policy agent turned on. */
function enforcesNetworkPolicies(addon: PolicyResource): boolean {
  if (addon.props.addonName !== 'vpc-cni') return false;
  const text = addon.props.configurationValues;
  if (typeof text !== 'string') return false;
  try {
    return (JSON.parse(text) as Record<string, unknown>).enableNetworkPolicy === 'true';
  } catch {
    return false;
  }
}

/**
 * A NetworkPolicy that nothing enforces is stored and ignored: on EKS the VPC CNI runs the policy agent
 * only when its managed add-on says `enableNetworkPolicy: "true"`. Every cluster the stack declares
 * must run the VPC CNI add-on that way.
 */
export const networkPoliciesEnforced: StackValidationPolicy = {
  name: 'eks-network-policies-enforced',
  description: 'Each EKS cluster runs the vpc-cni managed add-on with enableNetworkPolicy "true".',
  enforcementLevel: 'mandatory',
  validateStack: (args, report) => {
    const clusters = new Map<string, PolicyResource>();
    for (const resource of args.resources) {
      if (!anchorTypes.includes(resource.type)) continue;
      const name = String(
        resource.type === 'aws:eks/cluster:Cluster' ? resource.props.name : resource.props.clusterName,
      );
      if (!clusters.has(name)) clusters.set(name, resource);
    }
    if (clusters.size === 0) args.notApplicable('the stack declares no EKS cluster');
    const addons = args.resources.filter((resource) => resource.type === addonType);
    for (const [name, anchor] of clusters) {
      const enforced = addons.some(
        (addon) => addon.props.clusterName === name && enforcesNetworkPolicies(addon),
      );
      if (!enforced) {
        report(
          `cluster ${name} has no vpc-cni add-on with configurationValues ` +
            '{"enableNetworkPolicy": "true"}: its NetworkPolicies would not be enforced',
          anchor.urn,
        );
      }
    }
  },
};
