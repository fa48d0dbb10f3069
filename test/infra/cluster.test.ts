import { specialSecretSig, specialSigKey } from '@pulumi/pulumi/runtime/rpc';
import { amiTypeFor } from '../../infra/cluster';
import type { OfflineRun, RecordedResource } from '../../offline/engine';
import { renderStack, type StackName } from '../support/render';
import { accountId, decide } from '../support/iam';
import { jsonInput, kmsKeyArn, named, ofType } from '../support/resources';

const expected: Record<
  StackName,
  {
    publicAccessCidrs: string[];
    instanceTypes: string[];
    capacityType: string;
    sizes: number[];
    disk: number;
  }
> = {
  dev: {
    publicAccessCidrs: ['203.0.113.0/24'],
    instanceTypes: ['t3.large'],
    capacityType: 'SPOT',
    sizes: [1, 2, 4],
    disk: 50,
  },
  staging: {
    publicAccessCidrs: ['203.0.113.0/24'],
    instanceTypes: ['m6i.large'],
    capacityType: 'ON_DEMAND',
    sizes: [3, 3, 6],
    disk: 50,
  },
  prod: {
    publicAccessCidrs: [],
    instanceTypes: ['m6i.xlarge'],
    capacityType: 'ON_DEMAND',
    sizes: [3, 3, 12],
    disk: 100,
  },
};

