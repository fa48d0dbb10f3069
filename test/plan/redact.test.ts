import * as pulumi from '@pulumi/pulumi';
import { looksSecret, redactSecrets } from '../../plan/redact';

describe('redactSecrets', () => {
  it('replaces values of secret-looking keys and keeps references to secrets readable', () => {
    expect(
      redactSecrets({
        masterPassword: 'p4ss',
        PAYMENT_API_KEY: 'sk_live_1',
        kubeconfig: '{"users":[]}',
        secretArn: 'arn:aws:secretsmanager:eu-west-1:1:secret:x',
        masterUserSecretKmsKeyId: 'key-1',
        manageMasterUserPassword: true,
        volumes: [{ secret: { secretName: 'api' } }],
      }),
    ).toEqual({
      masterPassword: '[secret]',
      PAYMENT_API_KEY: '[secret]',
      kubeconfig: '[secret]',
      secretArn: 'arn:aws:secretsmanager:eu-west-1:1:secret:x',
      masterUserSecretKmsKeyId: 'key-1',
      manageMasterUserPassword: true,
      volumes: [{ secret: { secretName: 'api' } }],
    });
  });

  it('redacts the value of an env entry whose name looks secret, and not its name', () => {
    expect(
      redactSecrets({
        env: [
          { name: 'DB_TOKEN', value: 't0k' },
          { name: 'LOG_LEVEL', value: 'info' },
        ],
      }),
    ).toEqual({
      env: [
        { name: 'DB_TOKEN', value: '[secret]' },
        { name: 'LOG_LEVEL', value: 'info' },
      ],
    });
  });

  it('turns values wrapped as Pulumi secrets into the placeholder and drops bookkeeping keys', () => {
    const envelope = { [pulumi.runtime.specialSigKey]: pulumi.runtime.specialSecretSig, value: 'abc' };
    expect(redactSecrets({ userData: envelope, __defaults: [] })).toEqual({ userData: '[secret]' });
  });

  it('keeps the keys of a Kubernetes Secret and redacts every value', () => {
    expect(redactSecrets({ apiVersion: 'v1', kind: 'Secret', data: { URL: 'cG9zdGdyZXM=' } })).toEqual({
      apiVersion: 'v1',
      kind: 'Secret',
      data: { URL: '[secret]' },
    });
  });

  it('redacts a password inside a URL under any key and keeps the rest of the URL', () => {
    expect(
      redactSecrets({
        env: [{ name: 'DATABASE_URL', value: 'postgres://app:hunter2@db.internal:5432/app' }],
        endpoint: 'https://api.example.com:443/v1?x=1',
      }),
    ).toEqual({
      env: [{ name: 'DATABASE_URL', value: 'postgres://app:[secret]@db.internal:5432/app' }],
      endpoint: 'https://api.example.com:443/v1?x=1',
    });
  });

  it('tells secret names from names of secrets', () => {
    expect(['clientSecret', 'aws_secret_access_key', 'token', 'privateKey'].map(looksSecret)).toEqual([
      true,
      true,
      true,
      true,
    ]);
    expect(['secretName', 'secretKeyRef', 'tokenTtl', 'keyId'].map(looksSecret)).toEqual([
      false,
      false,
      false,
      false,
    ]);
  });
});
