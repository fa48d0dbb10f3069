import { cidrContains, cidrsOverlap, parseCidr } from '../../infra/config/cidr';
import { interfaceEndpointServices, subnetLayout } from '../../infra/network';
import type { OfflineRun, RecordedResource } from '../../offline/engine';
import { renderStack, type StackName } from '../support/render';
import { jsonInput, kmsKeyArn, named, ofType, regionOf } from '../support/resources';

const expected: Record<
  StackName,
  { azs: number; nats: number; cidr: string; interfaceEndpoints: boolean; flowLogDays: number }
> = {
  dev: { azs: 2, nats: 1, cidr: '10.10.0.0/16', interfaceEndpoints: false, flowLogDays: 14 },
  staging: { azs: 3, nats: 3, cidr: '10.20.0.0/16', interfaceEndpoints: true, flowLogDays: 30 },
  prod: { azs: 3, nats: 3, cidr: '10.30.0.0/16', interfaceEndpoints: true, flowLogDays: 365 },
};

describe.each(Object.keys(expected) as StackName[])('the %s network', (stack) => {
  const want = expected[stack];
  let run: OfflineRun;
  const subnetsOf = (tier: string) =>
    ofType(run, 'aws:ec2/subnet:Subnet').filter((subnet) => subnet.name.startsWith(`network-${tier}-`));
  const tablesOf = (tier: string) =>
    ofType(run, 'aws:ec2/routeTable:RouteTable').filter((table) =>
      table.name.startsWith(`network-${tier}-rt`),
    );
  const associationsOf = (table: RecordedResource) =>
    ofType(run, 'aws:ec2/routeTableAssociation:RouteTableAssociation').filter(
      (association) => association.inputs.routeTableId === table.id,
    );

  beforeAll(async () => {
    run = await renderStack(stack);
  });

  it(`puts each subnet tier in ${want.azs} distinct AZs`, () => {
    const tiers = [
      'public',
      'private',
      'database',
      'control-plane',
      ...(want.interfaceEndpoints ? ['endpoints'] : []),
    ];
    for (const tier of tiers) {
      const zones = subnetsOf(tier).map((subnet) => subnet.inputs.availabilityZone);
      expect(zones).toHaveLength(want.azs);
      expect(new Set(zones).size).toBe(want.azs);
      for (const zone of zones) expect(zone).toMatch(new RegExp(`^${regionOf(stack)}[a-f]$`));
    }
  });

  it('carves non-overlapping subnets inside the VPC block and never maps public IPs', () => {
    const vpc = named(run, 'aws:ec2/vpc:Vpc', 'network-vpc');
    expect(vpc.inputs).toMatchObject({
      cidrBlock: want.cidr,
      enableDnsHostnames: true,
      enableDnsSupport: true,
    });
    const blocks = ofType(run, 'aws:ec2/subnet:Subnet').map((subnet) => {
      expect(subnet.inputs.vpcId).toBe(vpc.id);
      expect(subnet.inputs.mapPublicIpOnLaunch).toBe(false);
      return parseCidr(String(subnet.inputs.cidrBlock));
    });
    // public, private, database, control plane, and the endpoints' where the stack has endpoints
    expect(blocks).toHaveLength((want.interfaceEndpoints ? 5 : 4) * want.azs);
    blocks.forEach((block, index) => {
      expect(cidrContains(parseCidr(want.cidr), block)).toBe(true);
      blocks.slice(index + 1).forEach((other) => expect(cidrsOverlap(block, other)).toBe(false));
    });
  });

  it('tags public subnets for internet-facing and private ones for internal load balancers', () => {
    for (const subnet of subnetsOf('public')) {
      expect(subnet.inputs.tags).toMatchObject({ 'kubernetes.io/role/elb': '1' });
      expect(subnet.inputs.tags).not.toHaveProperty(['kubernetes.io/role/internal-elb']);
    }
    for (const subnet of subnetsOf('private')) {
      expect(subnet.inputs.tags).toMatchObject({ 'kubernetes.io/role/internal-elb': '1' });
      expect(subnet.inputs.tags).not.toHaveProperty(['kubernetes.io/role/elb']);
    }
    for (const subnet of subnetsOf('database')) {
      expect(
        Object.keys(subnet.inputs.tags as object).filter((key) => key.startsWith('kubernetes.io')),
      ).toEqual([]);
    }
  });

  it(`runs ${want.nats} NAT gateway(s), each in its own public subnet with an elastic IP`, () => {
    const nats = ofType(run, 'aws:ec2/natGateway:NatGateway');
    expect(nats).toHaveLength(want.nats);
    const publicIds = subnetsOf('public').map((subnet) => subnet.id);
    const eips = ofType(run, 'aws:ec2/eip:Eip').map((eip) => eip.id);
    expect(new Set(nats.map((nat) => nat.inputs.subnetId)).size).toBe(want.nats);
    for (const nat of nats) {
      expect(publicIds).toContain(nat.inputs.subnetId);
      expect(eips).toContain(nat.inputs.allocationId);
    }
  });

  it('routes the public tier to the internet gateway', () => {
    const igw = ofType(run, 'aws:ec2/internetGateway:InternetGateway');
    expect(igw).toHaveLength(1);
    const [table] = tablesOf('public');
    expect(tablesOf('public')).toHaveLength(1);
    expect(table?.inputs.routes).toEqual([
      expect.objectContaining({ cidrBlock: '0.0.0.0/0', gatewayId: igw[0]?.id }),
    ]);
    expect(
      associationsOf(table as RecordedResource)
        .map((a) => a.inputs.subnetId)
        .sort(),
    ).toEqual(
      subnetsOf('public')
        .map((subnet) => subnet.id)
        .sort(),
    );
  });

  it('gives each AZ its own private route table out through a NAT gateway', () => {
    const tables = tablesOf('private');
    expect(tables).toHaveLength(want.azs);
    const natIds = ofType(run, 'aws:ec2/natGateway:NatGateway').map((nat) => nat.id);
    const used = tables.map((table) => {
      const routes = table.inputs.routes as Record<string, unknown>[];
      expect(routes).toHaveLength(1);
      expect(routes[0]).toMatchObject({ cidrBlock: '0.0.0.0/0' });
      expect(routes[0]).not.toHaveProperty('gatewayId');
      expect(natIds).toContain(routes[0]?.natGatewayId);
      expect(associationsOf(table)).toHaveLength(1);
      return routes[0]?.natGatewayId;
    });
    expect(new Set(used).size).toBe(want.nats);
    const associated = tables.flatMap((table) => associationsOf(table).map((a) => a.inputs.subnetId));
    expect(associated.sort()).toEqual(
      subnetsOf('private')
        .map((subnet) => subnet.id)
        .sort(),
    );
  });

  it('gives the database tier a route table with no route out of the VPC', () => {
    const tables = tablesOf('database');
    expect(tables).toHaveLength(1);
    const table = tables[0] as RecordedResource;
    expect(table.inputs.routes ?? []).toEqual([]);
    expect(
      associationsOf(table)
        .map((a) => a.inputs.subnetId)
        .sort(),
    ).toEqual(
      subnetsOf('database')
        .map((subnet) => subnet.id)
        .sort(),
    );
  });

  it('closes the default security group', () => {
    const [group] = ofType(run, 'aws:ec2/defaultSecurityGroup:DefaultSecurityGroup');
    expect(group?.inputs.vpcId).toBe(named(run, 'aws:ec2/vpc:Vpc', 'network-vpc').id);
    expect(group?.inputs.ingress).toEqual([]);
    expect(group?.inputs.egress).toEqual([]);
  });

  it('logs all VPC traffic to a KMS-encrypted log group with the tier retention', () => {
    const [flowLog] = ofType(run, 'aws:ec2/flowLog:FlowLog');
    const logGroup = named(run, 'aws:cloudwatch/logGroup:LogGroup', 'network-flow-logs');
    expect(flowLog?.inputs).toMatchObject({
      vpcId: named(run, 'aws:ec2/vpc:Vpc', 'network-vpc').id,
      trafficType: 'ALL',
      logDestinationType: 'cloud-watch-logs',
      logDestination: expect.stringContaining(String(logGroup.inputs.name)),
    });
    expect(logGroup.inputs.retentionInDays).toBe(want.flowLogDays);
    expect(logGroup.inputs.kmsKeyId).toBe(kmsKeyArn(run, 'keys-data'));
    const trust = jsonInput(named(run, 'aws:iam/role:Role', 'network-flow-logs-role'), 'assumeRolePolicy');
    expect(trust).toMatchObject({
      Statement: [
        {
          Principal: { Service: 'vpc-flow-logs.amazonaws.com' },
          Condition: { StringEquals: { 'aws:SourceAccount': '123456789012' } },
        },
      ],
    });
  });

  it('reaches S3 through a gateway endpoint on every private route table', () => {
    const s3 = named(run, 'aws:ec2/vpcEndpoint:VpcEndpoint', 'network-s3');
    expect(s3.inputs).toMatchObject({
      vpcEndpointType: 'Gateway',
      serviceName: `com.amazonaws.${regionOf(stack)}.s3`,
    });
    expect([...(s3.inputs.routeTableIds as string[])].sort()).toEqual(
      tablesOf('private')
        .map((t) => t.id)
        .sort(),
    );
  });

  it(`${want.interfaceEndpoints ? 'has' : 'has no'} interface endpoints for ECR, STS, Secrets Manager, Logs and the SQS the worker calls, in subnets of their own`, () => {
    const endpoints = ofType(run, 'aws:ec2/vpcEndpoint:VpcEndpoint').filter(
      (endpoint) => endpoint.inputs.vpcEndpointType === 'Interface',
    );
    if (!want.interfaceEndpoints) {
      expect(endpoints).toEqual([]);
      return;
    }
    expect(endpoints.map((endpoint) => endpoint.inputs.serviceName).sort()).toEqual(
      [...interfaceEndpointServices, 'sqs']
        .map((service) => `com.amazonaws.${regionOf(stack)}.${service}`)
        .sort(),
    );
    const securityGroup = named(run, 'aws:ec2/securityGroup:SecurityGroup', 'network-endpoints-sg');
    expect(securityGroup.inputs.ingress).toEqual([
      expect.objectContaining({
        fromPort: 443,
        toPort: 443,
        cidrBlocks: subnetsOf('private').map((s) => s.inputs.cidrBlock),
      }),
    ]);
    for (const endpoint of endpoints) {
      expect(endpoint.inputs.privateDnsEnabled).toBe(true);
      expect([...(endpoint.inputs.subnetIds as string[])].sort()).toEqual(
        subnetsOf('endpoints')
          .map((s) => s.id)
          .sort(),
      );
      expect(endpoint.inputs.securityGroupIds).toEqual([securityGroup.id]);
    }
  });
});

