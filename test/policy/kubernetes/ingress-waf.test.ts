import { packViolations, type Candidate } from '../run-policies';
import { realResource } from '../variants';

const policy = 'k8s-internet-ingress-behind-waf';
const ingressType = 'kubernetes:networking.k8s.io/v1:Ingress';
const waf = 'alb.ingress.kubernetes.io/wafv2-acl-arn';
const annotationsOf = (candidate: Candidate) =>
  (candidate.props.metadata as { annotations: Record<string, string> }).annotations;

describe('an internet-facing ingress behind WAF in production', () => {
  it.each(['staging', 'prod'] as const)(
    'accepts the %s Ingresses as rendered, each naming the web ACL',
    async (stack) => {
      const ingress = await realResource(stack, ingressType, 'workloads-web-ingress');
      expect(annotationsOf(ingress)[waf]).toMatch(/^arn:aws:wafv2:/);
      expect(await packViolations(ingress)).toEqual([]);
    },
  );

  it('reports a prod Ingress whose web ACL was removed, or set to none', async () => {
    const ingress = await realResource('prod', ingressType, 'workloads-web-ingress');
    delete annotationsOf(ingress)['alb.ingress.kubernetes.io/wafv2-acl-arn'];
    expect(await packViolations(ingress)).toEqual([
      {
        policy,
        message:
          'Ingress web in namespace "slipway-prod" is internet-facing in production without an AWS WAF web ACL ' +
          `(${waf}: absent)`,
      },
    ]);
    annotationsOf(ingress)[waf] = 'none';
    expect((await packViolations(ingress)).map((v) => v.message)).toEqual([
      expect.stringMatching(
        /without an AWS WAF web ACL \(alb\.ingress\.kubernetes\.io\/wafv2-acl-arn: none\)$/,
      ),
    ]);
  });

  it('holds neither dev (WAF optional there) nor an internal load balancer in prod to it', async () => {
    const dev = await realResource('dev', ingressType, 'workloads-web-ingress');
    expect(annotationsOf(dev)[waf]).toBe('none');
    expect(await packViolations(dev)).toEqual([]);
    const internal = await realResource('prod', ingressType, 'workloads-web-ingress');
    annotationsOf(internal)['alb.ingress.kubernetes.io/scheme'] = 'internal';
    delete annotationsOf(internal)['alb.ingress.kubernetes.io/wafv2-acl-arn'];
    expect(await packViolations(internal)).toEqual([]);
  });
});
