import type { ServiceSpec } from '../config/services';

/**
 * The permissions of the role a service's pods run as: exactly the grants its catalog entry declares
 * under `aws`. Undefined when it declares none, and then the service gets no role at all: a role
 * without permissions would only give its pods an identity to reach STS with. Its secrets are not
 * here: the secrets operator fetches them (see external-secrets.ts), the pods never call Secrets Manager.
 */
export function podPolicyDocument(service: ServiceSpec): string | undefined {
  if (service.aws.length === 0) return undefined;
  return JSON.stringify({
    Version: '2012-10-17',
    Statement: service.aws.map((grant, index) => ({
      Sid: `Declared${index}`,
      Effect: 'Allow',
      Action: grant.actions,
      Resource: grant.resources,
    })),
  });
}
