import type { ResourceValidationPolicy } from '@pulumi/policy';
import { forTypes } from '../applies-to';
import { isProduction } from '../stack-tier';

const replicationGroup = 'aws:elasticache/replicationGroup:ReplicationGroup';
const broker = 'aws:mq/broker:Broker';
const documentDb = 'aws:docdb/cluster:Cluster';
const queue = 'aws:sqs/queue:Queue';

/**
 * A cache holds sessions and carts: encrypted at rest, and TLS required in transit (`preferred` lets
 * a client talk in the clear). Both are fixed at creation; AWS's defaults are off.
 */
export const cacheEncrypted: ResourceValidationPolicy = {
  name: 'elasticache-encrypted',
  description: 'Every ElastiCache replication group encrypts at rest and requires TLS in transit.',
  enforcementLevel: 'mandatory',
  validateResource: forTypes([replicationGroup], (props, args, report) => {
    if (props.atRestEncryptionEnabled !== true)
      report(`${args.name} does not set atRestEncryptionEnabled: true`);
    if (props.transitEncryptionEnabled !== true)
      report(`${args.name} does not set transitEncryptionEnabled: true`);
    if (props.transitEncryptionMode === 'preferred')
      report(`${args.name} lets clients skip TLS (transitEncryptionMode: preferred)`);
  }),
};

/** Without a user group or an AUTH token, anything that reaches the port may read and write every key. */
export const cacheAccessControlled: ResourceValidationPolicy = {
  name: 'elasticache-access-control',
  description: 'Every ElastiCache replication group authenticates its clients (RBAC user groups or AUTH).',
  enforcementLevel: 'mandatory',
  validateResource: forTypes([replicationGroup], (props, args, report) => {
    const groups = props.userGroupIds as unknown[] | undefined;
    if ((groups?.length ?? 0) === 0 && props.authToken === undefined)
      report(`${args.name} has neither a user group nor an AUTH token`);
  }),
};

/** ElastiCache has no deletion protection: in production a delete must at least leave a snapshot, and a node loss fail over. */
export const productionCacheProtected: ResourceValidationPolicy = {
  name: 'elasticache-production-protected',
  description: 'A production ElastiCache replication group fails over across AZs and keeps a final snapshot.',
  enforcementLevel: 'mandatory',
  validateResource: forTypes([replicationGroup], (props, args, report) => {
    if (!isProduction(args.urn, props)) args.notApplicable('not a production cache');
    if (props.automaticFailoverEnabled !== true)
      report(`${args.name} does not set automaticFailoverEnabled: true`);
    if (!props.finalSnapshotIdentifier) report(`${args.name} sets no finalSnapshotIdentifier`);
  }),
};

/** A public broker is an AMQP endpoint on the internet; the workloads reach it inside the VPC. */
export const brokerNotPublic: ResourceValidationPolicy = {
  name: 'mq-not-publicly-accessible',
  description: 'No Amazon MQ broker is publicly accessible.',
  enforcementLevel: 'mandatory',
  validateResource: forTypes([broker], (props, args, report) => {
    if (props.publiclyAccessible !== false) report(`${args.name} does not set publiclyAccessible: false`);
  }),
};

/** As for RDS: encryption at rest is chosen at creation and is off by default. */
export const documentDbEncrypted: ResourceValidationPolicy = {
  name: 'docdb-storage-encrypted',
  description: 'Every DocumentDB cluster encrypts its storage.',
  enforcementLevel: 'mandatory',
  validateResource: forTypes([documentDb], (props, args, report) => {
    if (props.storageEncrypted !== true) report(`${args.name} does not set storageEncrypted: true`);
  }),
};

/** As for RDS: in production a stray destroy or replacement must not take the documents with it. */
export const productionDocumentDbProtected: ResourceValidationPolicy = {
  name: 'docdb-production-deletion-protection',
  description: 'A production DocumentDB cluster has deletion protection and keeps a final snapshot.',
  enforcementLevel: 'mandatory',
  validateResource: forTypes([documentDb], (props, args, report) => {
    if (!isProduction(args.urn, props)) args.notApplicable('not a production document store');
    if (props.deletionProtection !== true) report(`${args.name} does not set deletionProtection: true`);
    if (props.skipFinalSnapshot === true) report(`${args.name} sets skipFinalSnapshot: true`);
  }),
};

/** Messages carry orders and payments: encrypted at rest under a customer-managed key, whose use is logged. */
export const queueEncrypted: ResourceValidationPolicy = {
  name: 'sqs-kms-encrypted',
  description: 'Every SQS queue encrypts its messages with a KMS key.',
  enforcementLevel: 'mandatory',
  validateResource: forTypes([queue], (props, args, report) => {
    if (!props.kmsMasterKeyId) report(`${args.name} sets no kmsMasterKeyId`);
  }),
};
