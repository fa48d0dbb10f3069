import type { OfflineRun } from '../../offline/engine';
import { renderStack, stacks } from '../support/render';
import { jsonInput, kmsKeyArn, named, ofType } from '../support/resources';

const recoveryWindow = { dev: 0, staging: 7, prod: 30 };

describe.each(stacks)('the %s keys and secrets', (stack) => {
  let run: OfflineRun;
  beforeAll(async () => {
    run = await renderStack(stack);
  });

  it('creates a cluster key and a data key, both rotated', () => {
    const keys = ofType(run, 'aws:kms/key:Key');
    expect(keys.map((key) => key.name).sort()).toEqual(['keys-cluster', 'keys-data']);
    for (const key of keys) expect(key.inputs.enableKeyRotation).toBe(true);
  });

  it('keeps the cluster key to account administration; lets Logs and Auto Scaling use the data key', () => {
    const statementsOf = (name: string) =>
      (
        jsonInput(named(run, 'aws:kms/key:Key', name), 'policy').Statement as {
          Sid: string;
          Principal: unknown;
        }[]
      ).map((statement) => statement.Sid);
    expect(statementsOf('keys-cluster')).toEqual(['AccountAdministers']);
    expect(statementsOf('keys-data')).toEqual([
      'AccountAdministers',
      'CloudWatchLogsEncrypt',
      'AutoScalingUsesKeyForVolumes',
    ]);
    const logs = (
      jsonInput(named(run, 'aws:kms/key:Key', 'keys-data'), 'policy').Statement as Record<string, unknown>[]
    )[1];
    expect(logs).toMatchObject({
      Principal: { Service: 'logs.eu-west-1.amazonaws.com' },
      Condition: {
        ArnLike: { 'kms:EncryptionContext:aws:logs:arn': 'arn:aws:logs:eu-west-1:123456789012:log-group:*' },
      },
    });
  });

  it('creates a secret only for services that declare secrets, encrypted with the data key', () => {
    const secrets = ofType(run, 'aws:secretsmanager/secret:Secret').filter(
      (secret) => secret.parent === 'slipway:platform:Keys::keys',
    );
    expect(secrets.map((secret) => secret.inputs.name)).toEqual([`slipway-${stack}/api`]);
    expect(secrets[0]?.inputs).toMatchObject({
      kmsKeyId: kmsKeyArn(run, 'keys-data'),
      recoveryWindowInDays: recoveryWindow[stack],
    });
  });

  it("writes no value into the services' own secrets (they are set out of band)", () => {
    const versions = ofType(run, 'aws:secretsmanager/secretVersion:SecretVersion');
    expect(versions.filter((version) => !String(version.parent).startsWith('slipway:data:'))).toEqual([]);
    for (const secret of ofType(run, 'aws:secretsmanager/secret:Secret')) {
      expect(secret.inputs).not.toHaveProperty('secretString');
    }
  });

  it('denies every principal outside the account and every call without TLS', () => {
    const policy = named(run, 'aws:secretsmanager/secretPolicy:SecretPolicy', 'keys-api-policy');
    expect(policy.inputs.secretArn).toMatch(
      new RegExp(`^arn:aws:secretsmanager:eu-west-1:123456789012:secret:slipway-${stack}/api-`),
    );
    expect(policy.inputs.blockPublicPolicy).toBe(true);
    expect(jsonInput(policy, 'policy').Statement).toEqual([
      expect.objectContaining({
        Effect: 'Deny',
        Condition: { StringNotEquals: { 'aws:PrincipalAccount': '123456789012' } },
      }),
      expect.objectContaining({ Effect: 'Deny', Condition: { Bool: { 'aws:SecureTransport': 'false' } } }),
    ]);
  });
});
