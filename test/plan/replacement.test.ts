import { forcesReplacement } from '../../plan/replacement';

describe('forcesReplacement', () => {
  it.each([
    ['aws:ec2/subnet:Subnet', 'availabilityZone'],
    ['aws:rds/instance:Instance', 'engine'],
    ['aws:rds/instance:Instance', 'identifier'],
    ['aws:rds/instance:Instance', 'storageEncrypted'],
    ['eks:index:Cluster', 'name'],
    ['aws:ecr/repository:Repository', 'name'],
    ['aws:kms/key:Key', 'customerMasterKeySpec'],
    ['kubernetes:core/v1:Service', 'metadata.namespace'],
    ['kubernetes:apps/v1:Deployment', 'metadata.name'],
    ['kubernetes:apps/v1:Deployment', 'spec.selector.matchLabels["app.kubernetes.io/name"]'],
  ])('%s %s forces a replacement', (type, path) => {
    expect(forcesReplacement(type, path)).toBe(true);
  });

  it.each([
    ['aws:rds/instance:Instance', 'backupRetentionPeriod'],
    ['aws:rds/instance:Instance', 'engineVersion'],
    ['aws:ecr/repository:Repository', 'imageScanningConfiguration.scanOnPush'],
    ['kubernetes:apps/v1:Deployment', 'spec.template.spec.containers[0].image'],
    ['kubernetes:apps/v1:Deployment', 'metadata.labels.team'],
    ['aws:ec2/vpc:Vpc', 'tags.Name'],
  ])('%s %s changes in place', (type, path) => {
    expect(forcesReplacement(type, path)).toBe(false);
  });
});
