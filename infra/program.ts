import * as aws from '@pulumi/aws';
import * as pulumi from '@pulumi/pulumi';
import { Addons } from './addons';
import { AppsDeployerRbac } from './apps-deployer-rbac';
import { applyPermissionsBoundary, permissionsBoundaryArn } from './boundary';
import { iamArn, roleNames, serviceRolePrefix } from './bootstrap/role-names';
import { Cluster } from './cluster';
import { ConfigError } from './config/errors';
import { stackFileName } from './config/files';
import { namespace } from './config/load';
import { readPlatformConfig } from './config/pulumi';
import { DataServices } from './data/data-services';
import { UserProvisioner } from './data/user-provisioner';
import { Edge } from './edge';
import { Keys } from './keys';
import { Network } from './network';
import { Registry } from './registry';
import type { PlatformOutputInputs } from './outputs';
import { loadBalancerNameOf } from './workloads/ingress';
import { awsServicesOf } from './workloads/network-policy';

export { asPulumiFailure } from './config/pulumi';

/**
 * The platform for the running stack: network, keys and secrets, registries, the cluster with its node
 * groups and add-ons, the data services and the Job that makes each service's login in them (in the
 * platform's own namespace). Never a workload of the apps: those are the apps project's (infra/apps),
 * which reads the outputs returned here, the contract in ./outputs. Config is read and validated first, so a
 * bad stack file fails with its ConfigError before a single resource is registered.
 */
