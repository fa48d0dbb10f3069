import * as aws from '@pulumi/aws';
import type * as pulumi from '@pulumi/pulumi';

export interface DataSecurityGroupArgs {
  vpcId: pulumi.Input<string>;
  /** What the store is, for the group's description: `redis cache for slipway-prod`. */
  description: string;
  /** The one port the store listens on. */
  port: number;
  /** The only group admitted: the cluster's nodes, whose address every pod shares under the VPC CNI. */
  clientSecurityGroupId: pulumi.Input<string>;
  tags: Record<string, string>;
}

/**
 * A data store's security group: its port from the cluster's nodes (and so its pods) only, no
 * address range, and nothing out (a store never opens a connection of its own).
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
      ],
      egress: [],
      tags: args.tags,
    },
    opts,
  );
}
