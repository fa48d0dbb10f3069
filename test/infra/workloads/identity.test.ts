import type { OfflineRun } from '../../../offline/engine';
import { renderEnvironment, stacks } from '../../support/render';
import { accountId, decide } from '../../support/iam';
import { allowedEdges, matrixWorld } from '../../support/reachability-matrix';
import { jsonInput, ofType } from '../../support/resources';
import {
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

  const withRole = config.services.filter((service) => service.aws.length > 0);
  const withoutRole = config.services.filter((service) => service.aws.length === 0);

  it.each(config.services.map((s) => [s.name, s] as const))(
    '%s runs as its own service account, with a token only when it reads the API',
    (name, service) => {
      const account = kubeObject(run, 'ServiceAccount', name);
      expect(account.automountServiceAccountToken).toBe(service.readsMetrics);
      const pod = (
        kubeObject(run, 'Deployment', name).spec as { template: { spec: Record<string, unknown> } }
      ).template.spec;
      expect(pod.serviceAccountName).toBe(name);
      expect(pod.automountServiceAccountToken).toBe(service.readsMetrics);
    },
  );

  it('creates a role only for the services that declare AWS grants', () => {
    expect(withRole.map((s) => s.name)).toEqual(['worker']);
    // The pods' roles; a SecretStore's reader role (the secrets test's subject) serves no pod.
    const serviceRoles = ofType(run, 'aws:iam/role:Role').filter(
      (role) => role.name.startsWith('workloads-') && !role.name.endsWith('-secret-reader-role'),
    );
    expect(serviceRoles.map((role) => role.name)).toEqual(withRole.map((s) => `workloads-${s.name}-role`));
    for (const service of withoutRole) {
      expect(kubeObject(run, 'ServiceAccount', service.name).metadata.annotations).toBeUndefined();
    }
  });

  it.each(withRole.map((s) => [s.name] as const))(
    '%s has a role only its own service account can assume, through the cluster OIDC provider',
    (name) => {
      const { role } = roleOf(run, `workloads-${name}`);
      expect(role.inputs.name).toBe(`slipway-${stack}-app-${name}`);
      expect(
        kubeObject(run, 'ServiceAccount', name).metadata.annotations?.['eks.amazonaws.com/role-arn'],
      ).toBe(`arn:aws:iam::123456789012:role/slipway-${stack}-app-${name}`);
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
    },
  );

  it('gives worker exactly the AWS permissions the catalog declares, and no secret', async () => {
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
    const document = jsonInput(policy, 'policy');
    const queue = `arn:aws:sqs:eu-west-1:${accountId}:slipway-jobs`;
    expect(await decide(document, 'sqs:ReceiveMessage', queue)).toBe('Allowed');
    expect(await decide(document, 'sqs:SendMessage', queue)).toBe('ImplicitlyDenied');
    expect(
      await decide(document, 'secretsmanager:GetSecretValue', secretArn(run, `slipway-${stack}/api`)),
    ).toBe('ImplicitlyDenied');
  });

  it('cuts no pod with an AWS role off from STS: each reaches it by endpoint or through NAT', () => {
    const allowed = allowedEdges(matrixWorld(run, config.services));
    // The accounts pods run as; a SecretStore's reader account is the operator's to use, never a pod's.
    const podAccounts = new Set(
      objectsOfKind(run, 'Deployment').map(
        (d) =>
          (d.spec as { template: { spec: { serviceAccountName: string } } }).template.spec.serviceAccountName,
      ),
    );
    const roleAccounts = objectsOfKind(run, 'ServiceAccount').filter(
      (account) =>
        podAccounts.has(account.metadata.name) &&
        account.metadata.annotations?.['eks.amazonaws.com/role-arn'],
    );
    expect(roleAccounts.map((account) => account.metadata.name)).toEqual(withRole.map((s) => s.name));
    const hasStsEndpoint = ofType(run, 'aws:ec2/vpcEndpoint:VpcEndpoint').some((endpoint) =>
      String(endpoint.inputs.serviceName).endsWith('.sts'),
    );
    for (const account of roleAccounts) {
      const sts = hasStsEndpoint ? 'aws-endpoints' : 'internet';
      expect(allowed).toContain(`${account.metadata.name} → ${sts}:443/TCP`);
    }
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
