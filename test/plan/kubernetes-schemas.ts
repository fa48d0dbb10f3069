import { externalSecretsSchemaFailures } from '../support/external-secrets-schema';

/**
 * Validates a Kubernetes object against its OpenAPI schema with kubernetes-models, by apiVersion and
 * kind; throws when the schema rejects it or no model is known for it.
 */
export function validateAgainstSchema(object: { apiVersion: string; kind: string }): void {
  const [group, version] = object.apiVersion.includes('/')
    ? object.apiVersion.split('/')
    : ['', object.apiVersion];
  if (group === 'external-secrets.io') {
    const [failure] = externalSecretsSchemaFailures([object]);
    if (failure) throw new Error(failure);
    return;
  }
  const modulePath = `kubernetes-models/${group ? `${group}/` : ''}${version}`;
  // eslint-disable-next-line @typescript-eslint/no-require-imports
  const models = require(modulePath) as Record<string, new (data: unknown) => { validate: () => void }>;
  const Model = models[object.kind];
  if (!Model) throw new Error(`no schema for ${object.apiVersion} ${object.kind}`);
  new Model(object).validate();
}
