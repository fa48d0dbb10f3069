import * as aws from '@pulumi/aws';
import * as eks from '@pulumi/eks';
import * as k8s from '@pulumi/kubernetes';
import * as pulumi from '@pulumi/pulumi';
import { stackTagKey } from './bootstrap/permissions';
import { boundRoles } from './boundary';
import type { ClusterConfig, NodeGroupConfig } from './config/schema';
import { serviceAccountTrustPolicy } from './identity/service-account-trust';
import { keyUseActions } from './keys';

export interface ClusterArgs {
  /** The EKS cluster's physical name. */
  clusterName: string;
  config: ClusterConfig;
  vpcId: pulumi.Input<string>;
  /** The nodes (and so the pods). */
  privateSubnetIds: pulumi.Input<string>[];
  /**
   * The control plane's network interfaces: subnets of their own, so the pods' NetworkPolicies can name
   * the API server by address without also naming every pod. Load balancers find their subnets by tag.
   */
  controlPlaneSubnetIds: pulumi.Input<string>[];
  /** Envelope encryption of Kubernetes Secrets. */
  secretsKeyArn: pulumi.Input<string>;
  /** Node root volumes and the control-plane log group. */
  dataKeyArn: pulumi.Input<string>;
  partition: string;
  /**
   * The role the apps stack deploys with (the bootstrap's `<project>-deploy-<env>`): admin of the workloads
   * namespace only, plus the Kubernetes group the platform binds to the few cluster-scoped objects the apps
   * own (infra/apps-deployer-rbac.ts).
   */
  appsDeployer: { roleArn: string; namespace: string; group: string };
  /**
   * The environment's permissions boundary (infra/boundary.ts), which `@pulumi/eks`'s own roles get too: the
   * platform role creates and writes no role without it.
   */
  permissionsBoundaryArn: string;
  tags: Record<string, string>;
}

/** Every control-plane log type EKS offers; all of them, so an incident can be traced end to end. */
export const controlPlaneLogTypes = ['api', 'audit', 'authenticator', 'controllerManager', 'scheduler'];

/**
 * The VPC CNI add-on's configuration values (the schema `aws eks describe-addon-configuration` prints;
 * the same keys as the aws-vpc-cni chart's values.yaml). `enableNetworkPolicy` starts the network policy
 * agent beside each node's CNI: without it every NetworkPolicy the workloads render is stored and ignored.
 * The enforcing mode stays `standard` (a pod no policy selects is open); every workload namespace has a
 * default deny, so that mode never leaves a workload open.
 */
export const vpcCniConfiguration = { enableNetworkPolicy: 'true' } as const;

/**
 * The EBS CSI driver add-on's configuration values: the stack's tags on every volume it creates, in the create
 * call (`controller.extraVolumeTags` of the add-on's schema), which its role is denied without (tag on create).
 */
export const ebsCsiConfiguration = (tags: Record<string, string>) => ({
  controller: { extraVolumeTags: tags },
});

/** EKS managed add-ons the cluster runs, with the service account that needs AWS permissions, if any. */
export const managedAddons = {
  'vpc-cni': { serviceAccount: 'aws-node', policy: 'AmazonEKS_CNI_Policy' },
  coredns: undefined,
  'kube-proxy': undefined,
  'aws-ebs-csi-driver': {
    serviceAccount: 'ebs-csi-controller-sa',
    policy: 'service-role/AmazonEBSCSIDriverPolicy',
  },
} as const;

/** The part of a kubeconfig document the outputs read. */
interface KubeconfigDocument {
  clusters: { cluster: { server: string; 'certificate-authority-data': string } }[];
}

const clusterAdminPolicy = 'arn:aws:eks::aws:cluster-access-policy/AmazonEKSClusterAdminPolicy';
/** Kubernetes' `admin` role within the namespaces of the access scope: no cluster-scoped object, no node. */
const namespaceAdminPolicy = 'arn:aws:eks::aws:cluster-access-policy/AmazonEKSAdminPolicy';

