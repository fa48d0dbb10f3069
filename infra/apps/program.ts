import * as k8s from '@pulumi/kubernetes';
import * as pulumi from '@pulumi/pulumi';
import { readPlatformConfig } from '../config/pulumi';
import { projectStackFile } from '../config/projects';
import { pinnedImage } from '../workloads/deployment';
import { platformProject, servicesBoundaryArn } from '../outputs';
import { accountOfArn } from '../workloads/secret-store';
import { Workloads } from '../workloads/workloads';
import { chooseImageDigests, imageDigestsOutput, runningImageDigests } from './images';
import { kubeconfigFor } from './kubeconfig';
import { readPlatformOutputs } from './platform';

function movedProviderUrns(stack: string): string[] {
  const prefix = `urn:pulumi:${stack}::${pulumi.getProject()}::`;
  return [
    `${prefix}slipway:platform:Cluster$pulumi:providers:kubernetes::cluster-k8s`,
    `${prefix}pulumi:providers:kubernetes::cluster-k8s`,
  ];
}

/**
 * The apps for the running stack: the environment's namespace with its guard rails, and every catalog
 * service's identity, workload, policies and ingress, on the cluster the platform stack of the same
 * name runs. Everything it needs from the platform comes through the outputs contract (../outputs),
 * parsed once; it never imports a platform component. The order is config, platform outputs, images,
 * then resources: each can fail with a clear line before anything is registered.
 */
export async function appsProgram(): Promise<Record<string, unknown>> {
  const config = readPlatformConfig('apps');
  const { outputs: platform } = await readPlatformOutputs();
  const digests = chooseImageDigests({
    services: config.services.map((service) => service.name),
    passed: config.images,
    running: await runningImageDigests(),
    stackFile: projectStackFile('apps', config.stack),
  });
  const images = Object.fromEntries(
    Object.entries(digests).map(([service, digest]) => {
      const repositoryUrl = platform.registryRepositoryUrls[service];
      if (!repositoryUrl) {
        throw new Error(
          `${service}: the platform has no ECR repository for it yet: deploy the platform after adding a service to services.yaml`,
        );
      }
      return [service, pinnedImage(repositoryUrl, digest)];
    }),
  );

  // Tagged as the platform's resources are: one product, whichever project deploys it.
  const tags = { project: platformProject, stack: config.stack, tier: config.tier };
  const provider = new k8s.Provider(
    'cluster',
    { kubeconfig: kubeconfigFor(platform, config.region), enableServerSideApply: true },
    // The provider the workloads used in the single project (`cluster-k8s` under the Cluster), as
    // `pulumi state move` brings it over (docs/migrations/two-projects.md): aliased so the moved objects
    // keep their provider. Drop once every environment has run its first apps deploy.
    { aliases: movedProviderUrns(config.stack) },
  );
  // The platform's key ARN names the account the stack runs in: where a secret named by name lives, and
  // whose bootstrap made the boundary every service role must carry.
  const account = accountOfArn(platform.keysDataKeyArn);
  const workloads = new Workloads('workloads', {
    provider,
    environment: config.stack,
    tier: config.tier,
    region: config.region,
    namespace: platform.workloadsNamespaceName,
    kubernetesVersion: platform.clusterKubernetesVersion,
    rolePrefix: platform.workloadsRolePrefix,
    permissionsBoundaryArn: servicesBoundaryArn(account, config.stack),
    services: config.services,
    quota: config.quota,
    oidcProviderArn: platform.clusterOidcProviderArn,
    oidcProviderUrl: platform.clusterOidcProviderUrl,
    images,
    secretArns: platform.secretsServiceArns,
    secretsKeyArn: platform.keysDataKeyArn,
    account,
    data: {
      endpoints: Object.fromEntries(
        Object.entries(platform.dataStoreEndpoints).map(([store, { engine, port, cidrs }]) => [
          store,
          { engine, port, cidrs },
        ]),
      ),
      queues: platform.dataQueues,
      credentials: platform.dataCredentials,
    },
    network: {
      loadBalancerCidrs: platform.networkPublicSubnetCidrs,
      apiServerCidrs: platform.networkControlPlaneSubnetCidrs,
      dataServices: Object.fromEntries(
        Object.entries(platform.dataStoreEndpoints).map(([store, { port, cidrs }]) => [
          store,
          { port, cidrs },
        ]),
      ),
      aws: {
        endpointCidrs: platform.networkEndpointSubnetCidrs,
        endpointServices: platform.networkEndpointServices,
        s3Cidrs: platform.networkS3Cidrs,
      },
    },
    ingress: config.ingress,
    edge: {
      webAclArn: platform.edgeWebAclArn || undefined,
      accessLogs: platform.edgeAccessLogBucketName
        ? { bucket: platform.edgeAccessLogBucketName, prefix: platform.edgeAccessLogPrefix }
        : undefined,
    },
    tags,
  });

  return {
    [imageDigestsOutput]: digests,
    // Only services with AWS grants have a role.
    appsServiceRoleArns: Object.fromEntries(
      Object.entries(workloads.services).flatMap(([name, service]) =>
        service.roleArn ? [[name, service.roleArn]] : [],
      ),
    ),
  };
}
