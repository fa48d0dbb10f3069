import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { accountsOf } from '../../../action/src/pipeline/accounts';
import { loadPipeline } from '../../../action/src/pipeline/load';
import { loadSettings } from '../../../infra/settings/load';

const repoRoot = join(__dirname, '..', '..', '..');
const pipelineText = readFileSync(join(repoRoot, 'pipeline.yaml'), 'utf8');
const settingsText = readFileSync(join(repoRoot, 'slipway.yaml'), 'utf8');

describe("each environment's account, for the jobs outside its GitHub environment", () => {
  it('names one account, read role, preview role and state bucket while every environment shares one', () => {
    const accounts = accountsOf(loadPipeline(pipelineText, 'pipeline.yaml', loadSettings(settingsText)));
    expect(Object.keys(accounts)).toEqual(['dev', 'staging', 'prod']);
    expect(new Set(Object.values(accounts).map((a) => JSON.stringify(a)))).toEqual(
      new Set([
        JSON.stringify({
          account: '123456789012',
          readRole: 'arn:aws:iam::123456789012:role/slipway-read',
          previewRole: 'arn:aws:iam::123456789012:role/slipway-preview',
          backendUrl: 's3://slipway-pulumi-state-123456789012-eu-west-1?region=eu-west-1',
        }),
      ]),
    );
  });

  it("gives prod its own account's roles and state bucket when slipway.yaml places it there", () => {
    const settings = loadSettings(
      settingsText.replace('  prod:\n', "  prod:\n    account: '210987654321'\n"),
    );
    const accounts = accountsOf(loadPipeline(pipelineText, 'pipeline.yaml', settings));
    expect(accounts.prod).toEqual({
      account: '210987654321',
      readRole: 'arn:aws:iam::210987654321:role/slipway-read',
      previewRole: 'arn:aws:iam::210987654321:role/slipway-preview',
      backendUrl: 's3://slipway-pulumi-state-210987654321-eu-west-1?region=eu-west-1',
    });
    expect(accounts.staging?.readRole).toBe('arn:aws:iam::123456789012:role/slipway-read');
  });
});
