import { readFileSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import type { OfflineRun } from '../../offline/engine';
import { copyProject } from '../../offline/project-copy';
import { runPlatform } from '../../offline/projects';
import { ofType } from '../support/resources';

const prodAccount = '210987654321';

describe('the plan of a stack slipway.yaml places in its own account', () => {
  let dir: string;
  let prod: OfflineRun;
  beforeAll(async () => {
    dir = copyProject();
    const file = join(dir, 'slipway.yaml');
    writeFileSync(
      file,
      readFileSync(file, 'utf8').replace('  prod:\n', `  prod:\n    account: '${prodAccount}'\n`),
    );
    prod = await runPlatform({ repoDir: dir, stack: 'prod' });
  });
  afterAll(() => rmSync(dir, { recursive: true, force: true }));

  it("renders with that account's credentials: its apps role is prod's account's", () => {
    const [cluster] = ofType(prod, 'eks:index:Cluster');
    const entries = cluster?.inputs.accessEntries as Record<string, { principalArn: string }>;
    expect(entries.apps?.principalArn).toBe(`arn:aws:iam::${prodAccount}:role/slipway-deploy-prod`);
    // The role @pulumi/eks makes inside its component is made in that account too.
    const eksRoles = ofType(prod, 'aws:iam/role:Role').filter((r) =>
      r.parent?.startsWith('eks:index:Cluster::'),
    );
    expect(eksRoles.map((r) => String(r.computed?.arn).split(':')[4])).toEqual([prodAccount]);
  });

  it("lets the home account's publish role and apps roles into prod's repositories", () => {
    const policies = ofType(prod, 'aws:ecr/repositoryPolicy:RepositoryPolicy');
    expect(policies).toHaveLength(ofType(prod, 'aws:ecr/repository:Repository').length);
    const statements = (
      JSON.parse(String(policies[0]?.inputs.policy)) as {
        Statement: { Sid: string; Principal: { AWS: string[] } }[];
      }
    ).Statement.map((s) => [s.Sid, s.Principal.AWS]);
    expect(statements).toEqual([
      ['PushFromOtherAccounts', ['arn:aws:iam::123456789012:role/slipway-publish']],
      [
        'PullFromOtherAccounts',
        [
          'arn:aws:iam::123456789012:role/slipway-deploy-dev',
          'arn:aws:iam::123456789012:role/slipway-deploy-staging',
        ],
      ],
    ]);
  });
});
