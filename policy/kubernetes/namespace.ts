import type { ResourceValidationPolicy } from '@pulumi/policy';
import { forTypes } from '../applies-to';

const enforceLabel = 'pod-security.kubernetes.io/enforce';

/**
 * The admission controller is the backstop behind the per-resource rules: it also refuses pods that
 * reach the namespace another way (a Helm chart, kubectl).
 */
export const namespacePodSecurity: ResourceValidationPolicy = {
  name: 'k8s-namespace-pod-security',
  description: 'Every Namespace enforces the restricted Pod Security Standard.',
  enforcementLevel: 'mandatory',
  validateResource: forTypes(['kubernetes:core/v1:Namespace'], (props, _args, report) => {
    const metadata = props.metadata as { name?: string; labels?: Record<string, string> } | undefined;
    const level = metadata?.labels?.[enforceLabel];
    if (level !== 'restricted') {
      report(
        `namespace "${metadata?.name ?? '(generated name)'}" has ${enforceLabel}: ${level ?? '(unset)'}, not restricted`,
      );
    }
  }),
};
