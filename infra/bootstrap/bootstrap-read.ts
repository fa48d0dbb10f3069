import { policy, type PolicyDocument, type PolicyStatement } from './policy-document';
import type { PolicyContext } from './permissions';

/**
 * What the read role needs beyond the stacks' previews to check the bootstrap itself for drift (drift.yml's
 * bootstrap job): the bootstrap's own state in the bucket (moved there after its first `up`), its lock, and
 * the state bucket's settings, which a refresh reads back. IAM, KMS and the OIDC provider are read with the
 * describe, get and list actions the read role has for the platform. Nothing here writes but the lock.
 */
export function bootstrapReadStatements(ctx: PolicyContext, bootstrapProject: string): PolicyStatement[] {
  const root = `${ctx.stateBucketArn}/.pulumi`;
  return [
    {
      Sid: 'ReadBootstrapState',
      Effect: 'Allow',
      Action: 's3:GetObject',
      Resource: [`${root}/stacks/${bootstrapProject}/*`, `${root}/history/${bootstrapProject}/*`],
    },
    {
      Sid: 'BootstrapLock',
      Effect: 'Allow',
      Action: ['s3:GetObject', 's3:PutObject', 's3:DeleteObject'],
      Resource: `${root}/locks/*/${bootstrapProject}/*`,
    },
    {
      Sid: 'ReadStateBucketSettings',
      Effect: 'Allow',
      Action: [
        's3:GetBucket*',
        's3:GetEncryptionConfiguration',
        's3:GetLifecycleConfiguration',
        's3:GetAccelerateConfiguration',
        's3:GetReplicationConfiguration',
      ],
      Resource: ctx.stateBucketArn,
    },
  ];
}

/** A policy with the bootstrap's drift reads added. */
export const withBootstrapReads = (
  document: PolicyDocument,
  ctx: PolicyContext,
  bootstrapProject: string,
): PolicyDocument => policy(...document.Statement, ...bootstrapReadStatements(ctx, bootstrapProject));
