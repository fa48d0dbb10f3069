import * as aws from '@pulumi/aws';
import * as pulumi from '@pulumi/pulumi';
import type { RegistryConfig } from './config/schema';

export interface RegistryArgs {
  /** Repository names are `<prefix>/<service>`. */
  prefix: string;
  services: string[];
  config: RegistryConfig;
  kmsKeyArn: pulumi.Input<string>;
  /** Lets `pulumi destroy` remove repositories that still hold images: dev only. */
  forceDelete: boolean;
  tags: Record<string, string>;
}

/** The lifecycle policy: untagged layers go after a few days, tagged releases are kept by count. */
export function lifecyclePolicy(config: RegistryConfig): string {
  return JSON.stringify({
    rules: [
      {
        rulePriority: 1,
        description: `expire untagged images after ${config.untaggedExpiryDays} days`,
        selection: {
          tagStatus: 'untagged',
          countType: 'sinceImagePushed',
          countUnit: 'days',
          countNumber: config.untaggedExpiryDays,
        },
        action: { type: 'expire' },
      },
      {
        rulePriority: 2,
        description: `keep the last ${config.keepTaggedImages} tagged images`,
        selection: {
          tagStatus: 'tagged',
          tagPatternList: ['*'],
          countType: 'imageCountMoreThan',
          countNumber: config.keepTaggedImages,
        },
        action: { type: 'expire' },
      },
    ],
  });
}

/** What a role of another account may do with a repository: ECR's push and pull calls. */
const pulls = [
  'ecr:BatchGetImage',
  'ecr:GetDownloadUrlForLayer',
  'ecr:BatchCheckLayerAvailability',
  'ecr:DescribeImages',
];
const pushes = ['ecr:InitiateLayerUpload', 'ecr:UploadLayerPart', 'ecr:CompleteLayerUpload', 'ecr:PutImage'];

/**
 * The repository policy that lets other accounts' roles in (one account per environment), or undefined
 * when none need to: pushers get push and the reads a push makes, pullers the reads. It is half of each
 * grant; the role's own policy must allow the same repository too.
 */
export function crossAccountPolicy(otherAccounts: RegistryConfig['otherAccounts']): string | undefined {
  const { pushers = [], pullers = [] } = otherAccounts ?? {};
  const statements = [
    ...(pushers.length > 0
      ? [
          {
            Sid: 'PushFromOtherAccounts',
            Effect: 'Allow',
            Principal: { AWS: pushers },
            Action: [...pulls, ...pushes],
          },
        ]
      : []),
    ...(pullers.length > 0
      ? [{ Sid: 'PullFromOtherAccounts', Effect: 'Allow', Principal: { AWS: pullers }, Action: pulls }]
      : []),
  ];
  return statements.length > 0 ? JSON.stringify({ Version: '2012-10-17', Statement: statements }) : undefined;
}

/** One ECR repository per service: immutable tags (a SHA means one image forever), scanned on push. */
export class Registry extends pulumi.ComponentResource {
  /** Repository URL per service name. */
  readonly repositoryUrls: Record<string, pulumi.Output<string>>;
  readonly repositoryArns: Record<string, pulumi.Output<string>>;

  constructor(name: string, args: RegistryArgs, opts?: pulumi.ComponentResourceOptions) {
    super('slipway:platform:Registry', name, {}, opts);
    this.repositoryUrls = {};
    this.repositoryArns = {};
    for (const service of args.services) {
      const repository = new aws.ecr.Repository(
        `${name}-${service}`,
        {
          name: `${args.prefix}/${service}`,
          imageTagMutability: 'IMMUTABLE',
          imageScanningConfiguration: { scanOnPush: true },
          encryptionConfigurations: [{ encryptionType: 'KMS', kmsKey: args.kmsKeyArn }],
          forceDelete: args.forceDelete,
          tags: { ...args.tags, service },
        },
        { parent: this },
      );
      new aws.ecr.LifecyclePolicy(
        `${name}-${service}-lifecycle`,
        { repository: repository.name, policy: lifecyclePolicy(args.config) },
        { parent: this },
      );
      const policy = crossAccountPolicy(args.config.otherAccounts);
      if (policy)
        new aws.ecr.RepositoryPolicy(
          `${name}-${service}-other-accounts`,
          { repository: repository.name, policy },
          { parent: this },
        );
      this.repositoryUrls[service] = repository.repositoryUrl;
      this.repositoryArns[service] = repository.arn;
    }
    this.registerOutputs({ repositoryUrls: this.repositoryUrls });
  }
}
