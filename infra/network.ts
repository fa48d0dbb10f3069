import * as aws from '@pulumi/aws';
import * as pulumi from '@pulumi/pulumi';
import { formatCidr, parseCidr, subnetOf } from './config/cidr';
import type { NetworkConfig } from './config/schema';

export interface NetworkArgs {
  /** Prefix of physical names and Name tags (`slipway-<stack>`). */
  prefix: string;
  config: NetworkConfig;
  region: string;
  /** Distinct availability zones, one per subnet of each tier; `config.azCount` of them. */
  availabilityZones: string[];
  /** Encrypts the flow-log group. */
  logsKeyArn: pulumi.Input<string>;
  accountId: string;
  tags: Record<string, string>;
}

export interface SubnetLayout {
  public: string[];
  private: string[];
  database: string[];
}

/** AWS services the nodes reach through interface endpoints instead of the NAT gateways. */
export const interfaceEndpointServices = ['ecr.api', 'ecr.dkr', 'sts', 'secretsmanager', 'logs'] as const;

/**
 * The subnet blocks, one per AZ and tier. Unless the stack file lists them, private subnets get an
 * eighth of the VPC each (pods take VPC addresses through the VPC CNI); public and database subnets a
 * sixty-fourth, carved from the top quarter the private ones leave free.
 */
export function subnetLayout(config: NetworkConfig): SubnetLayout {
  if (config.subnets) return config.subnets;
  const vpc = parseCidr(config.cidr);
  const zones = Array.from({ length: config.azCount }, (_, index) => index);
  const carve = (prefix: number, first: number) =>
    zones.map((index) => formatCidr(subnetOf(vpc, prefix, first + index)));
  return {
    private: carve(vpc.prefix + 3, 0),
    public: carve(vpc.prefix + 6, 48),
    database: carve(vpc.prefix + 6, 56),
  };
}

/**
 * The VPC: public subnets (load balancers, NAT), private subnets (nodes and pods, out through NAT),
 * database subnets with no route out of the VPC. Flow logs capture all traffic.
 */
export class Network extends pulumi.ComponentResource {
  readonly vpcId: pulumi.Output<string>;
  readonly vpcCidr: string;
  readonly publicSubnetIds: pulumi.Output<string>[];
  readonly privateSubnetIds: pulumi.Output<string>[];
  readonly databaseSubnetIds: pulumi.Output<string>[];
  readonly publicSubnetCidrs: string[];
  readonly databaseSubnetCidrs: string[];
  readonly privateSubnetCidrs: string[];
  readonly availabilityZones: string[];