describe('subnetLayout', () => {
  const base = {
    cidr: '10.0.0.0/16',
    azCount: 3,
    natGateways: 'perAz' as const,
    interfaceEndpoints: true,
    flowLogRetentionDays: 30,
  };

  it('gives private subnets the largest blocks and keeps all tiers apart', () => {
    expect(subnetLayout(base)).toEqual({
      private: ['10.0.0.0/19', '10.0.32.0/19', '10.0.64.0/19'],
      public: ['10.0.192.0/22', '10.0.196.0/22', '10.0.200.0/22'],
      database: ['10.0.224.0/22', '10.0.228.0/22', '10.0.232.0/22'],
      controlPlane: ['10.0.216.0/24', '10.0.217.0/24', '10.0.218.0/24'],
      endpoints: ['10.0.248.0/24', '10.0.249.0/24', '10.0.250.0/24'],
    });
  });

  it('fits six AZs in the smallest VPC the rules allow', () => {
    const layout = subnetLayout({ ...base, cidr: '10.0.0.0/20', azCount: 6 });
    const all = [
      ...layout.private,
      ...layout.public,
      ...layout.database,
      ...layout.controlPlane,
      ...layout.endpoints,
    ].map(parseCidr);
    expect(all).toHaveLength(30);
    // The control plane needs a /28 at least per subnet.
    for (const block of layout.controlPlane) expect(parseCidr(block).prefix).toBeLessThanOrEqual(28);
    all.forEach((block, index) => {
      expect(cidrContains(parseCidr('10.0.0.0/20'), block)).toBe(true);
      all.slice(index + 1).forEach((other) => expect(cidrsOverlap(block, other)).toBe(false));
    });
  });

  it('uses the blocks a stack file lists', () => {
    const subnets = {
      public: ['10.0.0.0/24'],
      private: ['10.0.16.0/20'],
      database: ['10.0.1.0/24'],
      controlPlane: ['10.0.2.0/28'],
      endpoints: ['10.0.3.0/28'],
    };
    expect(subnetLayout({ ...base, azCount: 1, subnets })).toBe(subnets);
  });
});
