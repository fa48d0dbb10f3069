import * as aws from '@pulumi/aws';
import type * as pulumi from '@pulumi/pulumi';

export interface DataSecurityGroupArgs {
  vpcId: pulumi.Input<string>;
  /** What the store is, for the group's description: `redis cache for slipway-prod`. */
  description: string;
  /** The port the store's clients use. */
  port: number;
  /** Where the store is administered (Amazon MQ's management API), for the platform's provisioning Job. */
  managementPort?: number;
  /** The only group admitted: the cluster's nodes, whose address every pod shares under the VPC CNI. */
  clientSecurityGroupId: pulumi.Input<string>;
  tags: Record<string, string>;
}

/**
 * A data store's security group: its port (and management port, if any) from the cluster's nodes (and
 * so its pods) only, no address range, and nothing out (a store never opens a connection of its own).
 */
export function dataSecurityGroup(
  name: string,
  args: DataSecurityGroupArgs,
  opts: pulumi.CustomResourceOptions,
): aws.ec2.SecurityGroup {
  return new aws.ec2.SecurityGroup(
    name,
    {
      vpcId: args.vpcId,
      description: `${args.description}: the cluster's nodes only`,
      ingress: [
        {
          description: `Port ${args.port} from the cluster nodes and pods`,
          protocol: 'tcp',
          fromPort: args.port,
          toPort: args.port,
          securityGroups: [args.clientSecurityGroupId],
        },
        ...(args.managementPort === undefined
          ? []
          : [
              {
                description: `Port ${args.managementPort} (management) from the cluster nodes: the platform's provisioning Job`,
                protocol: 'tcp',
                fromPort: args.managementPort,
                toPort: args.managementPort,
                securityGroups: [args.clientSecurityGroupId],
              },
            ]),
      ],
      egress: [],
      tags: args.tags,
    },
    opts,
  );
}
