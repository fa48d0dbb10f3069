import * as aws from '@pulumi/aws';
import * as k8s from '@pulumi/kubernetes';
import * as pulumi from '@pulumi/pulumi';
import type { AlbTlsPolicy } from '../config/schema';
import { serviceAccountTrustPolicy } from '../identity/service-account-trust';
import type { ServiceSpec } from '../config/services';
import type { Tier } from '../config/tiers';
import { hpaManifest, pdbManifest } from './availability';
import {
  configData,
  configHash,
  configInputs,
  configMapManifest,
  filesConfigMapManifest,
} from './config-map';
import { queueUses, type DataAccess } from './data-access';
import { deploymentManifest } from './deployment';
import { dataExternalSecretManifests, externalSecretManifests } from './external-secrets';
import { podPolicyDocument } from './iam';
import { ingressManifest, type LoadBalancerEdge } from './ingress';
import { asJobWorkload, cronJobManifest, jobManifest } from './jobs';
import { serviceLabels } from './names';
import { egressPolicy, ingressPolicy, type NetworkPlan } from './network-policy';
import { metricsReaderManifests } from './rbac';
import {
  secretReaderAccountManifest,
  secretReaderAccountName,
  secretReaderPolicyDocument,
  secretReaderRoleName,
  secretsReadBy,
  secretStoreManifest,
  secretStoreName,
} from './secret-store';
import { serviceManifest } from './service';

export interface ServiceWorkloadArgs {
  service: ServiceSpec;
  /** The whole catalog: who calls this service, and whom it calls. */
  services: ServiceSpec[];
  provider: k8s.Provider;
  namespace: string;
  environment: string;
  tier: Tier;
  region: string;
  /** IAM role name: `<rolePrefix>-<service>`. */
  rolePrefix: string;
  /** The permissions boundary both its roles carry (the bootstrap's services boundary of the environment). */
  permissionsBoundaryArn: string;
  oidcProviderArn: pulumi.Input<string>;
  oidcProviderUrl: pulumi.Input<string>;
  /** The `repository@sha256:…` image the Deployment runs: a digest the pipeline pushed, never a tag. */
  image: string;
  /** The service's own Secrets Manager secret, when it declares secret keys. */
  secretArn?: pulumi.Input<string>;
  /** The account and partition a secret the service names without an ARN lives in. */
  account: { partition: string; accountId: string };
  secretsKeyArn: pulumi.Input<string>;
  /** The platform's data services: the service's credentials, queues and store endpoints. */
  data: DataAccess;
  network: NetworkPlan;
  /** The shared ALB: its group, this service's place in it, the certificate. */
  ingress?: {
    groupName: string;
    order: number;
    certificateArn: pulumi.Input<string>;
    sslPolicy: AlbTlsPolicy;
    edge: LoadBalancerEdge;
  };
  /** Objects the service's objects need first: the namespace, priority classes, the add-ons. */
  dependsOn: pulumi.Resource[];
  tags: Record<string, string>;
}

/**
 * Everything one catalog service runs as: its IAM role and service account, Deployment (after its
 * pre-rollout Jobs) and CronJobs, Service (none for a worker), autoscaling and disruption budget,
 * config and mounted files, secrets (through a SecretStore of its own), network policies and ingress.
 */
export class ServiceWorkload extends pulumi.ComponentResource {
  /** The pods' IAM role, when the service declares AWS grants. */
  readonly roleArn?: pulumi.Output<string>;
  /** The `repository@sha256:…` image the Deployment runs. */
  readonly image: pulumi.Output<string>;

