import * as aws from '@pulumi/aws';
import * as pulumi from '@pulumi/pulumi';
import type { PolicyDocument } from './policy-document';

export interface PipelineRoleArgs {
  /** The role's name; pipeline.yaml and the workflows refer to it by ARN. */
  roleName: string;
  description: string;
  trust: pulumi.Input<PolicyDocument>;
  permissions: pulumi.Input<PolicyDocument>;
  /** The managed policy capping what the role (and every role it creates) can do; required for IAM writers. */
  permissionsBoundary?: pulumi.Input<string>;
  /** One hour covers the longest `pulumi up` of the platform (an EKS cluster takes ~15 minutes). */
  maxSessionSeconds?: number;
  tags: Record<string, string>;
}

/** A role a workflow job assumes through OIDC: who may assume it, and its one inline policy. */
export class PipelineRole extends pulumi.ComponentResource {
  readonly roleArn: pulumi.Output<string>;

  constructor(name: string, args: PipelineRoleArgs, opts?: pulumi.ComponentResourceOptions) {
    super('slipway:bootstrap:PipelineRole', name, {}, opts);
    const role = new aws.iam.Role(
      `${name}-role`,
      {
        name: args.roleName,
        description: args.description,
        assumeRolePolicy: pulumi.output(args.trust).apply((doc) => JSON.stringify(doc)),
        maxSessionDuration: args.maxSessionSeconds ?? 3600,
        permissionsBoundary: args.permissionsBoundary,
        tags: args.tags,
      },
      { parent: this },
    );
    new aws.iam.RolePolicy(
      `${name}-policy`,
      { role: role.name, policy: pulumi.output(args.permissions).apply((doc) => JSON.stringify(doc)) },
      { parent: this },
    );
    this.roleArn = role.arn;
    this.registerOutputs({ roleArn: this.roleArn });
  }
}
