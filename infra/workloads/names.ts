import type { ServiceSpec } from '../config/services';

/**
 * Names and labels every object of a service shares, so selectors, policies and references can
 * never disagree about them.
 */
export const selectorLabels = (service: string): Record<string, string> => ({
  'app.kubernetes.io/name': service,
});

export function serviceLabels(service: string, environment: string): Record<string, string> {
  return {
    ...selectorLabels(service),
    'app.kubernetes.io/part-of': 'slipway',
    'app.kubernetes.io/managed-by': 'pulumi',
    'slipway.dev/environment': environment,
  };
}

export const configMapName = (service: string) => `${service}-config`;
export const secretsSecretName = (service: string) => `${service}-secrets`;
export const filesConfigMapName = (service: string) => `${service}-files`;
export const secretFilesSecretName = (service: string) => `${service}-secret-files`;

export const priorityClassNames = { critical: 'slipway-critical', normal: 'slipway-normal' } as const;
export const priorityClassFor = (service: ServiceSpec) =>
  service.critical ? priorityClassNames.critical : priorityClassNames.normal;
