import type { EngineSettings } from './data-stores';
import type { AlbTlsPolicy } from './schema';
import type { Tier } from './tiers';

/**
 * Per-tier defaults: dev is cheap, prod is highly available. A stack file states only what differs.
 * Shapes mirror schema.ts; the merged result is validated there.
 */
const common = {
  cluster: { version: '1.33', publicAccessCidrs: [] as string[], logRetentionDays: 90 },
};

export const tierDefaults: Record<Tier, Record<string, unknown>> = {
  dev: {
    network: {
      cidr: '10.10.0.0/16',
      azCount: 2,
      natGateways: 'single',
      interfaceEndpoints: false,
      flowLogRetentionDays: 14,
    },
    cluster: {
      ...common.cluster,
      logRetentionDays: 14,
      nodeGroups: [
        {
          name: 'general',
          instanceTypes: ['t3.large'],
          capacityType: 'SPOT',
          minSize: 1,
          desiredSize: 2,
          maxSize: 4,
          diskSizeGiB: 50,
        },
      ],
    },
    registry: { untaggedExpiryDays: 3, keepTaggedImages: 20 },
    // WAF costs a monthly fee per web ACL and rule group plus one per million requests: off in dev unless
    // a stack asks; access logs cost only their storage.
    edge: { waf: false, accessLogs: true, accessLogRetentionDays: 14, wafLogRetentionDays: 14 },
    quota: {
      pods: 40,
      requestsCpu: '8',
      requestsMemory: '16Gi',
      limitsCpu: '16',
      limitsMemory: '32Gi',
      containerMaxCpu: '2',
      containerMaxMemory: '4Gi',
    },
  },
  staging: {
    network: {
      cidr: '10.20.0.0/16',
      azCount: 3,
      natGateways: 'perAz',
      interfaceEndpoints: true,
      flowLogRetentionDays: 30,
    },
    cluster: {
      ...common.cluster,
      nodeGroups: [
        {
          name: 'general',
          instanceTypes: ['m6i.large'],
          capacityType: 'ON_DEMAND',
          minSize: 3,
          desiredSize: 3,
          maxSize: 6,
          diskSizeGiB: 50,
        },
      ],
    },
    registry: { untaggedExpiryDays: 7, keepTaggedImages: 50 },
    edge: { waf: true, accessLogs: true, accessLogRetentionDays: 30, wafLogRetentionDays: 30 },
    quota: {
      pods: 80,
      requestsCpu: '16',
      requestsMemory: '32Gi',
      limitsCpu: '32',
      limitsMemory: '64Gi',
      containerMaxCpu: '4',
      containerMaxMemory: '8Gi',
    },
  },
  prod: {
    network: {
      cidr: '10.30.0.0/16',
      azCount: 3,
      natGateways: 'perAz',
      interfaceEndpoints: true,
      flowLogRetentionDays: 365,
    },
    cluster: {
      ...common.cluster,
      logRetentionDays: 365,
      nodeGroups: [
        {
          name: 'general',
          instanceTypes: ['m6i.xlarge'],
          capacityType: 'ON_DEMAND',
          minSize: 3,
          desiredSize: 3,
          maxSize: 12,
          diskSizeGiB: 100,
        },
      ],
    },
    registry: { untaggedExpiryDays: 14, keepTaggedImages: 100 },
    edge: { waf: true, accessLogs: true, accessLogRetentionDays: 365, wafLogRetentionDays: 365 },
    quota: {
      pods: 200,
      requestsCpu: '48',
      requestsMemory: '96Gi',
      limitsCpu: '96',
      limitsMemory: '192Gi',
      containerMaxCpu: '4',
      containerMaxMemory: '8Gi',
    },
  },
};

/**
 * Each data-store engine's size and safety per tier: dev is one small node that may be thrown away;
 * staging keeps backups and refuses deletion; prod spreads across AZs, keeps two weeks of backups and
 * a final snapshot. A stack file overrides one store under `slipway:dataStores.<store>`; rules.ts holds
 * prod to the floor whatever it says.
 */
