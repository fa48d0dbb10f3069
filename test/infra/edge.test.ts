import { accessLogBucketPolicy, managedRuleGroups } from '../../infra/edge';
import type { OfflineRun } from '../../offline/engine';
import { accountId, decide } from '../support/iam';
import { renderStack, stacks } from '../support/render';
import { jsonInput, kmsKeyArn, named, ofType } from '../support/resources';
import { roleOf } from './workloads/objects';

const retention = { dev: 14, staging: 30, prod: 365 } as const;

describe.each(stacks)('the %s edge', (stack) => {
  let run: OfflineRun;
  beforeAll(async () => {
    run = await renderStack(stack);
  });
  const bucketName = `slipway-${stack}-alb-logs-${accountId}`;
  const ofEdge = (type: string, suffix: string) => named(run, type, `edge-access-logs${suffix}`);

  it('runs the AWS managed rule groups in a regional web ACL in staging and prod, none in dev', () => {
    const acls = ofType(run, 'aws:wafv2/webAcl:WebAcl');
    if (stack === 'dev') {
      expect(acls).toEqual([]);
      expect(run.outputs.edgeWebAclArn).toBe('');
      return;
    }
    expect(acls).toHaveLength(1);
    const acl = acls[0]?.inputs as {
      name: string;
      scope: string;
      defaultAction: unknown;
      rules: {
        name: string;
        priority: number;
        overrideAction: unknown;
        statement: unknown;
        visibilityConfig: { cloudwatchMetricsEnabled: boolean; sampledRequestsEnabled: boolean };
      }[];
    };
    expect(acl).toMatchObject({
      name: `slipway-${stack}-edge`,
      scope: 'REGIONAL',
      defaultAction: { allow: {} },
    });
    expect(acl.rules.map((rule) => [rule.priority, rule.statement, rule.overrideAction])).toEqual(
      managedRuleGroups.map((group, index) => [
        (index + 1) * 10,
        { managedRuleGroupStatement: { vendorName: 'AWS', name: group } },
        { none: {} },
      ]),
    );
    expect(managedRuleGroups).toContain('AWSManagedRulesCommonRuleSet');
    for (const rule of acl.rules) {
      expect(rule.visibilityConfig).toMatchObject({
        cloudwatchMetricsEnabled: true,
        sampledRequestsEnabled: true,
      });
    }
    expect(String(run.outputs.edgeWebAclArn)).toContain(`:regional/webacl/slipway-${stack}-edge/`);
  });

  it("logs the web ACL's requests to an encrypted log group, without credentials, for the tier's days", () => {
    const logging = ofType(run, 'aws:wafv2/webAclLoggingConfiguration:WebAclLoggingConfiguration');
    if (stack === 'dev') {
      expect(logging).toEqual([]);
      return;
    }
    const group = named(run, 'aws:cloudwatch/logGroup:LogGroup', 'edge-waf-logs');
    expect(group.inputs).toMatchObject({
      name: `aws-waf-logs-slipway-${stack}`,
      retentionInDays: retention[stack],
      kmsKeyId: kmsKeyArn(run, 'keys-data'),
    });
    expect(logging).toHaveLength(1);
    expect(logging[0]?.inputs).toEqual({
      resourceArn: run.outputs.edgeWebAclArn,
      logDestinationConfigs: [expect.stringMatching(/^arn:aws:logs:eu-west-1:123456789012:/)],
      redactedFields: [{ singleHeader: { name: 'authorization' } }, { singleHeader: { name: 'cookie' } }],
    });
  });

  it('keeps access logs in a private bucket encrypted with SSE-S3 (what ELB delivers to), for the tier’s days', () => {
    expect(ofEdge('aws:s3/bucket:Bucket', '').inputs).toMatchObject({
      bucket: bucketName,
      forceDestroy: stack === 'dev',
    });
    expect(
      ofEdge(
        'aws:s3/bucketServerSideEncryptionConfiguration:BucketServerSideEncryptionConfiguration',
        '-encryption',
      ).inputs.rules,
    ).toEqual([{ applyServerSideEncryptionByDefault: { sseAlgorithm: 'AES256' } }]);
    expect(
      ofEdge('aws:s3/bucketPublicAccessBlock:BucketPublicAccessBlock', '-public-access').inputs,
    ).toMatchObject({
      blockPublicAcls: true,
      blockPublicPolicy: true,
      ignorePublicAcls: true,
      restrictPublicBuckets: true,
    });
    expect(
      ofEdge('aws:s3/bucketOwnershipControls:BucketOwnershipControls', '-ownership').inputs.rule,
    ).toEqual({
      objectOwnership: 'BucketOwnerEnforced',
    });
    expect(
      ofEdge('aws:s3/bucketLifecycleConfiguration:BucketLifecycleConfiguration', '-expiry').inputs.rules,
    ).toEqual([expect.objectContaining({ status: 'Enabled', expiration: { days: retention[stack] } })]);
  });

  it("lets ELB's log delivery write only this environment's log folder, and nobody use plain HTTP", () => {
    const policy = jsonInput(ofEdge('aws:s3/bucketPolicy:BucketPolicy', '-policy'), 'policy') as {
      Statement: { Sid: string; Effect: string; Principal: unknown; Action: string; Resource: unknown }[];
    };
    const logs = `arn:aws:s3:::${bucketName}/alb/slipway-${stack}/AWSLogs/${accountId}/*`;
    expect(policy.Statement.map((s) => [s.Sid, s.Effect, s.Principal, s.Action, s.Resource])).toEqual([
      [
        'ElbLogDelivery',
        'Allow',
        { Service: 'logdelivery.elasticloadbalancing.amazonaws.com' },
        's3:PutObject',
        logs,
      ],
      // eu-west-1 opened before August 2022: ELB's regional account writes there.
      ['ElbRegionalAccount', 'Allow', { AWS: 'arn:aws:iam::156460612806:root' }, 's3:PutObject', logs],
      ['DenyWithoutTls', 'Deny', '*', 's3:*', [`arn:aws:s3:::${bucketName}`, `arn:aws:s3:::${bucketName}/*`]],
    ]);
    expect(run.outputs.edgeAccessLogBucketName).toBe(bucketName);
    expect(run.outputs.edgeAccessLogPrefix).toBe(`alb/slipway-${stack}`);
  });

  it("lets the load balancer controller attach this environment's web ACL to its own ALB only", async () => {
    const { policy } = roleOf(run, 'addons-aws-load-balancer-controller');
    if (!policy) throw new Error('no controller policy');
    const document = jsonInput(policy, 'policy');
    const elb = `arn:aws:elasticloadbalancing:eu-west-1:${accountId}:loadbalancer/app`;
    const acl = (env: string) =>
      `arn:aws:wafv2:eu-west-1:${accountId}:regional/webacl/slipway-${env}-edge/0a1b2c3d`;
    const other = stack === 'prod' ? 'staging' : 'prod';
    const associate = (resource: string) => decide(document, 'wafv2:AssociateWebACL', resource);
    if (stack === 'dev') {
      expect(await associate(`${elb}/slipway-dev/50dc6c495c0c9188`)).toBe('ImplicitlyDenied');
      return;
    }
    expect(await associate(`${elb}/slipway-${stack}/50dc6c495c0c9188`)).toBe('Allowed');
    expect(await associate(acl(stack))).toBe('Allowed');
    expect(await associate(`${elb}/slipway-${other}/50dc6c495c0c9188`)).toBe('ImplicitlyDenied');
    expect(await associate(acl(other))).toBe('ImplicitlyDenied');
  });
});

describe('the access-log bucket policy in a region opened after August 2022', () => {
  it('names the log delivery service principal alone', () => {
    const policy = JSON.parse(
      accessLogBucketPolicy({ bucketArn: 'arn:aws:s3:::logs', logPrefix: 'alb/x', accountId }),
    ) as { Statement: { Sid: string }[] };
    expect(policy.Statement.map((s) => s.Sid)).toEqual(['ElbLogDelivery', 'DenyWithoutTls']);
  });
});
