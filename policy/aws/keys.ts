import type { ResourceValidationPolicy } from '@pulumi/policy';
import { forTypes } from '../applies-to';

/**
 * Yearly rotation bounds how much data one key version protects. AWS rotates only symmetric
 * encryption keys, so asymmetric and HMAC keys are out of scope.
 */
export const keyRotation: ResourceValidationPolicy = {
  name: 'kms-key-rotation',
  description: 'Every symmetric KMS key has automatic rotation enabled.',
  enforcementLevel: 'mandatory',
  validateResource: forTypes(['aws:kms/key:Key'], (props, args, report) => {
    const spec = (props.customerMasterKeySpec as string | undefined) ?? 'SYMMETRIC_DEFAULT';
    if (spec !== 'SYMMETRIC_DEFAULT') args.notApplicable(`AWS cannot rotate ${spec} keys`);
    if (props.enableKeyRotation !== true) report(`${args.name} does not set enableKeyRotation: true`);
  }),
};
