import { addonCharts } from '../../infra/addons';
import type { OfflineRun, RecordedResource } from '../../offline/engine';
import { renderStack, stacks } from '../support/render';
import { kmsKeyArn, named, ofType } from '../support/resources';
import { asList, kubeObject, roleOf, secretArn, statements } from './workloads/objects';

describe.each(stacks)('the %s cluster add-ons', (stack) => {
  let run: OfflineRun;
  beforeAll(async () => {
    run = await renderStack(stack);
  });
  const release = (name: string) => named(run, 'kubernetes:helm.sh/v3:Release', `addons-${name}`);
  const values = (resource: RecordedResource) => resource.inputs.values as Record<string, unknown>;
  const trustedSubject = (owner: string) => {
    const [trust] = statements(roleOf(run, owner).role, 'assumeRolePolicy');
    return Object.entries(trust?.Condition?.StringEquals ?? {}).find(([key]) => key.endsWith(':sub'))?.[1];
  };

  it('installs the three charts at exact pinned versions from their own repositories', () => {
    const releases = ofType(run, 'kubernetes:helm.sh/v3:Release');
    expect(
      releases
        .map((r) => [r.inputs.chart, r.inputs.version, (r.inputs.repositoryOpts as { repo: string }).repo])
        .sort(),
    ).toEqual([
      ['aws-load-balancer-controller', '1.14.0', 'https://aws.github.io/eks-charts'],
      ['external-secrets', '2.9.0', 'https://charts.external-secrets.io'],
      ['metrics-server', '3.12.2', 'https://kubernetes-sigs.github.io/metrics-server/'],
    ]);
    for (const chart of Object.values(addonCharts)) expect(chart.version).toMatch(/^\d+\.\d+\.\d+$/);
  });

  it('runs the load balancer controller for this cluster and VPC as its own IRSA role', () => {
    expect(values(release('aws-load-balancer-controller'))).toMatchObject({
      clusterName: `slipway-${stack}`,
      region: 'eu-west-1',
      vpcId: named(run, 'aws:ec2/vpc:Vpc', 'network-vpc').id,
      serviceAccount: {
        name: 'aws-load-balancer-controller',
        annotations: {
          'eks.amazonaws.com/role-arn': `arn:aws:iam::123456789012:role/slipway-${stack}-aws-load-balancer-controller`,
        },
      },
    });
    expect(trustedSubject('addons-aws-load-balancer-controller')).toBe(
      'system:serviceaccount:kube-system:aws-load-balancer-controller',
    );
  });

  it('lets the load balancer controller change only what it tagged as its own', () => {
    const { policy } = roleOf(run, 'addons-aws-load-balancer-controller');
    if (!policy) throw new Error('no load balancer controller policy');
    const granted = statements(policy, 'policy');
    const actions = granted.flatMap((s) => asList(s.Action));
    expect(actions.filter((a) => a === '*' || a.endsWith(':*'))).toEqual([]);
    // The workloads' Ingresses share one ALB ordered by group.order: the controller must set priorities.
    expect(actions).toContain('elasticloadbalancing:SetRulePriorities');
    const deletes = granted.filter((s) =>
      asList(s.Action).some(
        (a) => a === 'ec2:DeleteSecurityGroup' || a === 'elasticloadbalancing:DeleteLoadBalancer',
      ),
    );
    expect(deletes.length).toBeGreaterThan(0);
    for (const statement of deletes) {
      expect(statement.Condition).toEqual({ Null: { 'aws:ResourceTag/elbv2.k8s.aws/cluster': 'false' } });
    }
  });

  it('runs the secrets operator as its own IRSA role, reading only the workload secrets', () => {
    expect(values(release('external-secrets'))).toMatchObject({
      installCRDs: true,
      serviceAccount: {
        name: 'external-secrets',
        annotations: {
          'eks.amazonaws.com/role-arn': `arn:aws:iam::123456789012:role/slipway-${stack}-external-secrets`,
        },
      },
    });
    expect(trustedSubject('addons-external-secrets')).toBe(
      'system:serviceaccount:external-secrets:external-secrets',
    );
    const { policy } = roleOf(run, 'addons-external-secrets');
    if (!policy) throw new Error('no external secrets policy');
    const [read, decrypt] = statements(policy, 'policy');
    expect(read).toMatchObject({
      Action: ['secretsmanager:GetSecretValue', 'secretsmanager:DescribeSecret'],
    });
    expect(asList(read?.Resource ?? [])).toEqual(
      [secretArn(run, `slipway-${stack}/api`), String(run.outputs.databaseSecretArn)].sort(),
    );
    expect(decrypt).toMatchObject({
      Action: 'kms:Decrypt',
      Resource: kmsKeyArn(run, 'keys-data'),
      Condition: { StringEquals: { 'kms:ViaService': 'secretsmanager.eu-west-1.amazonaws.com' } },
    });
  });

  it('serves the cluster secret store to the workload namespace only, authenticated by IRSA', () => {
    const store = kubeObject(run, 'ClusterSecretStore', 'aws-secrets-manager');
    expect(store.spec).toEqual({
      provider: {
        aws: {
          service: 'SecretsManager',
          region: 'eu-west-1',
          auth: { jwt: { serviceAccountRef: { name: 'external-secrets', namespace: 'external-secrets' } } },
        },
      },
      conditions: [{ namespaces: [`slipway-${stack}`] }],
    });
    expect(kubeObject(run, 'Namespace', 'external-secrets').metadata.labels).toMatchObject({
      'pod-security.kubernetes.io/enforce': 'restricted',
    });
  });

  it('gives metrics-server, which calls no AWS API, no IAM role', () => {
    expect(values(release('metrics-server'))).toMatchObject({
      replicas: 2,
      podDisruptionBudget: { enabled: true },
    });
    const addonRoles = ofType(run, 'aws:iam/role:Role').filter((r) => r.name.startsWith('addons-'));
    expect(addonRoles.map((r) => r.name).sort()).toEqual([
      'addons-aws-load-balancer-controller-role',
      'addons-external-secrets-role',
    ]);
  });
});