  constructor(name: string, args: NetworkArgs, opts?: pulumi.ComponentResourceOptions) {
    super('slipway:platform:Network', name, {}, opts);
    const { config, tags } = args;
    const child = { parent: this };
    const named = (suffix: string) => ({ ...tags, Name: `${args.prefix}-${suffix}` });
    const layout = subnetLayout(config);
    const zones = args.availabilityZones;

    const vpc = new aws.ec2.Vpc(
      `${name}-vpc`,
      { cidrBlock: config.cidr, enableDnsSupport: true, enableDnsHostnames: true, tags: named('vpc') },
      child,
    );

    // Adopting the default security group with no rules closes the one AWS opens inside every VPC.
    new aws.ec2.DefaultSecurityGroup(
      `${name}-default-sg`,
      { vpcId: vpc.id, ingress: [], egress: [], tags: named('default-closed') },
      child,
    );

    const subnets = (tier: keyof SubnetLayout, roleTags: Record<string, string>) =>
      zones.map(
        (zone, index) =>
          new aws.ec2.Subnet(
            `${name}-${tier}-${index}`,
            {
              vpcId: vpc.id,
              cidrBlock: layout[tier][index] ?? '',
              availabilityZone: zone,
              mapPublicIpOnLaunch: false,
              tags: { ...named(`${tier}-${zone}`), tier, ...roleTags },
            },
            child,
          ),
      );
    const publicSubnets = subnets('public', { 'kubernetes.io/role/elb': '1' });
    const privateSubnets = subnets('private', { 'kubernetes.io/role/internal-elb': '1' });
    const databaseSubnets = subnets('database', {});

    const igw = new aws.ec2.InternetGateway(`${name}-igw`, { vpcId: vpc.id, tags: named('igw') }, child);
    const publicRoutes = new aws.ec2.RouteTable(
      `${name}-public-rt`,
      { vpcId: vpc.id, routes: [{ cidrBlock: '0.0.0.0/0', gatewayId: igw.id }], tags: named('public') },
      child,
    );
    publicSubnets.forEach(
      (subnet, index) =>
        new aws.ec2.RouteTableAssociation(
          `${name}-public-rta-${index}`,
          { subnetId: subnet.id, routeTableId: publicRoutes.id },
          child,
        ),
    );

    const natCount = config.natGateways === 'perAz' ? zones.length : 1;
    const nats = publicSubnets.slice(0, natCount).map((subnet, index) => {
      const eip = new aws.ec2.Eip(
        `${name}-nat-eip-${index}`,
        { domain: 'vpc', tags: named(`nat-${index}`) },
        child,
      );
      return new aws.ec2.NatGateway(
        `${name}-nat-${index}`,
        {
          subnetId: subnet.id,
          allocationId: eip.id,
          connectivityType: 'public',
          tags: named(`nat-${index}`),
        },
        { parent: this, dependsOn: [igw] },
      );
    });
    // One route table per AZ so that, with a NAT per AZ, losing a zone never strands the others.
    const privateRouteTables = privateSubnets.map((subnet, index) => {
      const nat = nats[index % nats.length] as aws.ec2.NatGateway;
      const table = new aws.ec2.RouteTable(
        `${name}-private-rt-${index}`,
        {
          vpcId: vpc.id,
          routes: [{ cidrBlock: '0.0.0.0/0', natGatewayId: nat.id }],
          tags: named(`private-${zones[index]}`),
        },
        child,
      );
      new aws.ec2.RouteTableAssociation(
        `${name}-private-rta-${index}`,
        { subnetId: subnet.id, routeTableId: table.id },
        child,
      );
      return table;
    });
    // No routes beyond the implicit local one: the database has no way out of the VPC.
    const databaseRoutes = new aws.ec2.RouteTable(
      `${name}-database-rt`,
      { vpcId: vpc.id, routes: [], tags: named('database') },
      child,
    );
    databaseSubnets.forEach(
      (subnet, index) =>
        new aws.ec2.RouteTableAssociation(
          `${name}-database-rta-${index}`,
          { subnetId: subnet.id, routeTableId: databaseRoutes.id },
          child,
        ),
    );

    new aws.ec2.VpcEndpoint(
      `${name}-s3`,
      {
        vpcId: vpc.id,
        serviceName: `com.amazonaws.${args.region}.s3`,
        vpcEndpointType: 'Gateway',
        routeTableIds: privateRouteTables.map((table) => table.id),
        tags: named('s3'),
      },
      child,
    );
    if (config.interfaceEndpoints) {
      const endpointSg = new aws.ec2.SecurityGroup(
        `${name}-endpoints-sg`,
        {
          vpcId: vpc.id,
          description: 'HTTPS from inside the VPC to the AWS interface endpoints',
          ingress: [{ protocol: 'tcp', fromPort: 443, toPort: 443, cidrBlocks: [config.cidr] }],
          egress: [],
          tags: named('endpoints'),
        },
        child,
      );
      for (const service of interfaceEndpointServices) {
        new aws.ec2.VpcEndpoint(
          `${name}-${service.replace('.', '-')}`,
          {
            vpcId: vpc.id,
            serviceName: `com.amazonaws.${args.region}.${service}`,
            vpcEndpointType: 'Interface',
            privateDnsEnabled: true,
            subnetIds: privateSubnets.map((subnet) => subnet.id),
            securityGroupIds: [endpointSg.id],
            tags: named(service),
          },
          child,
        );
      }
    }

    this.createFlowLogs(name, vpc, args, named);

    this.vpcId = vpc.id;
    this.vpcCidr = config.cidr;
    this.publicSubnetIds = publicSubnets.map((subnet) => subnet.id);
    this.privateSubnetIds = privateSubnets.map((subnet) => subnet.id);
    this.databaseSubnetIds = databaseSubnets.map((subnet) => subnet.id);
    this.publicSubnetCidrs = layout.public;
    this.databaseSubnetCidrs = layout.database;
    this.privateSubnetCidrs = layout.private;
    this.availabilityZones = zones;
    this.registerOutputs({
      vpcId: this.vpcId,
      publicSubnetIds: this.publicSubnetIds,
      privateSubnetIds: this.privateSubnetIds,
      databaseSubnetIds: this.databaseSubnetIds,
    });
  }

  private createFlowLogs(
    name: string,
    vpc: aws.ec2.Vpc,
    args: NetworkArgs,
    named: (suffix: string) => Record<string, string>,
  ): void {
    const child = { parent: this };
    const logGroup = new aws.cloudwatch.LogGroup(
      `${name}-flow-logs`,
      {
        name: `/vpc/${args.prefix}/flow-logs`,
        retentionInDays: args.config.flowLogRetentionDays,
        kmsKeyId: args.logsKeyArn,
        tags: named('flow-logs'),
      },
      child,
    );
    const role = new aws.iam.Role(
      `${name}-flow-logs-role`,
      {
        assumeRolePolicy: JSON.stringify({
          Version: '2012-10-17',
          Statement: [
            {
              Effect: 'Allow',
              Principal: { Service: 'vpc-flow-logs.amazonaws.com' },
              Action: 'sts:AssumeRole',
              // Only flow logs of this account may use the role (confused-deputy guard).
              Condition: { StringEquals: { 'aws:SourceAccount': args.accountId } },
            },
          ],
        }),
        tags: named('flow-logs'),
      },
      child,
    );
    new aws.iam.RolePolicy(
      `${name}-flow-logs-write`,
      {
        role: role.id,
        policy: pulumi.jsonStringify({
          Version: '2012-10-17',
          Statement: [
            {
              Effect: 'Allow',
              Action: ['logs:CreateLogStream', 'logs:PutLogEvents', 'logs:DescribeLogStreams'],
              Resource: [logGroup.arn, pulumi.interpolate`${logGroup.arn}:*`],
            },
          ],
        }),
      },
      child,
    );
    new aws.ec2.FlowLog(
      `${name}-flow-log`,
      {
        vpcId: vpc.id,
        trafficType: 'ALL',
        logDestinationType: 'cloud-watch-logs',
        logDestination: logGroup.arn,
        iamRoleArn: role.arn,
        maxAggregationInterval: 60,
        tags: named('flow-log'),
      },
      child,
    );
  }
}
