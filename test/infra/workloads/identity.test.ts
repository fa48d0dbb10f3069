import type { OfflineRun } from '../../../offline/engine';
import { renderEnvironment, stacks } from '../../support/render';
import { kmsKeyArn } from '../../support/resources';
import {
  asList,
  configOf,
  kubeObject,
  objectsOfKind,
  roleOf,
  secretArn,
  statements,
  workloadNamespace,
} from './objects';

describe.each(stacks)('the %s service identities', (stack) => {
  let run: OfflineRun;
  const namespace = workloadNamespace(stack);
  const config = configOf(stack);
  beforeAll(async () => {
    run = await renderEnvironment(stack);
  });

  describe.each(config.services.map((s) => [s.name, s] as const))('%s', (name, service) => {
    it('has a service account bound to its own IRSA role, with a token only when it reads the API', () => {
      const account = kubeObject(run, 'ServiceAccount', name);
      expect(account.metadata.annotations?.['eks.amazonaws.com/role-arn']).toBe(
        `arn:aws:iam::123456789012:role/slipway-${stack}-${name}`,
      );
      expect(account.automountServiceAccountToken).toBe(service.readsMetrics);
      const pod = (
        kubeObject(run, 'Deployment', name).spec as { template: { spec: Record<string, unknown> } }
      ).template.spec;
      expect(pod.serviceAccountName).toBe(name);
      expect(pod.automountServiceAccountToken).toBe(service.readsMetrics);
    });

    it('has a role only its own service account can assume, through the cluster OIDC provider', () => {
      const { role } = roleOf(run, `workloads-${name}`);
      expect(role.inputs.name).toBe(`slipway-${stack}-${name}`);
      const [trust, ...others] = statements(role, 'assumeRolePolicy');
      expect(others).toEqual([]);
      expect(trust?.Action).toBe('sts:AssumeRoleWithWebIdentity');
      const federated = String(trust?.Principal?.Federated);
      const issuer = federated.replace(/^arn:aws:iam::123456789012:oidc-provider\//, '');
      expect(issuer).toMatch(/^oidc\.eks\.eu-west-1\.amazonaws\.com\/id\/[0-9A-F]{32}$/);
      expect(trust?.Condition?.StringEquals).toEqual({
        [`${issuer}:sub`]: `system:serviceaccount:${namespace}:${name}`,
        [`${issuer}:aud`]: 'sts.amazonaws.com',
      });
    });
  });

  it('lets api read its own secret and nothing else: not the database secret, not another service', () => {
    const { policy } = roleOf(run, 'workloads-api');
    if (!policy) throw new Error('api has no role policy');
    const own = secretArn(run, `slipway-${stack}/api`);
    const granted = statements(policy, 'policy');
    expect(granted.map((s) => s.Sid)).toEqual(['ReadOwnSecret', 'DecryptOwnSecret']);
    expect(granted[0]).toMatchObject({
      Action: ['secretsmanager:GetSecretValue', 'secretsmanager:DescribeSecret'],
      Resource: own,
    });
    expect(granted[1]).toMatchObject({
      Action: 'kms:Decrypt',
      Resource: kmsKeyArn(run, 'keys-data'),
      Condition: {
        StringEquals: {
          'kms:ViaService': 'secretsmanager.eu-west-1.amazonaws.com',
          'kms:EncryptionContext:SecretARN': own,
        },
      },
    });
    expect(granted.flatMap((s) => asList(s.Resource)).some((r) => r.includes('rds!'))).toBe(false);
  });

  it('gives worker exactly the AWS permissions the catalog declares', () => {
    const { policy } = roleOf(run, 'workloads-worker');
    if (!policy) throw new Error('worker has no role policy');
    const worker = config.services.find((s) => s.name === 'worker');
    expect(statements(policy, 'policy')).toEqual(
      worker?.aws.map((grant, index) => ({
        Sid: `Declared${index}`,
        Effect: 'Allow',
        Action: grant.actions,
        Resource: grant.resources,
      })),
    );
  });

  it('gives web, which needs no AWS access, a role with no permissions', () => {
    expect(roleOf(run, 'workloads-web').policy).toBeUndefined();
  });

  it('lets worker, which reads pod metrics, get and list pod metrics in its namespace only', () => {
    expect(objectsOfKind(run, 'Role').map((r) => r.metadata.name)).toEqual(['worker-metrics-reader']);
    const role = kubeObject(run, 'Role', 'worker-metrics-reader');
    expect(role.metadata.namespace).toBe(namespace);
    expect(role.rules).toEqual([
      { apiGroups: ['metrics.k8s.io'], resources: ['pods'], verbs: ['get', 'list'] },
    ]);
    const binding = kubeObject(run, 'RoleBinding', 'worker-metrics-reader');
    expect(binding.roleRef).toEqual({
      apiGroup: 'rbac.authorization.k8s.io',
      kind: 'Role',
      name: 'worker-metrics-reader',
    });
    expect(binding.subjects).toEqual([{ kind: 'ServiceAccount', name: 'worker', namespace }]);
  });
});
