import type { Policies } from '@pulumi/policy';
import {
  brokerNotPublic,
  cacheAccessControlled,
  cacheEncrypted,
  documentDbEncrypted,
  productionCacheProtected,
  productionDocumentDbProtected,
  queueEncrypted,
} from './aws/data-services';
import { databaseNotPublic, databaseStorageEncrypted, productionDatabaseProtected } from './aws/database';
import { keyRotation } from './aws/keys';
import { networkPoliciesEnforced } from './aws/network-policy-enforcement';
import { registryImmutableTags, registryKmsEncryption, registryScanOnPush } from './aws/registry';
import { defaultDenyNetworkPolicy } from './kubernetes/default-deny';
import { podHostIsolation } from './kubernetes/host-isolation';
import { noUndeclaredInternetEgress } from './kubernetes/internet-egress';
import { imagePinnedByDigest } from './kubernetes/images';
import { internetIngressBehindWaf } from './kubernetes/ingress-waf';
import { namespacePodSecurity } from './kubernetes/namespace';
import { containerProbes } from './kubernetes/probes';
import { containerResources } from './kubernetes/resources';
import { externalSecretOwnStore } from './kubernetes/secret-stores';
import { noLiteralSecrets } from './kubernetes/secrets';
import { containerSecurityContext } from './kubernetes/security-context';

/** Every rule of the Slipway pack, each mandatory: a violation fails the preview or the update. */
export const policies: Policies = [
  imagePinnedByDigest,
  containerSecurityContext,
  podHostIsolation,
  containerProbes,
  containerResources,
  namespacePodSecurity,
  noLiteralSecrets,
  externalSecretOwnStore,
  defaultDenyNetworkPolicy,
  noUndeclaredInternetEgress,
  internetIngressBehindWaf,
  networkPoliciesEnforced,
  databaseNotPublic,
  databaseStorageEncrypted,
  productionDatabaseProtected,
  cacheEncrypted,
  cacheAccessControlled,
  productionCacheProtected,
  brokerNotPublic,
  documentDbEncrypted,
  productionDocumentDbProtected,
  queueEncrypted,
  registryImmutableTags,
  registryScanOnPush,
  registryKmsEncryption,
  keyRotation,
];