  constructor(name: string, args: ServiceWorkloadArgs, opts?: pulumi.ComponentResourceOptions) {
    super('slipway:workloads:Service', name, {}, opts);
    const { service, namespace, environment } = args;
    const kube = { parent: this, provider: args.provider, dependsOn: args.dependsOn };

    // Only a service that declares AWS grants or uses a queue gets a role; the others' pods have no AWS identity.
    const policy = podPolicyDocument(service, {
      region: args.region,
      dataKeyArn: args.secretsKeyArn,
      queues: queueUses(service, args.data).flatMap((store) => {
        const queue = args.data.queues[store];
        return queue ? [{ store, arn: queue.arn, access: service.uses[store]?.access ?? [] }] : [];
      }),
    });
    const role = policy
      ? new aws.iam.Role(
          `${name}-role`,
          {
            name: `${args.rolePrefix}-${service.name}`,
            description: `IRSA role of ${service.name} in ${environment}`,
            permissionsBoundary: args.permissionsBoundaryArn,
            assumeRolePolicy: serviceAccountTrustPolicy(
              args.oidcProviderArn,
              args.oidcProviderUrl,
              namespace,
              service.name,
            ),
            tags: args.tags,
          },
          { parent: this },
        )
      : undefined;
    if (role && policy) {
      new aws.iam.RolePolicy(`${name}-policy`, { role: role.name, policy }, { parent: this });
    }

    new k8s.core.v1.ServiceAccount(
      `${name}-service-account`,
      {
        apiVersion: 'v1',
        kind: 'ServiceAccount',
        metadata: {
          name: service.name,
          namespace,
          labels: serviceLabels(service.name, environment),
          ...(role ? { annotations: { 'eks.amazonaws.com/role-arn': role.arn } } : {}),
        },
        automountServiceAccountToken: service.readsMetrics,
      },
      kube,
    );
    const rbac = metricsReaderManifests(service, namespace, environment);
    if (rbac) {
      new k8s.rbac.v1.Role(`${name}-metrics-reader`, rbac[0], kube);
      new k8s.rbac.v1.RoleBinding(`${name}-metrics-reader`, rbac[1], kube);
    }

    const data = configData(service, args.data);
    new k8s.core.v1.ConfigMap(
      `${name}-config`,
      configMapManifest(service, namespace, environment, data),
      kube,
    );
    const files = filesConfigMapManifest(service, namespace, environment);
    if (files) new k8s.core.v1.ConfigMap(`${name}-files`, files, kube);
    // The service's secrets reach its own store only: a reader account no pod runs as, whose role reads
    // this service's secrets and nothing else, and a SecretStore that authenticates as it.
    const secretArns = secretsReadBy(service, {
      ownSecretArn: args.secretArn,
      data: args.data,
      account: { ...args.account, region: args.region },
    });
    let secretsReady: pulumi.Resource[] = [];
    if (secretArns.length > 0) {
      const readerRole = new aws.iam.Role(
        `${name}-secret-reader-role`,
        {
          name: secretReaderRoleName(args.rolePrefix, service.name),
          description: `Reads the secrets of ${service.name} in ${environment}, for its SecretStore only`,
          permissionsBoundary: args.permissionsBoundaryArn,
          assumeRolePolicy: serviceAccountTrustPolicy(
            args.oidcProviderArn,
            args.oidcProviderUrl,
            namespace,
            secretReaderAccountName(service.name),
          ),
          tags: args.tags,
        },
        { parent: this },
      );
      const readerPolicy = new aws.iam.RolePolicy(
        `${name}-secret-reader-policy`,
        {
          role: readerRole.name,
          policy: secretReaderPolicyDocument({
            secretArns,
            secretsKeyArn: args.secretsKeyArn,
            region: args.region,
          }),
        },
        { parent: this },
      );
      const readerAccount = new k8s.core.v1.ServiceAccount(
        `${name}-secret-reader`,
        secretReaderAccountManifest(service.name, namespace, environment, readerRole.arn),
        kube,
      );
      const store = new k8s.apiextensions.CustomResource(
        `${name}-secret-store`,
        secretStoreManifest(service.name, namespace, environment, args.region),
        { ...kube, dependsOn: [...args.dependsOn, readerAccount, readerPolicy] },
      );
      secretsReady = [store];
    }
    const afterStore = { ...kube, dependsOn: [...args.dependsOn, ...secretsReady] };
    for (const manifest of externalSecretManifests(service, namespace, environment, {
      storeName: secretStoreName(service.name),
      serviceSecretArn: args.secretArn,
    })) {
      new k8s.apiextensions.CustomResource(`${name}-${manifest.metadata.name}`, manifest, {
        ...afterStore,
        // Rendered as v1beta1 before External Secrets moved to v1: the same object, updated in place
        // (deleting the old one would delete the Secret it owns under the running pods).
        aliases: [{ type: 'kubernetes:external-secrets.io/v1beta1:ExternalSecret' }],
      });
    }
    const dataSecrets = dataExternalSecretManifests(
      service,
      namespace,
      environment,
      secretStoreName(service.name),
      args.data,
    );
    for (const { store, manifest } of dataSecrets) {
      // Named by store, not by the (versioned) Secret name: a rotation replaces this object.
      new k8s.apiextensions.CustomResource(`${name}-data-${store}`, manifest, {
        ...afterStore,
        aliases: [{ type: 'kubernetes:external-secrets.io/v1beta1:ExternalSecret' }],
      });
    }

    this.image = pulumi.output(args.image);

    const hash = data.apply((values) => configHash(configInputs(values, service)));
    const run = {
      service,
      namespace,
      environment,
      image: this.image,
      configHash: hash,
      dataSecretNames: dataSecrets.map(({ manifest }) => manifest.metadata.name),
    };
    // Pulumi waits for a Job to complete, so the Deployment moves only after every migration passed.
    const jobs = Object.entries(service.jobs).map(
      ([job, spec]) => new k8s.batch.v1.Job(`${name}-job-${job}`, jobManifest(run, job, spec), kube),
    );
    for (const [job, spec] of Object.entries(service.cronJobs)) {
      new k8s.batch.v1.CronJob(`${name}-cronjob-${job}`, cronJobManifest(run, job, spec), kube);
    }
    new k8s.apps.v1.Deployment(`${name}-deployment`, deploymentManifest({ ...run, tier: args.tier }), {
      ...kube,
      dependsOn: [...args.dependsOn, ...jobs],
    });
    const clusterService = serviceManifest(service, namespace, environment);
    if (clusterService) new k8s.core.v1.Service(`${name}-service`, clusterService, kube);

    const hpa = hpaManifest(service, namespace, environment);
    if (hpa) new k8s.autoscaling.v2.HorizontalPodAutoscaler(`${name}-hpa`, hpa, kube);
    const pdb = pdbManifest(service, namespace, environment, args.tier);
    if (pdb) new k8s.policy.v1.PodDisruptionBudget(`${name}-pdb`, pdb, kube);

    const inbound = ingressPolicy(service, args.services, namespace, environment, args.network);
    if (inbound) new k8s.networking.v1.NetworkPolicy(`${name}-ingress-policy`, inbound, kube);
    const outbound = egressPolicy(service, args.services, namespace, environment, args.network);
    if (outbound) new k8s.networking.v1.NetworkPolicy(`${name}-egress-policy`, outbound, kube);
    // A job's pods reach what the service reaches, and nothing reaches them.
    for (const job of [...Object.keys(service.jobs), ...Object.keys(service.cronJobs)]) {
      const jobEgress = egressPolicy(
        asJobWorkload(service, job),
        args.services,
        namespace,
        environment,
        args.network,
      );
      if (jobEgress) new k8s.networking.v1.NetworkPolicy(`${name}-${job}-egress-policy`, jobEgress, kube);
    }

    if (args.ingress) {
      const ingress = ingressManifest({
        service,
        namespace,
        environment,
        groupName: args.ingress.groupName,
        groupOrder: args.ingress.order,
        certificateArn: args.ingress.certificateArn,
        sslPolicy: args.ingress.sslPolicy,
        edge: args.ingress.edge,
      });
      if (ingress) new k8s.networking.v1.Ingress(`${name}-ingress`, ingress, kube);
    }

    this.roleArn = role?.arn;
    this.registerOutputs({ roleArn: this.roleArn, image: this.image });
  }
}
