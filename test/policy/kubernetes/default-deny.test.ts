import { checkStack, stackPolicies, type Candidate } from '../run-policies';
import { deploymentType, realStack } from '../variants';

const policy = stackPolicies.find((candidate) => candidate.name === 'k8s-default-deny-network-policy');
const networkPolicyType = 'kubernetes:networking.k8s.io/v1:NetworkPolicy';

function defaultDenyOf(resources: Candidate[]): Candidate {
  const found = resources.find((resource) => resource.name === 'workloads-default-deny');
  if (!found) throw new Error('the dev render has no default-deny NetworkPolicy');
  return found;
}

const specOf = (resource: Candidate) => resource.props.spec as Record<string, unknown>;

describe('default-deny NetworkPolicy per namespace', () => {
  let resources: Candidate[];
  let firstDeploymentUrn: string;
  beforeEach(async () => {
    resources = await realStack('dev');
    firstDeploymentUrn = resources.find((resource) => resource.type === deploymentType)?.urn ?? '';
  });

  const check = () => {
    if (!policy) throw new Error('the pack has no default-deny policy');
    return checkStack(policy, resources);
  };

  it('accepts the recorded stack', async () => {
    expect(firstDeploymentUrn).not.toBe('');
    expect(await check()).toEqual([]);
  });

  it('reports a namespace whose default deny was removed, at its first workload', async () => {
    resources = resources.filter((resource) => resource !== defaultDenyOf(resources));
    expect(await check()).toEqual([
      {
        policy: 'k8s-default-deny-network-policy',
        message:
          'namespace "slipway-dev" runs workloads but no NetworkPolicy denies all Ingress and Egress ' +
          '(empty podSelector, the policy type listed, no rules)',
        urn: firstDeploymentUrn,
      },
    ]);
  });

  it('reports a default deny that only covers ingress', async () => {
    specOf(defaultDenyOf(resources)).policyTypes = ['Ingress'];
    expect((await check())?.map((violation) => violation.message)).toEqual([
      'namespace "slipway-dev" runs workloads but no NetworkPolicy denies all Egress ' +
        '(empty podSelector, the policy type listed, no rules)',
    ]);
  });

  it('does not count a deny that selects only some pods', async () => {
    specOf(defaultDenyOf(resources)).podSelector = { matchLabels: { 'app.kubernetes.io/name': 'web' } };
    expect(await check()).toHaveLength(1);
  });

  it('does not count a policy that allows something', async () => {
    specOf(defaultDenyOf(resources)).ingress = [{ from: [{ podSelector: {} }] }];
    expect((await check())?.map((violation) => violation.message)).toEqual([
      'namespace "slipway-dev" runs workloads but no NetworkPolicy denies all Ingress ' +
        '(empty podSelector, the policy type listed, no rules)',
    ]);
  });

  it('accepts the deny split into one policy per direction', async () => {
    const deny = defaultDenyOf(resources);
    specOf(deny).policyTypes = ['Ingress'];
    const egress = structuredClone(deny);
    egress.name = 'workloads-default-deny-egress';
    specOf(egress).policyTypes = ['Egress'];
    resources.push(egress);
    expect(await check()).toEqual([]);
  });

  it('reports a workload in a namespace of its own that has no policies', async () => {
    const deployment = resources.find((resource) => resource.type === deploymentType);
    (deployment?.props.metadata as { namespace: string }).namespace = 'batch';
    expect((await check())?.map((violation) => violation.message)).toEqual([
      'namespace "batch" runs workloads but no NetworkPolicy denies all Ingress and Egress ' +
        '(empty podSelector, the policy type listed, no rules)',
    ]);
  });

  it("reports the platform's provisioning namespace, which runs a Job, when its default deny is removed", async () => {
    const job = resources.find((resource) => resource.type === 'kubernetes:batch/v1:Job');
    resources = resources.filter((resource) => resource.name !== 'data-users-default-deny');
    expect(await check()).toEqual([
      {
        policy: 'k8s-default-deny-network-policy',
        message:
          'namespace "slipway-dev-data" runs workloads but no NetworkPolicy denies all Ingress and Egress ' +
          '(empty podSelector, the policy type listed, no rules)',
        urn: job?.urn,
      },
    ]);
  });

  it('does not apply to a stack that runs no workloads', async () => {
    resources = resources.filter(
      (resource) =>
        !resource.type.startsWith('kubernetes:apps/') && !resource.type.startsWith('kubernetes:batch/'),
    );
    expect(resources.some((resource) => resource.type === networkPolicyType)).toBe(true);
    expect(await check()).toBeUndefined();
  });
});
