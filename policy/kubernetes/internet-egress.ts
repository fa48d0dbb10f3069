import type { ResourceValidationPolicy } from '@pulumi/policy';
import { forTypes } from '../applies-to';

/** The annotation the program writes on a policy whose egress opens the internet: the declared needs. */
export const internetEgressAnnotation = 'slipway.dev/internet-egress';

interface EgressRule {
  to?: { ipBlock?: { cidr?: string } }[];
}

/** Whether a rule lets a pod out to any address: no `to` at all, or an address block of prefix 0. */
function opensTheInternet(rule: EgressRule): boolean {
  if (!rule.to || rule.to.length === 0) return true;
  return rule.to.some((peer) => peer.ipBlock?.cidr?.endsWith('/0') === true);
}

/**
 * A NetworkPolicy cannot match host names, so a rule to `0.0.0.0/0` is the whole internet. It may be
 * written only for a need the catalog declares (an `egress` host without addresses, an AWS API with no
 * endpoint in the stack), and the program names those needs in the policy's annotation; an open rule
 * without that annotation is a hole nobody asked for.
 */
export const noUndeclaredInternetEgress: ResourceValidationPolicy = {
  name: 'k8s-no-undeclared-internet-egress',
  description:
    'A NetworkPolicy egress rule to any address (0.0.0.0/0, or no destination) carries the declared need in ' +
    `its ${internetEgressAnnotation} annotation.`,
  enforcementLevel: 'mandatory',
  validateResource: forTypes(['kubernetes:networking.k8s.io/v1:NetworkPolicy'], (props, args, report) => {
    const spec = (props.spec ?? {}) as { egress?: EgressRule[] };
    const open = (spec.egress ?? []).filter(opensTheInternet);
    if (open.length === 0) return;
    const metadata = (props.metadata ?? {}) as { name?: string; annotations?: Record<string, string> };
    const need = metadata.annotations?.[internetEgressAnnotation]?.trim();
    if (!need) {
      report(
        `NetworkPolicy ${metadata.name ?? args.name} lets pods out to any address without a declared need ` +
          `(no ${internetEgressAnnotation} annotation)`,
      );
    }
  }),
};
