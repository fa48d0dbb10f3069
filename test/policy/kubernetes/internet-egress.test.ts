import { internetEgressAnnotation as rendered } from '../../../infra/workloads/network-policy';
import { internetEgressAnnotation } from '../../../policy/kubernetes/internet-egress';
import { packViolations } from '../run-policies';
import { realResource } from '../variants';

const networkPolicyType = 'kubernetes:networking.k8s.io/v1:NetworkPolicy';
const metadataOf = (props: Record<string, unknown>) =>
  props.metadata as { name: string; annotations?: Record<string, string> };
const egressOf = (props: Record<string, unknown>) => (props.spec as { egress: unknown[] }).egress;

describe('no undeclared internet egress', () => {
  it('reads the annotation the program writes', () => {
    expect(internetEgressAnnotation).toBe(rendered);
  });

  it.each(['dev', 'prod'] as const)('accepts the %s egress policies as rendered', async (stack) => {
    for (const name of [
      'workloads-api-egress-policy',
      'workloads-worker-egress-policy',
      'workloads-web-egress-policy',
    ]) {
      expect(await packViolations(await realResource(stack, networkPolicyType, name))).toEqual([]);
    }
  });

  it('reports an internet rule whose declared need was removed', async () => {
    const policy = await realResource('dev', networkPolicyType, 'workloads-api-egress-policy');
    delete metadataOf(policy.props).annotations;
    expect(await packViolations(policy)).toEqual([
      {
        policy: 'k8s-no-undeclared-internet-egress',
        message:
          'NetworkPolicy api-egress lets pods out to any address without a declared need ' +
          '(no slipway.dev/internet-egress annotation)',
      },
    ]);
  });

  it('reports a rule with no destination at all, which opens every address', async () => {
    const policy = await realResource('prod', networkPolicyType, 'workloads-web-egress-policy');
    egressOf(policy.props).push({ ports: [{ protocol: 'TCP', port: 443 }] });
    expect((await packViolations(policy)).map((v) => v.policy)).toEqual([
      'k8s-no-undeclared-internet-egress',
    ]);
  });

  it('reports a 0.0.0.0/0 rule slipped into a policy that had none', async () => {
    const policy = await realResource('prod', networkPolicyType, 'workloads-web-egress-policy');
    egressOf(policy.props).push({ to: [{ ipBlock: { cidr: '0.0.0.0/0' } }] });
    expect((await packViolations(policy)).map((v) => v.policy)).toEqual([
      'k8s-no-undeclared-internet-egress',
    ]);
  });
});
