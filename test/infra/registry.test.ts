import type { OfflineRun } from '../../offline/engine';
import { crossAccountPolicy } from '../../infra/registry';
import { renderStack, stacks } from '../support/render';
import { jsonInput, kmsKeyArn, ofType } from '../support/resources';

const retention = {
  dev: { untaggedDays: 3, keepTagged: 20 },
  staging: { untaggedDays: 7, keepTagged: 50 },
  prod: { untaggedDays: 14, keepTagged: 100 },
};

describe.each(stacks)('the %s registry', (stack) => {
  let run: OfflineRun;
  beforeAll(async () => {
    run = await renderStack(stack);
  });

  it('has one repository per service in the catalog', () => {
    const names = ofType(run, 'aws:ecr/repository:Repository').map((repository) => repository.inputs.name);
    expect(names.sort()).toEqual([`slipway-${stack}/api`, `slipway-${stack}/web`, `slipway-${stack}/worker`]);
  });

  it(`uses immutable tags, scans on push, encrypts with the data key and ${stack === 'dev' ? 'can' : 'cannot'} be force-deleted`, () => {
    for (const repository of ofType(run, 'aws:ecr/repository:Repository')) {
      expect(repository.inputs).toMatchObject({
        imageTagMutability: 'IMMUTABLE',
        imageScanningConfiguration: { scanOnPush: true },
        encryptionConfigurations: [{ encryptionType: 'KMS', kmsKey: kmsKeyArn(run, 'keys-data') }],
        forceDelete: stack === 'dev',
      });
    }
  });

  it('expires untagged images and keeps the last tagged ones, per tier', () => {
    const policies = ofType(run, 'aws:ecr/lifecyclePolicy:LifecyclePolicy');
    const repositories = ofType(run, 'aws:ecr/repository:Repository').map(
      (repository) => repository.inputs.name,
    );
    expect(policies.map((policy) => policy.inputs.repository).sort()).toEqual(repositories.sort());
    for (const policy of policies) {
      expect(jsonInput(policy, 'policy').rules).toEqual([
        expect.objectContaining({
          rulePriority: 1,
          selection: expect.objectContaining({
            tagStatus: 'untagged',
            countType: 'sinceImagePushed',
            countUnit: 'days',
            countNumber: retention[stack].untaggedDays,
          }),
          action: { type: 'expire' },
        }),
        expect.objectContaining({
          rulePriority: 2,
          selection: expect.objectContaining({
            tagStatus: 'tagged',
            countType: 'imageCountMoreThan',
            countNumber: retention[stack].keepTagged,
          }),
          action: { type: 'expire' },
        }),
      ]);
    }
  });
});

describe("a registry's repository policy for other accounts (one account per environment)", () => {
  it('is absent when no other account needs the repositories', () => {
    expect(crossAccountPolicy(undefined)).toBeUndefined();
    expect(crossAccountPolicy({ pushers: [], pullers: [] })).toBeUndefined();
  });

  it('lets the pushers push and read, and the pullers read only', () => {
    const publish = 'arn:aws:iam::123456789012:role/slipway-publish';
    const prod = 'arn:aws:iam::210987654321:role/slipway-deploy-prod';
    const policy = JSON.parse(crossAccountPolicy({ pushers: [publish], pullers: [prod] }) ?? '{}') as {
      Statement: { Principal: { AWS: string[] }; Action: string[] }[];
    };
    const [push, pull] = policy.Statement;
    expect(push?.Principal.AWS).toEqual([publish]);
    expect(push?.Action).toEqual(expect.arrayContaining(['ecr:PutImage', 'ecr:BatchGetImage']));
    expect(pull?.Principal.AWS).toEqual([prod]);
    expect(pull?.Action).not.toContain('ecr:PutImage');
    expect(pull?.Action).toContain('ecr:BatchGetImage');
  });
});
