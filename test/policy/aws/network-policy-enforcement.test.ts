import { checkStack, stackPolicies, type Candidate } from '../run-policies';
import { realStack } from '../variants';

const policy = stackPolicies.find((candidate) => candidate.name === 'eks-network-policies-enforced');
const vpcCniOf = (resources: Candidate[]) => {
  const found = resources.find((r) => r.type === 'aws:eks/addon:Addon' && r.props.addonName === 'vpc-cni');
  if (!found) throw new Error('the render has no vpc-cni add-on');
  return found;
};

describe('network policies enforced on EKS', () => {
  let resources: Candidate[];
  const check = () => {
    if (!policy) throw new Error('the pack has no eks-network-policies-enforced policy');
    return checkStack(policy, resources);
  };
  // Reported at the first resource that names the cluster: its first add-on or node group.
  const clusterUrn = () =>
    resources.find((r) => r.type === 'aws:eks/addon:Addon' || r.type === 'aws:eks/nodeGroup:NodeGroup')?.urn;
  const violation = (stack: string) => ({
    policy: 'eks-network-policies-enforced',
    message:
      `cluster slipway-${stack} has no vpc-cni add-on with configurationValues {"enableNetworkPolicy": "true"}: ` +
      'its NetworkPolicies would not be enforced',
    urn: clusterUrn(),
  });

  it.each(['dev', 'staging', 'prod'] as const)('accepts the %s stack as rendered', async (stack) => {
    resources = await realStack(stack);
    expect(await check()).toEqual([]);
  });

  it('reports a vpc-cni add-on without the network policy flag', async () => {
    resources = await realStack('prod');
    delete vpcCniOf(resources).props.configurationValues;
    expect(await check()).toEqual([violation('prod')]);
  });

  it('reports the flag turned off, and a stack with no vpc-cni add-on at all', async () => {
    resources = await realStack('dev');
    vpcCniOf(resources).props.configurationValues = JSON.stringify({ enableNetworkPolicy: 'false' });
    expect(await check()).toEqual([violation('dev')]);
    resources = resources.filter((r) => r !== vpcCniOf(resources));
    expect(await check()).toEqual([violation('dev')]);
  });
});
