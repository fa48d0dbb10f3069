import { checkResource, packViolations, resourcePolicies } from '../run-policies';
import { realResource } from '../variants';

describe('KMS key rotation', () => {
  it('reports a key with rotation off', async () => {
    const key = await realResource('dev', 'aws:kms/key:Key', 'keys-data');
    key.props.enableKeyRotation = false;
    expect(await packViolations(key)).toEqual([
      { policy: 'kms-key-rotation', message: 'keys-data does not set enableKeyRotation: true' },
    ]);
  });

  it('does not apply to an asymmetric key, which AWS cannot rotate', async () => {
    const key = await realResource('dev', 'aws:kms/key:Key', 'keys-cluster');
    key.props.customerMasterKeySpec = 'RSA_3072';
    delete key.props.enableKeyRotation;
    const rotation = resourcePolicies.find((policy) => policy.name === 'kms-key-rotation');
    if (!rotation) throw new Error('the pack has no kms-key-rotation policy');
    expect(await checkResource(rotation, key)).toEqual({ applied: false, violations: [] });
  });
});
