import type { ResourceValidationPolicy } from '@pulumi/policy';
import { forTypes } from '../applies-to';
import { namespaceOf } from './workload';

/** The External Secrets API versions the pack knows (the program moves from v1beta1 to v1). */
const versions = ['v1beta1', 'v1'];
const typesOf = (kind: string) =>
  versions.map((version) => `kubernetes:external-secrets.io/${version}:${kind}`);

/** The label every object of a service carries (infra/workloads/names.ts). */
const serviceLabel = 'app.kubernetes.io/name';

/**
 * Each service's secrets reach only its own store: a ClusterSecretStore authenticates every
 * ExternalSecret that names it as one identity, which must then read every service's secret, and an
 * ExternalSecret that names another service's SecretStore reads that service's secrets. So no
 * ClusterSecretStore, and every ExternalSecret names the SecretStore of the service it belongs to.
 */
export const externalSecretOwnStore: ResourceValidationPolicy = {
  name: 'k8s-external-secret-own-store',
  description:
    'No ClusterSecretStore; every ExternalSecret names the namespaced SecretStore of its own service (its ' +
    `${serviceLabel} label).`,
  enforcementLevel: 'mandatory',
  validateResource: forTypes(
    [...typesOf('ExternalSecret'), ...typesOf('ClusterSecretStore')],
    (props, args, report) => {
      const metadata = (props.metadata ?? {}) as { name?: string; labels?: Record<string, string> };
      const name = metadata.name ?? args.name;
      if (props.kind === 'ClusterSecretStore' || args.type.endsWith(':ClusterSecretStore')) {
        report(`ClusterSecretStore ${name} serves every namespace's ExternalSecrets as one identity`);
        return;
      }
      const ref = ((props.spec ?? {}) as { secretStoreRef?: { kind?: string; name?: string } })
        .secretStoreRef;
      const service = metadata.labels?.[serviceLabel];
      const where = `ExternalSecret ${name} in namespace "${namespaceOf(props)}"`;
      if (!service) {
        report(`${where} has no ${serviceLabel} label naming the service it belongs to`);
      } else if ((ref?.kind ?? 'SecretStore') !== 'SecretStore' || ref?.name !== service) {
        report(
          `${where} names ${ref?.kind ?? 'SecretStore'} ${ref?.name ?? '(none)'}, not its own service's SecretStore ${service}`,
        );
      }
    },
  ),
};
