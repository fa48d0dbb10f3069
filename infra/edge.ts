import * as aws from '@pulumi/aws';
import * as pulumi from '@pulumi/pulumi';
import type { EdgeConfig } from './config/schema';
import type { Tier } from './config/tiers';

export interface EdgeArgs {
  /** Names are `<prefix>-…`: the web ACL, its metrics, the access-log bucket. */
  prefix: string;
  tier: Tier;
  config: EdgeConfig;
  accountId: string;
  /** The stack's data key, which the web ACL's log group is encrypted with. */
  logsKeyArn: pulumi.Input<string>;
  /**
   * The Elastic Load Balancing account of the region, in regions opened before August 2022, where ELB
   * writes access logs as that account; newer regions write as the log delivery service principal.
   */
  elbAccountArn?: string;
  tags: Record<string, string>;
}

/**
 * The AWS managed rule groups the web ACL runs, in order: the common rule set (OWASP-style request
 * inspection), known bad inputs (exploit patterns such as Log4j lookups) and Amazon's IP reputation list
 * (sources of bots and attacks). Each blocks what it matches; anything else is allowed.
 */
export const managedRuleGroups = [
  'AWSManagedRulesCommonRuleSet',
  'AWSManagedRulesKnownBadInputsRuleSet',
  'AWSManagedRulesAmazonIpReputationList',
] as const;

/**
 * Request headers the web ACL's logs leave out: credentials a logged request would otherwise carry to
 * whoever reads the logs.
 */
export const redactedHeaders = ['authorization', 'cookie'] as const;

/** The key prefix ELB writes under: `<bucket>/<prefix>/AWSLogs/<account>/elasticloadbalancing/…`. */
export const accessLogPrefix = (prefix: string) => `alb/${prefix}`;

/**
 * Who may write the access logs: ELB's log delivery, only under this environment's prefix and this
 * account's folder; nobody over plain HTTP.
 */
export function accessLogBucketPolicy(args: {
  bucketArn: string;
  logPrefix: string;
  accountId: string;
  elbAccountArn?: string;
}): string {
  const logs = `${args.bucketArn}/${args.logPrefix}/AWSLogs/${args.accountId}/*`;
  return JSON.stringify({
    Version: '2012-10-17',
    Statement: [
      {
        Sid: 'ElbLogDelivery',
        Effect: 'Allow',
        Principal: { Service: 'logdelivery.elasticloadbalancing.amazonaws.com' },
        Action: 's3:PutObject',
        Resource: logs,
      },
      ...(args.elbAccountArn
        ? [
            {
              Sid: 'ElbRegionalAccount',
              Effect: 'Allow',
              Principal: { AWS: args.elbAccountArn },
              Action: 's3:PutObject',
              Resource: logs,
            },
          ]
        : []),
      {
        Sid: 'DenyWithoutTls',
        Effect: 'Deny',
        Principal: '*',
        Action: 's3:*',
        Resource: [args.bucketArn, `${args.bucketArn}/*`],
        Condition: { Bool: { 'aws:SecureTransport': 'false' } },
      },
    ],
  });
}

/**
 * The environment's internet-facing edge, which the apps' Ingresses attach to the shared ALB: an AWS
 * WAF web ACL (REGIONAL, the AWS managed rule groups above) logging its requests to an encrypted log
 * group, and a bucket for the ALB's access logs.
 * The bucket is encrypted with S3-managed keys (SSE-S3), not the stack's KMS key: ELB delivers access
 * logs only to SSE-S3 buckets. It is private, owner-enforced, TLS-only, and expires logs after the
 * configured days.
 */
export class Edge extends pulumi.ComponentResource {
  /** The web ACL's ARN, when the stack runs WAF. */
  readonly webAclArn?: pulumi.Output<string>;
  /** The access-log bucket's name, when the stack keeps access logs. */
  readonly accessLogBucket?: pulumi.Output<string>;
  readonly accessLogPrefix: string;
  /** The web ACL's name, when the stack runs WAF: the load balancer controller may attach it alone. */
  readonly webAclName?: string;

