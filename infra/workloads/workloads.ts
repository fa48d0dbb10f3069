import * as k8s from '@pulumi/kubernetes';
import * as pulumi from '@pulumi/pulumi';
import { defaultTlsPolicy } from '../config/defaults';
import type { IngressConfig, QuotaConfig } from '../config/schema';
import type { ServiceSpec } from '../config/services';
import type { Tier } from '../config/tiers';
import type { DataAccess } from './data-access';
import { ingressOrder, type LoadBalancerEdge } from './ingress';
import { namespaceManifest } from './namespace';
import { defaultDenyPolicy, dnsEgressPolicy, type NetworkPlan } from './network-policy';
import { priorityClassManifests } from './priority';
import { limitRangeManifest, resourceQuotaManifest } from './quota';
import { ServiceWorkload } from './service-workload';

export interface WorkloadsArgs {
  provider: k8s.Provider;
  /** The stack: names the environment's namespace objects and labels. */
  environment: string;
  tier: Tier;
  region: string;
  /** Namespace every service of the environment runs in. */
  namespace: string;
  /** The cluster's Kubernetes version, which the Pod Security Standards are pinned to. */
  kubernetesVersion: string;
  /** IAM role names are `<rolePrefix>-<service>`. */
  rolePrefix: string;
  /**
   * The bootstrap's services boundary of the environment, which every role made here must carry: the apps
   * role may create and write service roles only with it.
   */
  permissionsBoundaryArn: string;
  services: ServiceSpec[];
  /** The namespace's budget, which the catalog was validated against. */
  quota: QuotaConfig;
  oidcProviderArn: pulumi.Input<string>;
  oidcProviderUrl: pulumi.Input<string>;
  /**
   * The pinned image (`repository@sha256:…`) of every service, resolved before any object is
   * registered: the apps program says which digest each service runs (see infra/apps/images.ts).
   */
  images: Record<string, string>;
  /** Secrets Manager secret per service that declares secret keys. */
  secretArns: Record<string, pulumi.Input<string>>;
  secretsKeyArn: pulumi.Input<string>;
  /** The account and partition a secret a service names without an ARN lives in. */
  account: { partition: string; accountId: string };
  /** The platform's data services as the apps see them: no master or admin secret. */
  data: DataAccess;
  network: NetworkPlan;
  ingress?: IngressConfig;
  /** The platform's WAF web ACL and access-log bucket for the environment's ALB. */
  edge: LoadBalancerEdge;
  /** What the objects need in place first: the add-ons' CRDs and webhooks. */
  dependsOn?: pulumi.Resource[];
  tags: Record<string, string>;
}

/**
 * The environment's workloads: a namespace held to Pod Security `restricted`, with a quota, container
 * defaults and a default-deny network, the priority classes, and one ServiceWorkload per service.
 */
export class Workloads extends pulumi.ComponentResource {
  readonly services: Record<string, ServiceWorkload>;

  constructor(name: string, args: WorkloadsArgs, opts?: pulumi.ComponentResourceOptions) {
    const missing = args.services.filter((service) => !args.images[service.name]);
    if (missing.length > 0) {
      throw new Error(`no image for ${missing.map((s) => s.name).join(', ')} in ${args.environment}`);
    }
    super('slipway:workloads:Workloads', name, {}, opts);
    const kube = { parent: this, provider: args.provider, dependsOn: args.dependsOn };

    const namespace = new k8s.core.v1.Namespace(
      `${name}-namespace`,
      namespaceManifest(args.namespace, args.environment, args.kubernetesVersion),
      kube,
    );
    const inNamespace = { ...kube, dependsOn: [...(args.dependsOn ?? []), namespace] };
    const priorityClasses = priorityClassManifests().map(
      (manifest) => new k8s.scheduling.v1.PriorityClass(`${name}-${manifest.metadata.name}`, manifest, kube),
    );
    new k8s.core.v1.ResourceQuota(
      `${name}-quota`,
      resourceQuotaManifest(args.namespace, args.quota),
      inNamespace,
    );
    new k8s.core.v1.LimitRange(`${name}-limits`, limitRangeManifest(args.namespace, args.quota), inNamespace);
    new k8s.networking.v1.NetworkPolicy(
      `${name}-default-deny`,
      defaultDenyPolicy(args.namespace),
      inNamespace,
    );
    new k8s.networking.v1.NetworkPolicy(`${name}-allow-dns`, dnsEgressPolicy(args.namespace), inNamespace);

    const order = ingressOrder(args.services);
    this.services = {};
    for (const service of args.services) {
      const image = args.images[service.name] as string;
      const groupOrder = order.get(service.name);
      this.services[service.name] = new ServiceWorkload(
        `${name}-${service.name}`,
        {
          service,
          services: args.services,
          provider: args.provider,
          namespace: args.namespace,
          environment: args.environment,
          tier: args.tier,
          region: args.region,
          rolePrefix: args.rolePrefix,
          permissionsBoundaryArn: args.permissionsBoundaryArn,
          oidcProviderArn: args.oidcProviderArn,
          oidcProviderUrl: args.oidcProviderUrl,
          image,
          secretArn: args.secretArns[service.name],
          secretsKeyArn: args.secretsKeyArn,
          account: args.account,
          data: args.data,
          network: args.network,
          ingress:
            args.ingress && groupOrder !== undefined
              ? {
                  groupName: args.namespace,
                  order: groupOrder,
                  certificateArn: args.ingress.certificateArn,
                  sslPolicy: args.ingress.sslPolicy ?? defaultTlsPolicy[args.tier],
                  edge: args.edge,
                }
              : undefined,
          dependsOn: [...inNamespace.dependsOn, ...priorityClasses],
          tags: args.tags,
        },
        { parent: this },
      );
    }
    this.registerOutputs({});
  }
}
