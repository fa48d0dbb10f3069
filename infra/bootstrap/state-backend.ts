import * as aws from '@pulumi/aws';
import * as pulumi from '@pulumi/pulumi';
import { stateBucketName } from './role-names';
import { accountKeyPolicy } from './key-policy';
import { policy } from './policy-document';

export interface StateBackendArgs {
  /** The platform project (`slipway`); the bucket is `<project>-pulumi-state-<account>-<region>`. */
  project: string;
  accountId: string;
  partition: string;
  region: string;
  /** Days an overwritten or deleted state file stays restorable. */
  noncurrentVersionDays: number;
  tags: Record<string, string>;
}

/**
 * The S3 bucket Pulumi keeps every stack's state in (`pulumi login s3://…`): versioned so any earlier
 * state can be restored, encrypted with its own KMS key, private, reachable over TLS only.
 */
export class StateBackend extends pulumi.ComponentResource {
  readonly bucketName: pulumi.Output<string>;
  readonly bucketArn: pulumi.Output<string>;
  readonly keyArn: pulumi.Output<string>;

  constructor(name: string, args: StateBackendArgs, opts?: pulumi.ComponentResourceOptions) {
    super('slipway:bootstrap:StateBackend', name, {}, opts);
    const child = { parent: this };

    const key = new aws.kms.Key(
      `${name}-key`,
      {
        description: `${args.project}: Pulumi state at rest`,
        enableKeyRotation: true,
        deletionWindowInDays: 30,
        policy: JSON.stringify(accountKeyPolicy(args.partition, args.accountId)),
        tags: args.tags,
      },
      child,
    );
    // Bucket names are global: the account and region make this one unique and easy to recognise.
    const bucket = new aws.s3.Bucket(
      `${name}-bucket`,
      { bucket: stateBucketName(args.project, args.accountId, args.region), tags: args.tags },
      { ...child, protect: true },
    );
    new aws.s3.BucketOwnershipControls(
      `${name}-ownership`,
      { bucket: bucket.id, rule: { objectOwnership: 'BucketOwnerEnforced' } },
      child,
    );
    const publicAccess = new aws.s3.BucketPublicAccessBlock(
      `${name}-public-access`,
      {
        bucket: bucket.id,
        blockPublicAcls: true,
        blockPublicPolicy: true,
        ignorePublicAcls: true,
        restrictPublicBuckets: true,
      },
      child,
    );
    const versioning = new aws.s3.BucketVersioning(
      `${name}-versioning`,
      { bucket: bucket.id, versioningConfiguration: { status: 'Enabled' } },
      child,
    );
    new aws.s3.BucketServerSideEncryptionConfiguration(
      `${name}-encryption`,
      {
        bucket: bucket.id,
        rules: [
          {
            applyServerSideEncryptionByDefault: { sseAlgorithm: 'aws:kms', kmsMasterKeyId: key.arn },
            bucketKeyEnabled: true,
          },
        ],
      },
      child,
    );
    new aws.s3.BucketLifecycleConfiguration(
      `${name}-lifecycle`,
      {
        bucket: bucket.id,
        rules: [
          {
            id: 'expire-old-state-versions',
            status: 'Enabled',
            filter: {},
            noncurrentVersionExpiration: { noncurrentDays: args.noncurrentVersionDays },
            abortIncompleteMultipartUpload: { daysAfterInitiation: 7 },
          },
        ],
      },
      { ...child, dependsOn: [versioning] },
    );
    new aws.s3.BucketPolicy(
      `${name}-tls-only`,
      {
        bucket: bucket.id,
        policy: bucket.arn.apply((arn) =>
          JSON.stringify(
            policy({
              Sid: 'DenyWithoutTls',
              Effect: 'Deny',
              Principal: { AWS: '*' },
              Action: 's3:*',
              Resource: [arn, `${arn}/*`],
              Condition: { Bool: { 'aws:SecureTransport': 'false' } },
            }),
          ),
        ),
      },
      // S3 refuses a bucket policy while the public access block is being changed.
      { ...child, dependsOn: [publicAccess] },
    );

    this.bucketName = bucket.bucket;
    this.bucketArn = bucket.arn;
    this.keyArn = key.arn;
    this.registerOutputs({ bucketName: this.bucketName, bucketArn: this.bucketArn, keyArn: this.keyArn });
  }
}
