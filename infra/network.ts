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
  /** The AWS services (IAM prefixes) the workloads' roles call: each gets an endpoint where it can. */
  workloadAwsServices: string[];
  accountId: string;
  tags: Record<string, string>;
}

export interface SubnetLayout {
  public: string[];
  private: string[];
  database: string[];
  /** The EKS control plane's network interfaces (the API server pods reach) and nothing else. */
  controlPlane: string[];
  /** The interface VPC endpoints and nothing else. */
  endpoints: string[];
}

/** AWS services the nodes and the secrets operator reach through interface endpoints instead of NAT. */
export const interfaceEndpointServices = ['ecr.api', 'ecr.dkr', 'sts', 'secretsmanager', 'logs'] as const;

/**
 * AWS services a workload's grants may name that offer an interface endpoint under the same name as
 * their IAM prefix: a stack with endpoints gets one for each the catalog calls, so the pods reach
 * them inside the VPC rather than through NAT (that is, the internet on 443).
 */
export const workloadEndpointServices = ['sqs', 'sns', 'kms', 'ssm', 'events', 'lambda', 'states'] as const;

/** The interface endpoints of a stack that has them: the platform's, and those the catalog calls. */
export function endpointServicesFor(calledByWorkloads: string[]): string[] {
  const called = (workloadEndpointServices as readonly string[]).filter((api) =>
    calledByWorkloads.includes(api),
  );
  return [...interfaceEndpointServices, ...called];
}

/**
 * The subnet blocks, one per AZ and tier. Unless the stack file lists them, private subnets get an
 * eighth of the VPC each (pods take VPC addresses through the VPC CNI); public and database subnets a
 * sixty-fourth, carved from the top quarter the private ones leave free; the control plane's and the
 * endpoints' subnets a 256th (a /24 of a /16, a /28 of a /20) from what is left. Those two tiers are
 * apart from the pods' so that a NetworkPolicy can name the API server and the AWS endpoints by
 * address without also admitting every pod of the cluster.
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
    controlPlane: carve(vpc.prefix + 8, 216),
    endpoints: carve(vpc.prefix + 8, 248),
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
  /** Where the EKS control plane places its network interfaces. */
  readonly controlPlaneSubnetIds: pulumi.Output<string>[];
  readonly controlPlaneSubnetCidrs: string[];
  /** The interface endpoints' subnets; empty when the stack has none. */
  readonly endpointSubnetCidrs: string[];
  /** The AWS services reached through those endpoints (`sts`, `secretsmanager`…). */
  readonly endpointServices: string[];
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

    const subnets = (tier: keyof SubnetLayout, roleTags: Record<string, string>) => {
      const label = tier.replace(/[A-Z]/g, (letter) => `-${letter.toLowerCase()}`);
      return zones.map(
        (zone, index) =>
          new aws.ec2.Subnet(
            `${name}-${label}-${index}`,
            {
              vpcId: vpc.id,
              cidrBlock: layout[tier][index] ?? '',
              availabilityZone: zone,
              mapPublicIpOnLaunch: false,
              tags: { ...named(`${label}-${zone}`), tier: label, ...roleTags },
            },
            child,
          ),
      );
    };
    const publicSubnets = subnets('public', { 'kubernetes.io/role/elb': '1' });
    const privateSubnets = subnets('private', { 'kubernetes.io/role/internal-elb': '1' });
    const databaseSubnets = subnets('database', {});
    const controlPlaneSubnets = subnets('controlPlane', {});
    // Only a stack with interface endpoints needs a place for them.
    const endpointSubnets = config.interfaceEndpoints ? subnets('endpoints', {}) : [];

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
          description: 'HTTPS from the nodes and pods to the AWS interface endpoints',
          ingress: [{ protocol: 'tcp', fromPort: 443, toPort: 443, cidrBlocks: layout.private }],
          egress: [],
          tags: named('endpoints'),
        },
        child,
      );
      for (const service of endpointServicesFor(args.workloadAwsServices)) {
        new aws.ec2.VpcEndpoint(
          `${name}-${service.replace('.', '-')}`,
          {
            vpcId: vpc.id,
            serviceName: `com.amazonaws.${args.region}.${service}`,
            vpcEndpointType: 'Interface',
            privateDnsEnabled: true,
            subnetIds: endpointSubnets.map((subnet) => subnet.id),
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
    this.controlPlaneSubnetIds = controlPlaneSubnets.map((subnet) => subnet.id);
    this.controlPlaneSubnetCidrs = layout.controlPlane;
    this.endpointSubnetCidrs = config.interfaceEndpoints ? layout.endpoints : [];
    this.endpointServices = config.interfaceEndpoints ? endpointServicesFor(args.workloadAwsServices) : [];
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
