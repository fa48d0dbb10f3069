import { addonCharts } from '../../infra/addons';
import type { OfflineRun, RecordedResource } from '../../offline/engine';
import { renderStack, stacks } from '../support/render';
import { accountId, decide } from '../support/iam';
import { jsonInput, named, ofType } from '../support/resources';
import { kubeObject, roleOf, statements } from './workloads/objects';

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
      enableWafv2: true,
      enableWaf: false,
      // On everything it creates, in the create call: its policy requires them (tag on create).
      defaultTags: { project: 'slipway', stack, tier: stack },
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

  describe('the load balancer controller policy, evaluated by the IAM simulator', () => {
    const other = stack === 'prod' ? 'dev' : 'prod';
    const elb = `arn:aws:elasticloadbalancing:eu-west-1:${accountId}`;
    const cluster = (name: string) => ({ 'aws:ResourceTag/elbv2.k8s.aws/cluster': `slipway-${name}` });
    const requests = (owner: string) =>
      [
        [
          'elasticloadbalancing:ModifyListener',
          `${elb}:listener/app/slipway-${owner}/50dc6c495c0c9188/f2f7dc8efc522ab2`,
          {},
        ],
        [
          'elasticloadbalancing:ModifyRule',
          `${elb}:listener-rule/app/slipway-${owner}/50dc6c495c0c9188/f2f7dc8efc522ab2/9683b2d02a6cabee`,
          {},
        ],
        [
          'elasticloadbalancing:SetRulePriorities',
          `${elb}:listener-rule/app/slipway-${owner}/50dc6c495c0c9188/f2f7dc8efc522ab2/9683b2d02a6cabee`,
          {},
        ],
        [
          'elasticloadbalancing:CreateListener',
          `${elb}:loadbalancer/app/slipway-${owner}/50dc6c495c0c9188`,
          {},
        ],
        [
          'elasticloadbalancing:DeleteLoadBalancer',
          `${elb}:loadbalancer/app/slipway-${owner}/50dc6c495c0c9188`,
          cluster(owner),
        ],
        [
          'elasticloadbalancing:RegisterTargets',
          `${elb}:targetgroup/k8s-slipway-api-6d2f3c1a9b/73e2d6bc24d8a067`,
          cluster(owner),
        ],
        [
          'ec2:AuthorizeSecurityGroupIngress',
          `arn:aws:ec2:eu-west-1:${accountId}:security-group/sg-0a1b2c3d4e5f60718`,
          cluster(owner),
        ],
      ] as const;
    let policy: unknown;
    beforeAll(() => {
      const found = roleOf(run, 'addons-aws-load-balancer-controller').policy;
      if (!found) throw new Error('no load balancer controller policy');
      policy = jsonInput(found, 'policy');
    });

    it.each(requests(stack))("lets it %s on its own cluster's %s", async (action, resource, context) => {
      expect(await decide(policy, action, resource, context)).toBe('Allowed');
    });

    it.each(requests(other))(
      `refuses it %s on the ${other} cluster's %s`,
      async (action, resource, context) => {
        expect(await decide(policy, action, resource, context)).toBe('ImplicitlyDenied');
      },
    );

    it.each([
      [
        'elasticloadbalancing:CreateLoadBalancer',
        `${elb}:loadbalancer/app/slipway-${stack}/50dc6c495c0c9188`,
      ],
      [
        'elasticloadbalancing:CreateTargetGroup',
        `${elb}:targetgroup/k8s-slipway-api-6d2f3c1a9b/73e2d6bc24d8a067`,
      ],
      ['ec2:CreateSecurityGroup', `arn:aws:ec2:eu-west-1:${accountId}:security-group/*`],
    ])('lets it %s only with its own cluster tag and the stack tags', async (action, resource) => {
      const stackTags = { 'aws:RequestTag/project': 'slipway', 'aws:RequestTag/tier': stack };
      const create = (cluster: string, tagStack?: string) =>
        decide(policy, action, resource, {
          'aws:RequestTag/elbv2.k8s.aws/cluster': cluster,
          ...stackTags,
          ...(tagStack ? { 'aws:RequestTag/stack': tagStack } : {}),
        });
      expect(await create(`slipway-${stack}`, stack)).toBe('Allowed');
      expect(await create(`slipway-${other}`, stack)).toBe('ImplicitlyDenied');
      // Without the stack tag (the chart's defaultTags), or with another stack's, it creates nothing.
      expect(await create(`slipway-${stack}`)).toBe('ImplicitlyDenied');
      expect(await create(`slipway-${stack}`, other)).toBe('ImplicitlyDenied');
    });
  });

  it('runs the secrets operator with no AWS identity and serves no cluster-wide secret store', () => {
    const operator = values(release('external-secrets'));
    expect(operator).toMatchObject({
      installCRDs: true,
      serviceAccount: { name: 'external-secrets' },
      processClusterStore: false,
      processClusterExternalSecret: false,
    });
    // Each service's SecretStore authenticates as that service's reader account (the apps'): the
    // operator's own account carries no role, so by itself it reads no secret.
    expect((operator.serviceAccount as Record<string, unknown>).annotations).toBeUndefined();
    expect(
      run.resources.filter((r) => (r.inputs as { kind?: string }).kind === 'ClusterSecretStore'),
    ).toEqual([]);
    expect(kubeObject(run, 'Namespace', 'external-secrets').metadata.labels).toMatchObject({
      'pod-security.kubernetes.io/enforce': 'restricted',
    });
  });

  it('gives metrics-server, which calls no AWS API, and the secrets operator no IAM role', () => {
    expect(values(release('metrics-server'))).toMatchObject({
      replicas: 2,
      podDisruptionBudget: { enabled: true },
    });
    const addonRoles = ofType(run, 'aws:iam/role:Role').filter((r) => r.name.startsWith('addons-'));
    expect(addonRoles.map((r) => r.name)).toEqual(['addons-aws-load-balancer-controller-role']);
  });
});
