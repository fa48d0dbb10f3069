import type { ResourceValidationPolicy } from '@pulumi/policy';
import { forTypes } from '../applies-to';
import { isProduction } from '../stack-tier';

const instance = 'aws:rds/instance:Instance';
const cluster = 'aws:rds/cluster:Cluster';
const clusterInstance = 'aws:rds/clusterInstance:ClusterInstance';

/** A database is reached from the workloads inside the VPC only; a public address invites the internet. */
export const databaseNotPublic: ResourceValidationPolicy = {
  name: 'rds-not-publicly-accessible',
  description: 'No RDS instance is publicly accessible.',
  enforcementLevel: 'mandatory',
  validateResource: forTypes([instance, clusterInstance], (props, args, report) => {
    if (props.publiclyAccessible === true) report(`${args.name} sets publiclyAccessible: true`);
  }),
};

/** Encryption at rest can only be chosen at creation; AWS's default is off. */
export const databaseStorageEncrypted: ResourceValidationPolicy = {
  name: 'rds-storage-encrypted',
  description: 'Every RDS instance and cluster encrypts its storage.',
  enforcementLevel: 'mandatory',
  validateResource: forTypes([instance, cluster], (props, args, report) => {
    if (props.storageEncrypted !== true) report(`${args.name} does not set storageEncrypted: true`);
  }),
};

/**
 * In production a stray `pulumi destroy` or a replacement must not take the data with it: deletion
 * protection on, and a final snapshot when the database does go.
 */
export const productionDatabaseProtected: ResourceValidationPolicy = {
  name: 'rds-production-deletion-protection',
  description: 'A production RDS instance or cluster has deletion protection and keeps a final snapshot.',
  enforcementLevel: 'mandatory',
  validateResource: forTypes([instance, cluster], (props, args, report) => {
    if (!isProduction(args.urn, props)) args.notApplicable('not a production database');
    if (props.deletionProtection !== true) report(`${args.name} does not set deletionProtection: true`);
    if (props.skipFinalSnapshot === true) report(`${args.name} sets skipFinalSnapshot: true`);
  }),
};