/** Graviton instance families (m7g, c6gn, t4g…) need the ARM AMI. */
export function amiTypeFor(group: NodeGroupConfig): string {
  const family = group.instanceTypes[0]?.split('.')[0] ?? '';
  return /^[a-z]+\d+[a-z]*g[a-z]*$/.test(family) ? 'AL2023_ARM_64_STANDARD' : 'AL2023_x86_64_STANDARD';
}

/**
 * The EKS control plane (`@pulumi/eks`, every hardening input set explicitly because its defaults are
 * AWS's), managed node groups built from plain `aws.eks.NodeGroup` with our own launch template, and
 * the EKS managed add-ons.
 */
export class Cluster extends pulumi.ComponentResource {
  readonly clusterName: pulumi.Output<string>;
  readonly kubeconfig: pulumi.Output<string>;
  /** The API server URL and the CA it presents: what a client outside this stack connects with. */
  readonly endpoint: pulumi.Output<string>;
  readonly certificateAuthorityData: pulumi.Output<string>;
  readonly oidcProviderArn: pulumi.Output<string>;
  readonly oidcProviderUrl: pulumi.Output<string>;
  readonly clusterSecurityGroupId: pulumi.Output<string>;
  /** The nodes' security group; pods share it, so it is what the database admits. */
  readonly nodeSecurityGroupId: pulumi.Output<string>;
  readonly nodeRoleArn: pulumi.Output<string>;
  /** Kubernetes provider for this cluster, for everything deployed onto it. */
  readonly provider: k8s.Provider;

