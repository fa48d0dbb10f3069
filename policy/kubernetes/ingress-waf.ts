import type { ResourceValidationPolicy } from '@pulumi/policy';
import { forTypes } from '../applies-to';
import { isProduction } from '../stack-tier';
import { namespaceOf } from './workload';

const annotation = (name: string) => `alb.ingress.kubernetes.io/${name}`;
const webAclArn = /^arn:aws[a-z-]*:wafv2:[a-z0-9-]+:\d{12}:regional\/webacl\/.+/;

/**
 * An internet-facing ALB in production takes requests from anyone: it runs behind an AWS WAF web ACL.
 * The AWS Load Balancer Controller attaches the ACL an Ingress names in `wafv2-acl-arn`; an Ingress
 * without one (or with `none`) would leave the ALB unprotected. Internal load balancers are not held
 * to it.
 */
export const internetIngressBehindWaf: ResourceValidationPolicy = {
  name: 'k8s-internet-ingress-behind-waf',
  description:
    'In production, an internet-facing ALB Ingress names an AWS WAF web ACL (alb.ingress.kubernetes.io/wafv2-acl-arn).',
  enforcementLevel: 'mandatory',
  validateResource: forTypes(['kubernetes:networking.k8s.io/v1:Ingress'], (props, args, report) => {
    if (!isProduction(args.urn, props)) return;
    const metadata = (props.metadata ?? {}) as { name?: string; annotations?: Record<string, string> };
    const annotations = metadata.annotations ?? {};
    if (annotations[annotation('scheme')] !== 'internet-facing') return;
    const acl = annotations[annotation('wafv2-acl-arn')];
    if (!acl || !webAclArn.test(acl)) {
      report(
        `Ingress ${metadata.name ?? args.name} in namespace "${namespaceOf(props)}" is internet-facing in ` +
          `production without an AWS WAF web ACL (${annotation('wafv2-acl-arn')}: ${acl ?? 'absent'})`,
      );
    }
  }),
};
