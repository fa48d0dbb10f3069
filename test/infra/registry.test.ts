import type { OfflineRun } from '../../offline/engine';
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { crossAccountPolicy, Registry } from '../../infra/registry';
import { runOffline } from '../../offline/engine';
import { scratchDir } from '../support/scratch';
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

describe("the Registry component with other accounts' roles (one account per environment)", () => {
  const projectDir = scratchDir('slipway-registry');
  writeFileSync(join(projectDir, 'Pulumi.yaml'), 'name: standin\nruntime: nodejs\n');
  writeFileSync(join(projectDir, 'Pulumi.t.yaml'), 'config:\n  aws:region: eu-west-1\n');
  const render = (otherAccounts?: { pushers: string[]; pullers: string[] }) =>
    runOffline({
      projectDir,
      stack: 't',
      program: async () => {
        new Registry('registry', {
          prefix: 'standin-t',
          services: ['api', 'web'],
          config: {
            untaggedExpiryDays: 3,
            keepTaggedImages: 20,
            ...(otherAccounts ? { otherAccounts } : {}),
          },
          kmsKeyArn: 'arn:aws:kms:eu-west-1:123456789012:key/standin',
          forceDelete: false,
          tags: { stack: 't' },
        });
        return {};
      },
    });

  it('puts the policy on every repository, and none when no other account needs them', async () => {
    const pullers = ['arn:aws:iam::210987654321:role/standin-deploy-prod'];
    const shared = await render({ pushers: [], pullers });
    const policies = ofType(shared, 'aws:ecr/repositoryPolicy:RepositoryPolicy');
    expect(policies.map((p) => p.inputs.repository).sort()).toEqual(['standin-t/api', 'standin-t/web']);
    for (const policy of policies)
      expect(policy.inputs.policy).toBe(crossAccountPolicy({ pushers: [], pullers }));
    expect(ofType(await render(), 'aws:ecr/repositoryPolicy:RepositoryPolicy')).toEqual([]);
  });
});