describe.each(Object.keys(expected) as StackName[])('the %s cluster', (stack) => {
  const want = expected[stack];
  let run: OfflineRun;
  let eks: RecordedResource;
  const subnetIds = (tier: string) =>
    ofType(run, 'aws:ec2/subnet:Subnet')
      .filter((subnet) => subnet.name.startsWith(`network-${tier}-`))
      .map((subnet) => subnet.id);

  beforeAll(async () => {
    run = await renderStack(stack);
    eks = named(run, 'eks:index:Cluster', 'cluster-eks');
  });

  it('places the control plane in subnets of its own, apart from the nodes and pods', () => {
    expect(eks.inputs).toMatchObject({
      name: `slipway-${stack}`,
      vpcId: named(run, 'aws:ec2/vpc:Vpc', 'network-vpc').id,
      privateSubnetIds: subnetIds('control-plane'),
      nodeAssociatePublicIpAddress: false,
      version: '1.33',
    });
    // Given public subnets too, EKS may put its network interfaces there: the ALB finds them by tag.
    expect(eks.inputs).not.toHaveProperty('publicSubnetIds');
    for (const group of ofType(run, 'aws:eks/nodeGroup:NodeGroup')) {
      expect(group.inputs.subnetIds).toEqual(subnetIds('private'));
    }
  });

  it(`keeps the private endpoint on and the public one ${want.publicAccessCidrs.length ? 'limited to the configured CIDRs' : 'off'}`, () => {
    expect(eks.inputs.endpointPrivateAccess).toBe(true);
    expect(eks.inputs.endpointPublicAccess).toBe(want.publicAccessCidrs.length > 0);
    if (want.publicAccessCidrs.length) expect(eks.inputs.publicAccessCidrs).toEqual(want.publicAccessCidrs);
    else expect(eks.inputs).not.toHaveProperty('publicAccessCidrs');
  });

  it('envelope-encrypts Secrets with the cluster key and logs every control-plane component', () => {
    expect(eks.inputs.encryptionConfigKeyArn).toBe(kmsKeyArn(run, 'keys-cluster'));
    expect(eks.inputs.enabledClusterLogTypes).toEqual([
      'api',
      'audit',
      'authenticator',
      'controllerManager',
      'scheduler',
    ]);
    const logGroup = named(run, 'aws:cloudwatch/logGroup:LogGroup', 'cluster-control-plane-logs');
    expect(logGroup.inputs).toMatchObject({
      name: `/aws/eks/slipway-${stack}/cluster`,
      kmsKeyId: kmsKeyArn(run, 'keys-data'),
      retentionInDays: stack === 'dev' ? 14 : stack === 'staging' ? 90 : 365,
    });
  });

  it('creates the OIDC provider and grants the admin role and the apps role through API access entries', () => {
    expect(eks.inputs.createOidcProvider).toBe(true);
    expect(eks.inputs.authenticationMode).toBe('API');
    const tags = { project: 'slipway', stack, tier: stack };
    expect(eks.inputs.accessEntries).toEqual({
      admin: {
        principalArn: 'arn:aws:iam::123456789012:role/platform-admin',
        tags,
        accessPolicies: {
          clusterAdmin: {
            policyArn: 'arn:aws:eks::aws:cluster-access-policy/AmazonEKSClusterAdminPolicy',
            accessScope: { type: 'cluster' },
          },
        },
      },
      // The bootstrap's apps role of this environment: admin of the workloads namespace, nothing cluster-wide
      // but the group the platform binds to the namespace and priority classes.
      apps: {
        principalArn: `arn:aws:iam::123456789012:role/slipway-deploy-${stack}`,
        kubernetesGroups: ['slipway:apps-deployers'],
        tags,
        accessPolicies: {
          namespaceAdmin: {
            policyArn: 'arn:aws:eks::aws:cluster-access-policy/AmazonEKSAdminPolicy',
            accessScope: { type: 'namespace', namespaces: [`slipway-${stack}`] },
          },
        },
      },
    });
  });

  it('skips the default node group and the add-ons the component would hide', () => {
    expect(eks.inputs.skipDefaultNodeGroup).toBe(true);
    expect(eks.inputs.bootstrapSelfManagedAddons).toBe(false);
    expect(eks.inputs.corednsAddonOptions).toMatchObject({ enabled: false });
    expect(eks.inputs.kubeProxyAddonOptions).toMatchObject({ enabled: false });
  });

  it('launches nodes with IMDSv2 only (hop limit 1), an encrypted root volume and no public IP', () => {
    const [template] = ofType(run, 'aws:ec2/launchTemplate:LaunchTemplate');
    expect(template?.inputs.metadataOptions).toMatchObject({
      httpEndpoint: 'enabled',
      httpTokens: 'required',
      httpPutResponseHopLimit: 1,
    });
    expect(template?.inputs.blockDeviceMappings).toEqual([
      expect.objectContaining({
        deviceName: '/dev/xvda',
        ebs: expect.objectContaining({
          encrypted: 'true',
          kmsKeyId: kmsKeyArn(run, 'keys-data'),
          volumeSize: want.disk,
          volumeType: 'gp3',
        }),
      }),
    ]);
    expect(template?.inputs.networkInterfaces).toEqual([
      expect.objectContaining({
        associatePublicIpAddress: 'false',
        securityGroups: [expect.stringMatching(/^sg-/)],
      }),
    ]);
  });

  it('runs managed node groups across every private subnet from that launch template', () => {
    const groups = ofType(run, 'aws:eks/nodeGroup:NodeGroup');
    const [template] = ofType(run, 'aws:ec2/launchTemplate:LaunchTemplate');
    expect(groups).toHaveLength(1);
    const [minSize, desiredSize, maxSize] = want.sizes;
    expect(groups[0]?.inputs).toMatchObject({
      clusterName: `slipway-${stack}`,
      subnetIds: subnetIds('private'),
      instanceTypes: want.instanceTypes,
      capacityType: want.capacityType,
      amiType: 'AL2023_x86_64_STANDARD',
      scalingConfig: { minSize, desiredSize, maxSize },
      launchTemplate: { id: template?.id, version: '1' },
    });
    const nodeRole = named(run, 'aws:iam/role:Role', 'cluster-node-role');
    expect(groups[0]?.inputs.nodeRoleArn).toBe(`arn:aws:iam::123456789012:role/${nodeRole.id}`);
    const nodePolicies = ofType(run, 'aws:iam/rolePolicyAttachment:RolePolicyAttachment')
      .filter((attachment) => attachment.inputs.role === nodeRole.id)
      .map((attachment) => String(attachment.inputs.policyArn).split('/').pop());
    expect(nodePolicies.sort()).toEqual([
      'AmazonEC2ContainerRegistryPullOnly',
      'AmazonEKSWorkerNodePolicy',
      'AmazonSSMManagedInstanceCore',
    ]);
  });

  it('installs vpc-cni, coredns, kube-proxy and the EBS CSI driver as EKS managed add-ons', () => {
    const addons = ofType(run, 'aws:eks/addon:Addon');
    expect(addons.map((addon) => addon.inputs.addonName).sort()).toEqual([
      'aws-ebs-csi-driver',
      'coredns',
      'kube-proxy',
      'vpc-cni',
    ]);
    for (const addon of addons) expect(addon.inputs.clusterName).toBe(`slipway-${stack}`);
  });

  it('starts the VPC CNI network policy agent, so the NetworkPolicies are enforced, and configures no other add-on but the EBS CSI driver', () => {
    const vpcCni = named(run, 'aws:eks/addon:Addon', 'cluster-vpc-cni');
    // The add-on's configuration schema types the flag as the string "true", as the chart's values do.
    expect(JSON.parse(String(vpcCni.inputs.configurationValues))).toEqual({ enableNetworkPolicy: 'true' });
    const ebsCsi = named(run, 'aws:eks/addon:Addon', 'cluster-aws-ebs-csi-driver');
    const others = ofType(run, 'aws:eks/addon:Addon').filter((addon) => addon !== vpcCni && addon !== ebsCsi);
    for (const addon of others) expect(addon.inputs.configurationValues).toBeUndefined();
  });

  it.each([
    ['aws-ebs-csi-driver', 'ebs-csi-controller-sa', 'service-role/AmazonEBSCSIDriverPolicy'],
    ['vpc-cni', 'aws-node', 'AmazonEKS_CNI_Policy'],
  ])('gives the %s add-on an IRSA role only its service account can assume', (addonName, account, policy) => {
    const addon = named(run, 'aws:eks/addon:Addon', `cluster-${addonName}`);
    const role = named(run, 'aws:iam/role:Role', `cluster-${addonName}-irsa`);
    expect(addon.inputs.serviceAccountRoleArn).toBe(`arn:aws:iam::123456789012:role/${role.id}`);
    const issuer = /^oidc\.eks\.[a-z0-9-]+\.amazonaws\.com\/id\/[0-9A-F]{32}$/;
    const statement = (jsonInput(role, 'assumeRolePolicy').Statement as Record<string, unknown>[])[0];
    expect(statement).toMatchObject({
      Action: 'sts:AssumeRoleWithWebIdentity',
      Principal: {
        Federated: expect.stringMatching(/^arn:aws:iam::123456789012:oidc-provider\/oidc\.eks\./),
      },
    });
    const conditions = (statement?.Condition as { StringEquals: Record<string, string> }).StringEquals;
    const keys = Object.keys(conditions).sort();
    expect(keys.map((key) => key.replace(/:(aud|sub)$/, ''))).toEqual([
      expect.stringMatching(issuer),
      expect.stringMatching(issuer),
    ]);
    expect(conditions[keys[1] as string]).toBe(`system:serviceaccount:kube-system:${account}`);
    expect(conditions[keys[0] as string]).toBe('sts.amazonaws.com');
    const attached = ofType(run, 'aws:iam/rolePolicyAttachment:RolePolicyAttachment').filter(
      (attachment) => attachment.inputs.role === role.id,
    );
    expect(attached.map((attachment) => attachment.inputs.policyArn)).toEqual([
      `arn:aws:iam::aws:policy/${policy}`,
    ]);
  });

  it('lets the EBS CSI driver use the data key for encrypted volumes', () => {
    const policy = jsonInput(
      named(run, 'aws:iam/rolePolicy:RolePolicy', 'cluster-aws-ebs-csi-driver-kms'),
      'policy',
    );
    const allowed = (policy.Statement as { Effect: string; Resource: string }[]).filter(
      (statement) => statement.Effect === 'Allow',
    );
    expect(allowed.map((statement) => statement.Resource)).toEqual([
      kmsKeyArn(run, 'keys-data'),
      kmsKeyArn(run, 'keys-data'),
    ]);
  });

  it('has the EBS CSI driver tag every volume with the stack in its create call, and denies it an untagged one', async () => {
    const driver = named(run, 'aws:eks/addon:Addon', 'cluster-aws-ebs-csi-driver');
    expect(JSON.parse(String(driver.inputs.configurationValues))).toEqual({
      controller: { extraVolumeTags: { project: 'slipway', stack, tier: stack } },
    });
    // Its own inline policy beside AWS's AmazonEBSCSIDriverPolicy, which allows CreateVolume with the driver's tags.
    const policy = jsonInput(
      named(run, 'aws:iam/rolePolicy:RolePolicy', 'cluster-aws-ebs-csi-driver-kms'),
      'policy',
    );
    const managed = {
      Version: '2012-10-17',
      Statement: [{ Effect: 'Allow', Action: 'ec2:CreateVolume', Resource: '*' }],
    };
    const both = {
      Version: '2012-10-17',
      Statement: [...managed.Statement, ...(policy.Statement as unknown[])],
    };
    const volume = `arn:aws:ec2:eu-west-1:${accountId}:volume/*`;
    const driverTags = { 'aws:RequestTag/ebs.csi.aws.com/cluster': 'true' };
    expect(
      await decide(both, 'ec2:CreateVolume', volume, { ...driverTags, 'aws:RequestTag/stack': stack }),
    ).toBe('Allowed');
    expect(await decide(both, 'ec2:CreateVolume', volume, driverTags)).toBe('ExplicitlyDenied');
  });

  it('gives the Kubernetes provider the cluster kubeconfig as a secret', () => {
    const provider = named(run, 'pulumi:providers:kubernetes', 'cluster-k8s');
    expect(provider.parent).toBe('slipway:platform:Cluster::cluster');
    const kubeconfig = provider.inputs.kubeconfig as Record<string, string>;
    expect(kubeconfig[specialSigKey]).toBe(specialSecretSig);
    expect(JSON.parse(String(kubeconfig.value))).toMatchObject({ clusters: [{ name: `slipway-${stack}` }] });
  });
});

describe('amiTypeFor', () => {
  const group = {
    name: 'g',
    capacityType: 'ON_DEMAND' as const,
    minSize: 1,
    desiredSize: 1,
    maxSize: 1,
    diskSizeGiB: 20,
  };
  it.each([
    ['m7g.large', 'AL2023_ARM_64_STANDARD'],
    ['c6gn.xlarge', 'AL2023_ARM_64_STANDARD'],
    ['t4g.medium', 'AL2023_ARM_64_STANDARD'],
    ['m6i.large', 'AL2023_x86_64_STANDARD'],
    ['g5.xlarge', 'AL2023_x86_64_STANDARD'],
  ])('picks the AMI architecture for %s', (instanceType, amiType) => {
    expect(amiTypeFor({ ...group, instanceTypes: [instanceType] })).toBe(amiType);
  });
});