export async function platformProgram(): Promise<PlatformOutputInputs> {
  const config = readPlatformConfig();
  const prefix = `${pulumi.getProject()}-${config.stack}`;
  const tags = { project: pulumi.getProject(), stack: config.stack, tier: config.tier };

  const [zones, identity, partition, s3PrefixList, elbAccount] = await Promise.all([
    aws.getAvailabilityZones({
      state: 'available',
      filters: [{ name: 'opt-in-status', values: ['opt-in-not-required'] }],
    }),
    aws.getCallerIdentity({}),
    aws.getPartition({}),
    // S3's AWS-managed prefix list: the addresses the S3 gateway endpoint routes to. A NetworkPolicy
    // cannot name a prefix list, so the pods' rule for S3 lists its addresses.
    aws.ec2.getPrefixList({ name: `com.amazonaws.${config.region}.s3` }),
    // The account ELB writes access logs as, in regions opened before August 2022; none in newer ones,
    // where the log delivery service principal writes them.
    aws.elb.getServiceAccount({}).then(
      (account) => account.arn,
      () => undefined,
    ),
  ]);
  const boundaryArn = permissionsBoundaryArn(partition.partition, identity.accountId, config.stack);
  applyPermissionsBoundary(boundaryArn);
  if (zones.names.length < config.network.azCount) {
    throw new ConfigError([
      `${stackFileName(config.stack)}: ${namespace}:network.azCount: ${config.region} has only ${zones.names.length} AZs`,
    ]);
  }

  const keys = new Keys('keys', {
    prefix,
    tier: config.tier,
    region: config.region,
    accountId: identity.accountId,
    partition: partition.partition,
    services: config.services,
    tags,
  });
  const network = new Network('network', {
    prefix,
    config: config.network,
    region: config.region,
    availabilityZones: zones.names.slice(0, config.network.azCount),
    logsKeyArn: keys.dataKeyArn,
    workloadAwsServices: [...new Set(config.services.flatMap(awsServicesOf))],
    accountId: identity.accountId,
    tags,
  });
  const registry = new Registry('registry', {
    prefix,
    services: config.services.map((service) => service.name),
    config: config.registry,
    kmsKeyArn: keys.dataKeyArn,
    forceDelete: config.tier === 'dev',
    tags,
  });
  // The apps stack deploys with the bootstrap's apps role of this environment: namespace admin here.
  const workloadNamespace = prefix;
  const appsDeployer = {
    roleArn: iamArn(
      partition.partition,
      identity.accountId,
      `role/${roleNames.deploy(pulumi.getProject(), config.stack)}`,
    ),
    namespace: workloadNamespace,
    group: 'slipway:apps-deployers',
  };
  const cluster = new Cluster('cluster', {
    clusterName: prefix,
    appsDeployer,
    config: config.cluster,
    vpcId: network.vpcId,
    privateSubnetIds: network.privateSubnetIds,
    controlPlaneSubnetIds: network.controlPlaneSubnetIds,
    secretsKeyArn: keys.clusterKeyArn,
    dataKeyArn: keys.dataKeyArn,
    partition: partition.partition,
    permissionsBoundaryArn: boundaryArn,
    tags,
  });
  const data = new DataServices('data', {
    prefix,
    tier: config.tier,
    accountId: identity.accountId,
    stores: config.dataStores,
    services: config.services,
    vpcId: network.vpcId,
    subnetIds: network.databaseSubnetIds,
    subnetCidrs: network.databaseSubnetCidrs,
    clientSecurityGroupId: cluster.nodeSecurityGroupId,
    kmsKeyArn: keys.dataKeyArn,
    tags,
  });
  new AppsDeployerRbac('apps-deployer', {
    provider: cluster.provider,
    group: appsDeployer.group,
    namespace: workloadNamespace,
  });
  const edge = new Edge('edge', {
    prefix,
    tier: config.tier,
    config: config.edge,
    accountId: identity.accountId,
    logsKeyArn: keys.dataKeyArn,
    elbAccountArn: elbAccount,
    tags,
  });
  const addons = new Addons('addons', {
    provider: cluster.provider,
    clusterName: cluster.clusterName,
    region: config.region,
    vpcId: network.vpcId,
    oidcProviderArn: cluster.oidcProviderArn,
    oidcProviderUrl: cluster.oidcProviderUrl,
    rolePrefix: prefix,
    loadBalancerScope: {
      clusterName: prefix,
      loadBalancerName: loadBalancerNameOf(workloadNamespace),
      region: config.region,
      accountId: identity.accountId,
      partition: partition.partition,
      webAclName: edge.webAclName,
      tags,
    },
    tags,
  });
  // Each service's own user (and database or vhost) inside the engines whose users live there, made
  // with the master or admin login by a Job of the platform's: the apps never see a master secret.
  if (data.provisionedStores.length > 0) {
    new UserProvisioner('data-users', {
      provider: cluster.provider,
      prefix,
      environment: config.stack,
      kubernetesVersion: config.cluster.version,
      region: config.region,
      oidcProviderArn: cluster.oidcProviderArn,
      oidcProviderUrl: cluster.oidcProviderUrl,
      dataKeyArn: keys.dataKeyArn,
      stores: data.provisionedStores,
      dependsOn: addons.ready,
      tags,
    });
  }
  const outputs: PlatformOutputInputs = {
    networkVpcId: network.vpcId,
    networkPrivateSubnetIds: pulumi.output(network.privateSubnetIds),
    networkPublicSubnetCidrs: network.publicSubnetCidrs,
    networkPrivateSubnetCidrs: network.privateSubnetCidrs,
    networkControlPlaneSubnetCidrs: network.controlPlaneSubnetCidrs,
    networkDatabaseSubnetCidrs: network.databaseSubnetCidrs,
    networkEndpointSubnetCidrs: network.endpointSubnetCidrs,
    networkEndpointServices: network.endpointServices,
    networkS3Cidrs: [...s3PrefixList.cidrBlocks].sort(),
    clusterName: cluster.clusterName,
    clusterEndpoint: cluster.endpoint,
    clusterCertificateAuthorityData: cluster.certificateAuthorityData,
    clusterKubernetesVersion: config.cluster.version,
    clusterOidcProviderArn: cluster.oidcProviderArn,
    clusterOidcProviderUrl: cluster.oidcProviderUrl,
    workloadsNamespaceName: workloadNamespace,
    workloadsRolePrefix: serviceRolePrefix(pulumi.getProject(), config.stack),
    registryRepositoryUrls: pulumi.output(registry.repositoryUrls),
    secretsServiceArns: pulumi.output(keys.secretArns),
    keysDataKeyArn: keys.dataKeyArn,
    dataStoreEndpoints: pulumi.output(
      Object.fromEntries(
        Object.entries(data.endpoints).map(([store, { engine, host, port, cidrs }]) => [
          store,
          { engine, host, port, cidrs },
        ]),
      ),
    ),
    dataQueues: pulumi.output(data.queues),
    dataCredentials: pulumi.output(data.credentials),
    edgeWebAclArn: edge.webAclArn ?? '',
    edgeAccessLogBucketName: edge.accessLogBucket ?? '',
    edgeAccessLogPrefix: edge.accessLogPrefix,
  };
  return outputs;
}
