import { packViolations, type Candidate } from '../run-policies';
import { realResource } from '../variants';

describe('ECR repository rules', () => {
  let repository: Candidate;
  beforeEach(async () => {
    repository = await realResource('dev', 'aws:ecr/repository:Repository', 'registry-api');
  });

  it('reports mutable tags', async () => {
    repository.props.imageTagMutability = 'MUTABLE';
    expect(await packViolations(repository)).toEqual([
      { policy: 'ecr-immutable-tags', message: 'registry-api has imageTagMutability MUTABLE, not IMMUTABLE' },
    ]);
  });

  it("reports tag mutability left to AWS's default", async () => {
    delete repository.props.imageTagMutability;
    expect(await packViolations(repository)).toEqual([
      {
        policy: 'ecr-immutable-tags',
        message: 'registry-api has imageTagMutability (unset: MUTABLE), not IMMUTABLE',
      },
    ]);
  });

  it('reports scanning on push turned off', async () => {
    repository.props.imageScanningConfiguration = { scanOnPush: false };
    expect(await packViolations(repository)).toEqual([
      { policy: 'ecr-scan-on-push', message: 'registry-api does not scan images on push' },
    ]);
  });

  it('reports AES256 instead of the KMS key', async () => {
    repository.props.encryptionConfigurations = [{ encryptionType: 'AES256' }];
    expect(await packViolations(repository)).toEqual([
      { policy: 'ecr-kms-encryption', message: 'registry-api is not encrypted with a KMS key' },
    ]);
  });
});