export const dataStoreDefaults: Record<Tier, EngineSettings> = {
  dev: {
    postgres: {
      engineVersion: '17',
      instanceClass: 'db.t4g.micro',
      allocatedStorageGiB: 20,
      maxAllocatedStorageGiB: 50,
      multiAz: false,
      deletionProtection: false,
      backupRetentionDays: 1,
      skipFinalSnapshot: true,
      performanceInsights: false,
    },
    mysql: {
      engineVersion: '8.4',
      instanceClass: 'db.t4g.micro',
      allocatedStorageGiB: 20,
      maxAllocatedStorageGiB: 50,
      multiAz: false,
      deletionProtection: false,
      backupRetentionDays: 1,
      skipFinalSnapshot: true,
      performanceInsights: false,
    },
    redis: {
      engineVersion: '7.1',
      nodeType: 'cache.t4g.micro',
      replicas: 0,
      snapshotRetentionDays: 0,
      finalSnapshot: false,
    },
    rabbitmq: { engineVersion: '3.13', instanceType: 'mq.t3.micro', deploymentMode: 'SINGLE_INSTANCE' },
    documentdb: {
      engineVersion: '5.0.0',
      instanceClass: 'db.t4g.medium',
      instances: 1,
      deletionProtection: false,
      backupRetentionDays: 1,
      skipFinalSnapshot: true,
    },
    sqs: { messageRetentionSeconds: 345600, maxReceiveCount: 5 },
  },
  staging: {
    postgres: {
      engineVersion: '17',
      instanceClass: 'db.t4g.medium',
      allocatedStorageGiB: 20,
      maxAllocatedStorageGiB: 100,
      multiAz: false,
      deletionProtection: true,
      backupRetentionDays: 7,
      skipFinalSnapshot: false,
      performanceInsights: true,
    },
    mysql: {
      engineVersion: '8.4',
      instanceClass: 'db.t4g.medium',
      allocatedStorageGiB: 20,
      maxAllocatedStorageGiB: 100,
      multiAz: false,
      deletionProtection: true,
      backupRetentionDays: 7,
      skipFinalSnapshot: false,
      performanceInsights: true,
    },
    redis: {
      engineVersion: '7.1',
      nodeType: 'cache.t4g.small',
      replicas: 1,
      snapshotRetentionDays: 3,
      finalSnapshot: true,
    },
    rabbitmq: { engineVersion: '3.13', instanceType: 'mq.m5.large', deploymentMode: 'SINGLE_INSTANCE' },
    documentdb: {
      engineVersion: '5.0.0',
      instanceClass: 'db.t4g.medium',
      instances: 1,
      deletionProtection: true,
      backupRetentionDays: 7,
      skipFinalSnapshot: false,
    },
    sqs: { messageRetentionSeconds: 345600, maxReceiveCount: 5 },
  },
  prod: {
    postgres: {
      engineVersion: '17',
      instanceClass: 'db.r6g.large',
      allocatedStorageGiB: 100,
      maxAllocatedStorageGiB: 1000,
      multiAz: true,
      deletionProtection: true,
      backupRetentionDays: 14,
      skipFinalSnapshot: false,
      performanceInsights: true,
    },
    mysql: {
      engineVersion: '8.4',
      instanceClass: 'db.r6g.large',
      allocatedStorageGiB: 100,
      maxAllocatedStorageGiB: 1000,
      multiAz: true,
      deletionProtection: true,
      backupRetentionDays: 14,
      skipFinalSnapshot: false,
      performanceInsights: true,
    },
    redis: {
      engineVersion: '7.1',
      nodeType: 'cache.r7g.large',
      replicas: 2,
      snapshotRetentionDays: 14,
      finalSnapshot: true,
    },
    rabbitmq: { engineVersion: '3.13', instanceType: 'mq.m5.large', deploymentMode: 'CLUSTER_MULTI_AZ' },
    documentdb: {
      engineVersion: '5.0.0',
      instanceClass: 'db.r6g.large',
      instances: 3,
      deletionProtection: true,
      backupRetentionDays: 14,
      skipFinalSnapshot: false,
    },
    sqs: { messageRetentionSeconds: 1209600, maxReceiveCount: 5 },
  },
};

/**
 * The ALB TLS policy when the stack file names none: TLS 1.3 only in prod, where the clients are the
 * public's current browsers; TLS 1.3 with a 1.2 fallback below it, where older test tools still connect.
 */
export const defaultTlsPolicy: Record<Tier, AlbTlsPolicy> = {
  dev: 'ELBSecurityPolicy-TLS13-1-2-2021-06',
  staging: 'ELBSecurityPolicy-TLS13-1-2-2021-06',
  prod: 'ELBSecurityPolicy-TLS13-1-3-2021-06',
};