  constructor(name: string, args: ClusterArgs, opts?: pulumi.ComponentResourceOptions) {
    super('slipway:platform:Cluster', name, {}, opts);
    const { config } = args;
    const child = { parent: this };

    // EKS would create this group itself with no retention and no encryption; creating it first wins.
    const logGroup = new aws.cloudwatch.LogGroup(
      `${name}-control-plane-logs`,
      {
        name: `/aws/eks/${args.clusterName}/cluster`,
        retentionInDays: config.logRetentionDays,
        kmsKeyId: args.dataKeyArn,
        tags: args.tags,
      },
      child,
    );

    const publicEndpoint = config.publicAccessCidrs.length > 0;
    const cluster = new eks.Cluster(
      `${name}-eks`,
      {
        name: args.clusterName,
        version: config.version,
        vpcId: args.vpcId,
        privateSubnetIds: args.controlPlaneSubnetIds,
        endpointPrivateAccess: true,
        endpointPublicAccess: publicEndpoint,
        ...(publicEndpoint ? { publicAccessCidrs: config.publicAccessCidrs } : {}),
        encryptionConfigKeyArn: args.secretsKeyArn,
        enabledClusterLogTypes: controlPlaneLogTypes,
        createOidcProvider: true,
        authenticationMode: eks.AuthenticationMode.Api,
        accessEntries: {
          ...(config.adminRoleArn
            ? {
                admin: {
                  principalArn: config.adminRoleArn,
                  tags: args.tags,
                  accessPolicies: {
                    clusterAdmin: { policyArn: clusterAdminPolicy, accessScope: { type: 'cluster' } },
                  },
                },
              }
            : {}),
          apps: {
            principalArn: args.appsDeployer.roleArn,
            kubernetesGroups: [args.appsDeployer.group],
            // Tagged in the create call, as the bootstrap's tag on create requires (eks:CreateAccessEntry).
            tags: args.tags,
            accessPolicies: {
              namespaceAdmin: {
                policyArn: namespaceAdminPolicy,
                accessScope: { type: 'namespace', namespaces: [args.appsDeployer.namespace] },
              },
            },
          },
        },
        skipDefaultNodeGroup: true,
        nodeAssociatePublicIpAddress: false,
        // The add-ons are created below as EKS managed add-ons, where they are visible and versioned.
        bootstrapSelfManagedAddons: false,
        useDefaultVpcCni: true,
        corednsAddonOptions: { enabled: false },
        kubeProxyAddonOptions: { enabled: false },
        // Every AWS resource the component makes: the cluster, its role and security groups.
        tags: args.tags,
      },
      {
        parent: this,
        dependsOn: [logGroup],
        // The component's roles (the cluster's service role) are made in @pulumi/eks's provider, out of reach of
        // this program's stack transformation; the engine applies a component's transforms to its children.
        transforms: [boundRoles(args.permissionsBoundaryArn)],
      },
    );

    this.clusterName = pulumi.output(args.clusterName);
    this.kubeconfig = pulumi.secret(cluster.kubeconfigJson);
    // Read from the kubeconfig @pulumi/eks builds (it holds no credential: users run `aws eks get-token`).
    const kubeconfigCluster = pulumi
      .output(cluster.kubeconfig)
      .apply((config: KubeconfigDocument) => config.clusters[0]?.cluster);
    this.endpoint = kubeconfigCluster.apply((c) => c?.server ?? '');
    this.certificateAuthorityData = kubeconfigCluster.apply((c) => c?.['certificate-authority-data'] ?? '');
    this.oidcProviderArn = cluster.oidcProviderArn;
    this.oidcProviderUrl = cluster.oidcProviderUrl;
    this.clusterSecurityGroupId = cluster.clusterSecurityGroupId;
    this.nodeSecurityGroupId = cluster.nodeSecurityGroupId;
    this.provider = new k8s.Provider(
      `${name}-k8s`,
      { kubeconfig: this.kubeconfig, enableServerSideApply: true },
      { parent: this },
    );

    const irsaRole = (addon: string, serviceAccount: string, policy: string) => {
      const role = new aws.iam.Role(
        `${name}-${addon}-irsa`,
        {
          assumeRolePolicy: serviceAccountTrustPolicy(
            this.oidcProviderArn,
            this.oidcProviderUrl,
            'kube-system',
            serviceAccount,
          ),
          tags: args.tags,
        },
        child,
      );
      new aws.iam.RolePolicyAttachment(
        `${name}-${addon}-irsa-policy`,
        { role: role.name, policyArn: `arn:${args.partition}:iam::aws:policy/${policy}` },
        child,
      );
      return role;
    };

    const vpcCniRole = irsaRole(
      'vpc-cni',
      managedAddons['vpc-cni'].serviceAccount,
      managedAddons['vpc-cni'].policy,
    );
    const ebsCsi = managedAddons['aws-ebs-csi-driver'];
    const ebsCsiRole = irsaRole('aws-ebs-csi-driver', ebsCsi.serviceAccount, ebsCsi.policy);
    // Volumes are encrypted with the data key, which the driver's managed policy does not cover, and tagged with
    // the stack's tag, which it does not require. (The logical name keeps its first purpose: renaming would churn.)
    new aws.iam.RolePolicy(
      `${name}-aws-ebs-csi-driver-kms`,
      {
        role: ebsCsiRole.id,
        policy: pulumi.jsonStringify({
          Version: '2012-10-17',
          Statement: [
            {
              Effect: 'Allow',
              Action: ['kms:CreateGrant', 'kms:ListGrants', 'kms:RevokeGrant'],
              Resource: args.dataKeyArn,
              Condition: { Bool: { 'kms:GrantIsForAWSResource': 'true' } },
            },
            {
              Effect: 'Allow',
              Action: keyUseActions,
              Resource: args.dataKeyArn,
            },
            {
              // Its volumes are the stack's: created with the stack's tag (ebsCsiConfiguration) or not at all.
              Sid: 'TagOnCreate',
              Effect: 'Deny',
              Action: 'ec2:CreateVolume',
              Resource: `arn:${args.partition}:ec2:*:*:volume/*`,
              Condition: { Null: { [`aws:RequestTag/${stackTagKey}`]: 'true' } },
            },
          ],
        }),
      },
      child,
    );

    const addon = (
      addonName: keyof typeof managedAddons,
      role?: aws.iam.Role,
      dependsOn: pulumi.Resource[] = [],
      configuration?: Record<string, unknown>,
    ) =>
      new aws.eks.Addon(
        `${name}-${addonName}`,
        {
          clusterName: args.clusterName,
          addonName,
          resolveConflictsOnCreate: 'OVERWRITE',
          resolveConflictsOnUpdate: 'OVERWRITE',
          ...(role ? { serviceAccountRoleArn: role.arn } : {}),
          ...(configuration ? { configurationValues: JSON.stringify(configuration) } : {}),
          tags: args.tags,
        },
        { parent: this, dependsOn: [cluster, ...dependsOn] },
      );
    // Nodes only become Ready once the CNI runs; the others need Ready nodes to schedule on.
    const networking = [addon('vpc-cni', vpcCniRole, [], vpcCniConfiguration), addon('kube-proxy')];

    const nodeRole = new aws.iam.Role(
      `${name}-node-role`,
      {
        assumeRolePolicy: JSON.stringify({
          Version: '2012-10-17',
          Statement: [
            { Effect: 'Allow', Principal: { Service: 'ec2.amazonaws.com' }, Action: 'sts:AssumeRole' },
          ],
        }),
        tags: args.tags,
      },
      child,
    );
    // No CNI policy here: the VPC CNI has its own IRSA role, so pods cannot borrow the node's rights.
    const nodePolicies = [
      'AmazonEKSWorkerNodePolicy',
      'AmazonEC2ContainerRegistryPullOnly',
      'AmazonSSMManagedInstanceCore',
    ];
    const nodeAttachments = nodePolicies.map(
      (policy) =>
        new aws.iam.RolePolicyAttachment(
          `${name}-node-${policy}`,
          { role: nodeRole.name, policyArn: `arn:${args.partition}:iam::aws:policy/${policy}` },
          child,
        ),
    );
    this.nodeRoleArn = nodeRole.arn;

    const nodeGroups = config.nodeGroups.map((group) => {
      const template = new aws.ec2.LaunchTemplate(
        `${name}-${group.name}-lt`,
        {
          description: `${args.clusterName} ${group.name} nodes: IMDSv2 only, encrypted root volume`,
          // Hop limit 1: pods (one hop further) cannot reach the node's instance metadata and its role.
          metadataOptions: {
            httpEndpoint: 'enabled',
            httpTokens: 'required',
            httpPutResponseHopLimit: 1,
            instanceMetadataTags: 'disabled',
          },
          blockDeviceMappings: [
            {
              deviceName: '/dev/xvda',
              ebs: {
                volumeSize: group.diskSizeGiB,
                volumeType: 'gp3',
                encrypted: 'true',
                kmsKeyId: args.dataKeyArn,
                deleteOnTermination: 'true',
              },
            },
          ],
          networkInterfaces: [
            {
              associatePublicIpAddress: 'false',
              deleteOnTermination: 'true',
              securityGroups: [this.nodeSecurityGroupId],
            },
          ],
          tagSpecifications: [
            { resourceType: 'instance', tags: { ...args.tags, Name: `${args.clusterName}-${group.name}` } },
            { resourceType: 'volume', tags: args.tags },
          ],
          tags: args.tags,
        },
        child,
      );
      return new aws.eks.NodeGroup(
        `${name}-${group.name}`,
        {
          clusterName: args.clusterName,
          nodeGroupName: group.name,
          nodeRoleArn: nodeRole.arn,
          subnetIds: args.privateSubnetIds,
          amiType: amiTypeFor(group),
          instanceTypes: group.instanceTypes,
          capacityType: group.capacityType,
          scalingConfig: { minSize: group.minSize, desiredSize: group.desiredSize, maxSize: group.maxSize },
          updateConfig: { maxUnavailable: 1 },
          launchTemplate: { id: template.id, version: pulumi.interpolate`${template.latestVersion}` },
          labels: { 'slipway.dev/node-group': group.name },
          tags: args.tags,
        },
        // The autoscaler changes the desired size; Pulumi should not fight it.
        {
          parent: this,
          dependsOn: [cluster, ...nodeAttachments, ...networking],
          ignoreChanges: ['scalingConfig.desiredSize'],
        },
      );
    });
    addon('coredns', undefined, nodeGroups);
    addon('aws-ebs-csi-driver', ebsCsiRole, nodeGroups, ebsCsiConfiguration(args.tags));

    this.registerOutputs({
      clusterName: this.clusterName,
      kubeconfig: this.kubeconfig,
      endpoint: this.endpoint,
      certificateAuthorityData: this.certificateAuthorityData,
      oidcProviderArn: this.oidcProviderArn,
      oidcProviderUrl: this.oidcProviderUrl,
      nodeSecurityGroupId: this.nodeSecurityGroupId,
    });
  }
}
