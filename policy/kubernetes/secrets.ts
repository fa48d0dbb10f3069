import type { ResourceValidationPolicy } from '@pulumi/policy';
import { forTypes } from '../applies-to';
import { namespaceOf } from './workload';

const literalFields = ['data', 'stringData'] as const;

/**
 * A value written into a Kubernetes Secret by the program also sits in the program's source or
 * config and in the Pulumi state; secrets come from Secrets Manager through ExternalSecrets instead.
 * The violation names the keys only, never a value.
 */
export const noLiteralSecrets: ResourceValidationPolicy = {
  name: 'k8s-no-literal-secrets',
  description:
    'No Kubernetes Secret carries literal data or stringData; secrets come through ExternalSecrets.',
  enforcementLevel: 'mandatory',
  validateResource: forTypes(['kubernetes:core/v1:Secret'], (props, _args, report) => {
    const name = (props.metadata as { name?: string } | undefined)?.name ?? '(generated name)';
    for (const field of literalFields) {
      const keys = Object.keys((props[field] as Record<string, unknown> | undefined) ?? {});
      if (keys.length > 0) {
        report(
          `Secret "${name}" in namespace "${namespaceOf(props)}" has literal ${field} (keys: ${keys.join(', ')})`,
        );
      }
    }
  }),
};
