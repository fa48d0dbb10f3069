import type { ResourceValidationPolicy } from '@pulumi/policy';
import { forTypes } from '../applies-to';

const repository = 'aws:ecr/repository:Repository';

/** Promotion deploys what a tag named when it was scanned; a mutable tag could be pushed over since. */
export const registryImmutableTags: ResourceValidationPolicy = {
  name: 'ecr-immutable-tags',
  description: 'Every ECR repository has immutable image tags.',
  enforcementLevel: 'mandatory',
  validateResource: forTypes([repository], (props, args, report) => {
    const mutability = props.imageTagMutability as string | undefined;
    if (mutability !== 'IMMUTABLE') {
      report(`${args.name} has imageTagMutability ${mutability ?? '(unset: MUTABLE)'}, not IMMUTABLE`);
    }
  }),
};

export const registryScanOnPush: ResourceValidationPolicy = {
  name: 'ecr-scan-on-push',
  description: 'Every ECR repository scans images on push.',
  enforcementLevel: 'mandatory',
  validateResource: forTypes([repository], (props, args, report) => {
    const scanning = props.imageScanningConfiguration as { scanOnPush?: boolean } | undefined;
    if (scanning?.scanOnPush !== true) report(`${args.name} does not scan images on push`);
  }),
};

/** AWS's default (AES256) uses a key nobody can audit or revoke; the platform's key can be both. */
export const registryKmsEncryption: ResourceValidationPolicy = {
  name: 'ecr-kms-encryption',
  description: 'Every ECR repository encrypts images with a KMS key.',
  enforcementLevel: 'mandatory',
  validateResource: forTypes([repository], (props, args, report) => {
    const configs = (props.encryptionConfigurations ?? []) as { encryptionType?: string }[];
    if (configs[0]?.encryptionType !== 'KMS') report(`${args.name} is not encrypted with a KMS key`);
  }),
};