  constructor(name: string, args: EdgeArgs, opts?: pulumi.ComponentResourceOptions) {
    super('slipway:platform:Edge', name, {}, opts);
    const child = { parent: this };
    const metric = (metricName: string) => ({
      cloudwatchMetricsEnabled: true,
      metricName,
      sampledRequestsEnabled: true,
    });

    if (args.config.waf) {
      this.webAclName = `${args.prefix}-edge`;
      const acl = new aws.wafv2.WebAcl(
        `${name}-web-acl`,
        {
          name: this.webAclName,
          description: `AWS managed rules in front of the ${args.prefix} ALB`,
          scope: 'REGIONAL',
          defaultAction: { allow: {} },
          rules: managedRuleGroups.map((group, index) => ({
            name: group,
            priority: (index + 1) * 10,
            // A managed group's own rule actions apply (block what matches); `none` overrides nothing.
            overrideAction: { none: {} },
            statement: { managedRuleGroupStatement: { vendorName: 'AWS', name: group } },
            visibilityConfig: metric(`${args.prefix}-${group}`),
          })),
          visibilityConfig: metric(`${args.prefix}-edge`),
          tags: args.tags,
        },
        child,
      );
      this.webAclArn = acl.arn;
      // WAF's request logs (what each rule group matched) go to CloudWatch Logs; WAF accepts only a log
      // group whose name starts `aws-waf-logs-`, and adds the log delivery's resource policy itself.
      const logGroup = new aws.cloudwatch.LogGroup(
        `${name}-waf-logs`,
        {
          name: `aws-waf-logs-${args.prefix}`,
          retentionInDays: args.config.wafLogRetentionDays,
          kmsKeyId: args.logsKeyArn,
          tags: args.tags,
        },
        child,
      );
      new aws.wafv2.WebAclLoggingConfiguration(
        `${name}-waf-logging`,
        {
          resourceArn: acl.arn,
          logDestinationConfigs: [logGroup.arn],
          redactedFields: redactedHeaders.map((header) => ({ singleHeader: { name: header } })),
        },
        child,
      );
    }

    this.accessLogPrefix = accessLogPrefix(args.prefix);
    if (args.config.accessLogs) {
      const bucket = new aws.s3.Bucket(
        `${name}-access-logs`,
        {
          bucket: `${args.prefix}-alb-logs-${args.accountId}`,
          // A dev stack can be torn down with its logs; staging and prod keep theirs until they expire.
          forceDestroy: args.tier === 'dev',
          tags: args.tags,
        },
        child,
      );
      new aws.s3.BucketOwnershipControls(
        `${name}-access-logs-ownership`,
        { bucket: bucket.id, rule: { objectOwnership: 'BucketOwnerEnforced' } },
        child,
      );
      const publicAccess = new aws.s3.BucketPublicAccessBlock(
        `${name}-access-logs-public-access`,
        {
          bucket: bucket.id,
          blockPublicAcls: true,
          blockPublicPolicy: true,
          ignorePublicAcls: true,
          restrictPublicBuckets: true,
        },
        child,
      );
      new aws.s3.BucketServerSideEncryptionConfiguration(
        `${name}-access-logs-encryption`,
        {
          bucket: bucket.id,
          // SSE-S3: the only encryption ELB access log delivery supports (SSE-KMS buckets get no logs).
          rules: [{ applyServerSideEncryptionByDefault: { sseAlgorithm: 'AES256' } }],
        },
        child,
      );
      new aws.s3.BucketLifecycleConfiguration(
        `${name}-access-logs-expiry`,
        {
          bucket: bucket.id,
          rules: [
            {
              id: 'expire-access-logs',
              status: 'Enabled',
              filter: {},
              expiration: { days: args.config.accessLogRetentionDays },
              abortIncompleteMultipartUpload: { daysAfterInitiation: 1 },
            },
          ],
        },
        child,
      );
      new aws.s3.BucketPolicy(
        `${name}-access-logs-policy`,
        {
          bucket: bucket.id,
          policy: bucket.arn.apply((bucketArn) =>
            accessLogBucketPolicy({
              bucketArn,
              logPrefix: this.accessLogPrefix,
              accountId: args.accountId,
              elbAccountArn: args.elbAccountArn,
            }),
          ),
        },
        // A policy naming a principal waits for the public access block, as S3 evaluates it against it.
        { ...child, dependsOn: [publicAccess] },
      );
      this.accessLogBucket = bucket.bucket;
    }

    this.registerOutputs({ webAclArn: this.webAclArn, accessLogBucket: this.accessLogBucket });
  }
}
