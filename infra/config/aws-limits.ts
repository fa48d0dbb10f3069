/**
 * What AWS and Kubernetes accept, as of this release: values outside these are accepted by the config
 * model's types but refused by the service at deploy time, after other resources have changed. Checking
 * them here moves that failure to the plan, with a line naming the key.
 */

/** Regions with EKS, RDS and ECR (commercial and GovCloud); the China partition's ARNs differ. */
export const awsRegions = [
  'us-east-1',
  'us-east-2',
  'us-west-1',
  'us-west-2',
  'af-south-1',
  'ap-east-1',
  'ap-east-2',
  'ap-south-1',
  'ap-south-2',
  'ap-northeast-1',
  'ap-northeast-2',
  'ap-northeast-3',
  'ap-southeast-1',
  'ap-southeast-2',
  'ap-southeast-3',
  'ap-southeast-4',
  'ap-southeast-5',
  'ap-southeast-7',
  'ca-central-1',
  'ca-west-1',
  'eu-central-1',
  'eu-central-2',
  'eu-west-1',
  'eu-west-2',
  'eu-west-3',
  'eu-south-1',
  'eu-south-2',
  'eu-north-1',
  'il-central-1',
  'me-south-1',
  'me-central-1',
  'mx-central-1',
  'sa-east-1',
  'us-gov-east-1',
  'us-gov-west-1',
] as const;

/** The retention periods CloudWatch Logs accepts (PutRetentionPolicy); any other number is refused. */
export const logRetentionDays = [
  1, 3, 5, 7, 14, 30, 60, 90, 120, 150, 180, 365, 400, 545, 731, 1096, 1827, 2192, 2557, 2922, 3288, 3653,
] as const;

/** Engine versions each managed service offers, by the part a stack file states (major or major.minor). */
export const engineVersions = {
  postgres: ['13', '14', '15', '16', '17'],
  mysql: ['8.0', '8.4'],
  redis: ['6.2', '7.0', '7.1'],
  rabbitmq: ['3.13'],
  documentdb: ['4.0.0', '5.0.0'],
} as const;

/** EKS default quotas: node groups per cluster and nodes per managed node group. */
export const eksLimits = { nodeGroupsPerCluster: 30, nodesPerNodeGroup: 450 } as const;

/** Kubernetes (etcd) refuses an object larger than 1 MiB; a ConfigMap's data must fit in it. */
export const configMapBytes = 1024 * 1024;

/**
 * The largest address range prod may open the cluster's public API endpoint to, in all: a /8. Refusing
 * only 0.0.0.0/0 let `0.0.0.0/1` plus `128.0.0.0/1` open it to the whole internet.
 */
export const largestApiAccessAddresses = 2 ** 24;
