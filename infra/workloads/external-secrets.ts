import * as pulumi from '@pulumi/pulumi';
import type { ServiceSpec } from '../config/services';
import { secretEnvNames, secretFiles, type SecretUse } from '../config/secret-uses';
import { credentialedUses, dataSecretName, goTemplate, type DataAccess } from './data-access';
import { secretFilesSecretName, secretsSecretName, serviceLabels } from './names';

/** The External Secrets API the pinned operator chart serves (`v1beta1` stopped being served in 0.17). */
export const externalSecretsApiVersion = 'external-secrets.io/v1';
/** How often the operator re-reads Secrets Manager, so a rotated value reaches the pods. */
export const refreshInterval = '1h';

export interface ExternalSecretManifest {
  apiVersion: string;
  kind: 'ExternalSecret';
  metadata: { name: pulumi.Input<string>; namespace: string; labels: Record<string, string> };
  spec: Record<string, unknown>;
}

export interface SecretSources {
  /** The service's own SecretStore (see secret-store.ts), which reads Secrets Manager as its reader role. */
  storeName: string;
  /** The service's own Secrets Manager secret, when it declares secret keys. */
  serviceSecretArn?: pulumi.Input<string>;
}

function externalSecret(
  name: string,
  service: ServiceSpec,
  namespace: string,
  environment: string,
  storeName: string,
  data: { secretKey: string; remoteRef: { key: pulumi.Input<string>; property: string } }[],
): ExternalSecretManifest {
  return {
    apiVersion: externalSecretsApiVersion,
    kind: 'ExternalSecret',
    metadata: { name, namespace, labels: serviceLabels(service.name, environment) },
    spec: {
      refreshInterval,
      secretStoreRef: { kind: 'SecretStore', name: storeName },
      // The operator owns the Secret it writes: deleting the ExternalSecret removes it.
      target: { name, creationPolicy: 'Owner' },
      data,
    },
  };
}

/**
 * The Kubernetes Secrets a service reads, each pulled from Secrets Manager by the operator through
 * the service's own store: its variables and its files (from its own secret or the existing secrets
 * it names). No secret value passes through here.
 */
export function externalSecretManifests(
  service: ServiceSpec,
  namespace: string,
  environment: string,
  sources: SecretSources,
): ExternalSecretManifest[] {
  const manifests: ExternalSecretManifest[] = [];
  const remoteKey = (use: SecretUse): pulumi.Input<string> => {
    if (use.from !== undefined) return use.from;
    if (!sources.serviceSecretArn) throw new Error(`${service.name} declares secrets but has no secret ARN`);
    return sources.serviceSecretArn;
  };
  const data = (uses: SecretUse[]) =>
    uses.map((use) => ({ secretKey: use.secretKey, remoteRef: { key: remoteKey(use), property: use.key } }));
  const variables = secretEnvNames(service);
  if (variables.length > 0) {
    manifests.push(
      externalSecret(
        secretsSecretName(service.name),
        service,
        namespace,
        environment,
        sources.storeName,
        data(variables),
      ),
    );
  }
  const files = secretFiles(service);
  if (files.length > 0) {
    manifests.push(
      externalSecret(
        secretFilesSecretName(service.name),
        service,
        namespace,
        environment,
        sources.storeName,
        data(files),
      ),
    );
  }
  return manifests;
}

/**
 * For each store the service uses with a credential, the Secret of the variables it declared,
 * composed by the operator from the service's own credential secret (pinned to the version the
 * platform wrote, so a rotation is a new Secret name; see dataSecretName). The logical name is the
 * store's, so a rotation replaces the object rather than adding one.
 */
export function dataExternalSecretManifests(
  service: ServiceSpec,
  namespace: string,
  environment: string,
  storeName: string,
  data: DataAccess,
): { store: string; manifest: ExternalSecretManifest }[] {
  return credentialedUses(service, data).map((store) => {
    const credential = data.credentials[service.name]?.[store];
    if (!credential)
      throw new Error(`${service.name} uses ${store} but the platform has no credential for it`);
    const name = dataSecretName(service.name, store, credential.versionId);
    const env = service.uses[store]?.env ?? {};
    return {
      store,
      manifest: {
        apiVersion: externalSecretsApiVersion,
        kind: 'ExternalSecret',
        metadata: { name, namespace, labels: serviceLabels(service.name, environment) },
        spec: {
          refreshInterval,
          secretStoreRef: { kind: 'SecretStore', name: storeName },
          target: {
            name,
            creationPolicy: 'Owner',
            template: {
              engineVersion: 'v2',
              data: Object.fromEntries(Object.entries(env).map(([key, value]) => [key, goTemplate(value)])),
            },
          },
          // ESO's AWS provider reads `uuid/<id>` as a VersionId (anything else as a staging label).
          dataFrom: [
            {
              extract: {
                key: credential.secretArn,
                version: pulumi.interpolate`uuid/${credential.versionId}`,
              },
            },
          ],
        },
      },
    };
  });
}
