import * as aws from '@pulumi/aws';
import * as k8s from '@pulumi/kubernetes';
import * as pulumi from '@pulumi/pulumi';
import { serviceAccountTrustPolicy } from './identity/service-account-trust';

export interface AddonsArgs {
  provider: k8s.Provider;
  clusterName: pulumi.Input<string>;
  region: string;
  vpcId: pulumi.Input<string>;
  oidcProviderArn: pulumi.Input<string>;
  oidcProviderUrl: pulumi.Input<string>;
  /** IAM role names are `<rolePrefix>-<add-on>`. */
  rolePrefix: string;
  /** What the load balancer controller may change: this cluster's tagged resources, this ALB's listeners. */
  loadBalancerScope: LoadBalancerScope;
  tags: Record<string, string>;
}

/**
 * Helm charts at pinned versions: an upgrade is a reviewed change here, never whatever was newest at
 * deploy time. External Secrets is on a supported 2.x release, which serves the `external-secrets.io/v1`
 * API the manifests use and are validated against (@kubernetes-models/external-secrets 2).
 */
export const addonCharts = {
  loadBalancerController: {
    chart: 'aws-load-balancer-controller',
    version: '1.14.0',
    repo: 'https://aws.github.io/eks-charts',
    namespace: 'kube-system',
    serviceAccount: 'aws-load-balancer-controller',
  },
  externalSecrets: {
    chart: 'external-secrets',
    version: '2.9.0',
    repo: 'https://charts.external-secrets.io',
    namespace: 'external-secrets',
    serviceAccount: 'external-secrets',
  },
  metricsServer: {
    chart: 'metrics-server',
    version: '3.12.2',
    repo: 'https://kubernetes-sigs.github.io/metrics-server/',
    namespace: 'kube-system',
  },
} as const;

/** Where the load balancer controller's ARNs live, and which of them are this cluster's. */
export interface LoadBalancerScope {
  /** The cluster the controller runs in: it tags what it creates `elbv2.k8s.aws/cluster=<clusterName>`. */
  clusterName: string;
  /** The name every Ingress of the environment gives the shared ALB (`load-balancer-name`). */
  loadBalancerName: string;
  region: string;
  accountId: string;
  partition: string;
  /** The environment's AWS WAF web ACL, which the controller attaches to its ALB; none without WAF. */
  webAclName?: string;
  /**
   * The stack's tags, which the controller puts on everything it creates (its `defaultTags`) and without which
   * it may create nothing: its load balancers, target groups and security groups are the stack's too.
   */
  tags: Record<string, string>;
}

/**
 * What the load balancer controller may do: read the network, create load balancers, target groups and
 * security groups only with this cluster's tag, change only those carrying it, and touch listeners and
 * rules only on the environment's own ALB. Listener and rule ARNs embed the load balancer's name, which
 * is why every Ingress names the ALB: another cluster's controller in the same account (dev's) cannot
 * change this one's (prod's).
 */
export function loadBalancerControllerPolicy(scope: LoadBalancerScope): string {
  const clusterTag = 'elbv2.k8s.aws/cluster';
  const ownedByCluster = { StringEquals: { [`aws:ResourceTag/${clusterTag}`]: scope.clusterName } };
  // Tagged in the create call with this cluster's tag and the stack's (tag on create, as the platform role's).
  const taggedForCluster = {
    StringEquals: {
      [`aws:RequestTag/${clusterTag}`]: scope.clusterName,
      ...Object.fromEntries(
        Object.entries(scope.tags).map(([key, value]) => [`aws:RequestTag/${key}`, value]),
      ),
    },
  };
  const elb = `arn:${scope.partition}:elasticloadbalancing:${scope.region}:${scope.accountId}`;
  const name = scope.loadBalancerName;
  const ownLoadBalancer = `${elb}:loadbalancer/app/${name}/*`;
  const ownListeners = `${elb}:listener/app/${name}/*/*`;
  const ownRules = `${elb}:listener-rule/app/${name}/*/*/*`;
  return JSON.stringify({
    Version: '2012-10-17',
    Statement: [
      {
        Sid: 'ServiceLinkedRole',
        Effect: 'Allow',
        Action: 'iam:CreateServiceLinkedRole',
        Resource: '*',
        Condition: { StringEquals: { 'iam:AWSServiceName': 'elasticloadbalancing.amazonaws.com' } },
      },
      {
        Sid: 'Discover',
        Effect: 'Allow',
        Action: [
          'ec2:DescribeAccountAttributes',
          'ec2:DescribeAvailabilityZones',
          'ec2:DescribeInternetGateways',
          'ec2:DescribeVpcs',
          'ec2:DescribeSubnets',
          'ec2:DescribeSecurityGroups',
          'ec2:DescribeInstances',
          'ec2:DescribeNetworkInterfaces',
          'ec2:DescribeTags',
          'ec2:DescribeRouteTables',
          'ec2:DescribeVpcPeeringConnections',
          'ec2:DescribeCoipPools',
          'ec2:DescribeIpamPools',
          'ec2:GetCoipPoolUsage',
          'ec2:GetSecurityGroupsForVpc',
          'elasticloadbalancing:Describe*',
          'acm:ListCertificates',
          'acm:DescribeCertificate',
          'iam:ListServerCertificates',
          'iam:GetServerCertificate',
          'wafv2:GetWebACL',
          'wafv2:GetWebACLForResource',
          'shield:GetSubscriptionState',
        ],
        Resource: '*',
      },
      {
        Sid: 'CreateTaggedForCluster',
        Effect: 'Allow',
        Action: [
          'ec2:CreateSecurityGroup',
          'elasticloadbalancing:CreateLoadBalancer',
          'elasticloadbalancing:CreateTargetGroup',
        ],
        Resource: '*',
        Condition: taggedForCluster,
      },
      {
        Sid: 'TagSecurityGroupOnCreate',
        Effect: 'Allow',
        Action: 'ec2:CreateTags',
        Resource: '*',
        Condition: {
          StringEquals: { 'ec2:CreateAction': 'CreateSecurityGroup', ...taggedForCluster.StringEquals },
        },
      },
      {
        Sid: 'TagLoadBalancerOnCreate',
        Effect: 'Allow',
        Action: 'elasticloadbalancing:AddTags',
        Resource: '*',
        Condition: {
          StringEquals: {
            'elasticloadbalancing:CreateAction': ['CreateLoadBalancer', 'CreateTargetGroup'],
            ...taggedForCluster.StringEquals,
          },
        },
      },
      {
        Sid: 'ManageClusterSecurityGroups',
        Effect: 'Allow',
        Action: [
          'ec2:AuthorizeSecurityGroupIngress',
          'ec2:RevokeSecurityGroupIngress',
          'ec2:DeleteSecurityGroup',
          'ec2:CreateTags',
          'ec2:DeleteTags',
        ],
        Resource: '*',
        Condition: ownedByCluster,
      },
      {
        Sid: 'ManageClusterLoadBalancers',
        Effect: 'Allow',
        Action: [
          'elasticloadbalancing:ModifyLoadBalancerAttributes',
          'elasticloadbalancing:SetIpAddressType',
          'elasticloadbalancing:SetSecurityGroups',
          'elasticloadbalancing:SetSubnets',
          'elasticloadbalancing:DeleteLoadBalancer',
          'elasticloadbalancing:ModifyTargetGroup',
          'elasticloadbalancing:ModifyTargetGroupAttributes',
          'elasticloadbalancing:DeleteTargetGroup',
          'elasticloadbalancing:RegisterTargets',
          'elasticloadbalancing:DeregisterTargets',
          'elasticloadbalancing:AddTags',
          'elasticloadbalancing:RemoveTags',
        ],
        Resource: '*',
        Condition: ownedByCluster,
      },
      ...(scope.webAclName
        ? [
            {
              // The ALB group's `wafv2-acl-arn`: this environment's web ACL on this environment's ALB.
              Sid: 'AttachOwnWebAcl',
              Effect: 'Allow',
              Action: ['wafv2:AssociateWebACL', 'wafv2:DisassociateWebACL'],
              Resource: [
                ownLoadBalancer,
                `arn:${scope.partition}:wafv2:${scope.region}:${scope.accountId}:regional/webacl/${scope.webAclName}/*`,
              ],
            },
            {
              // ELB's side of the association; the action names no resource type, so it takes `*`.
              Sid: 'SetWebAcl',
              Effect: 'Allow',
              Action: 'elasticloadbalancing:SetWebAcl',
              Resource: '*',
            },
          ]
        : []),
      {
        Sid: 'ManageOwnListenersAndRules',
        Effect: 'Allow',
        Action: [
          'elasticloadbalancing:CreateListener',
          'elasticloadbalancing:DeleteListener',
          'elasticloadbalancing:ModifyListener',
          'elasticloadbalancing:ModifyListenerAttributes',
          'elasticloadbalancing:AddListenerCertificates',
          'elasticloadbalancing:RemoveListenerCertificates',
          'elasticloadbalancing:CreateRule',
          'elasticloadbalancing:DeleteRule',
          'elasticloadbalancing:ModifyRule',
          // The rules of one ALB group are ordered by `group.order`; the controller sets priorities.
          'elasticloadbalancing:SetRulePriorities',
          'elasticloadbalancing:AddTags',
          'elasticloadbalancing:RemoveTags',
        ],
        Resource: [ownLoadBalancer, ownListeners, ownRules],
      },
    ],
  });
}

/** Restricted Pod Security for the operator's namespace too: its chart runs non-root already. */
const restrictedLabels = {
  'pod-security.kubernetes.io/enforce': 'restricted',
  'pod-security.kubernetes.io/audit': 'restricted',
  'pod-security.kubernetes.io/warn': 'restricted',
};

/**
 * Cluster add-ons as Helm releases: the AWS Load Balancer Controller (ALB Ingresses), the External
 * Secrets Operator and metrics-server (for the HPAs). The controller calls AWS and gets its own IRSA
 * role. The operator gets none: each service's SecretStore (the apps') authenticates as that service's
 * reader account, so the operator alone can read no secret, a data store's master secret included.
 * metrics-server calls no AWS API and gets none either.
 */
export class Addons extends pulumi.ComponentResource {
  readonly loadBalancerControllerRoleArn: pulumi.Output<string>;
  /** Everything workloads rely on: the charts' CRDs and webhooks. */
  readonly ready: pulumi.Resource[];

  constructor(name: string, args: AddonsArgs, opts?: pulumi.ComponentResourceOptions) {
    super('slipway:platform:Addons', name, {}, opts);
    const kube = { parent: this, provider: args.provider };

    const irsaRole = (
      addon: string,
      namespace: string,
      serviceAccount: string,
      policy: pulumi.Input<string>,
    ) => {
      const role = new aws.iam.Role(
        `${name}-${addon}-role`,
        {
          name: `${args.rolePrefix}-${addon}`,
          assumeRolePolicy: serviceAccountTrustPolicy(
            args.oidcProviderArn,
            args.oidcProviderUrl,
            namespace,
            serviceAccount,
          ),
          tags: args.tags,
        },
        { parent: this },
      );
      new aws.iam.RolePolicy(`${name}-${addon}-policy`, { role: role.name, policy }, { parent: this });
      return role;
    };

    // Every chart installs at its pinned version and rolls back on a failed install or upgrade.
    const chartRelease = (
      chart: (typeof addonCharts)[keyof typeof addonCharts],
      values: Record<string, unknown>,
      options: pulumi.CustomResourceOptions = {},
    ) =>
      new k8s.helm.v3.Release(
        `${name}-${chart.chart}`,
        {
          name: chart.chart,
          chart: chart.chart,
          version: chart.version,
          repositoryOpts: { repo: chart.repo },
          namespace: chart.namespace,
          atomic: true,
          values,
        },
        { ...kube, ...options },
      );

    const lbc = addonCharts.loadBalancerController;
    const lbcRole = irsaRole(
      'aws-load-balancer-controller',
      lbc.namespace,
      lbc.serviceAccount,
      loadBalancerControllerPolicy(args.loadBalancerScope),
    );
    const loadBalancerController = chartRelease(lbc, {
      clusterName: args.clusterName,
      region: args.region,
      vpcId: args.vpcId,
      replicaCount: 2,
      serviceAccount: {
        create: true,
        name: lbc.serviceAccount,
        annotations: { 'eks.amazonaws.com/role-arn': lbcRole.arn },
      },
      // On every load balancer, target group and security group it creates, in the create call.
      defaultTags: args.loadBalancerScope.tags,
      // Services of type LoadBalancer stay untouched: traffic enters through ALB Ingresses only.
      enableServiceMutatorWebhook: false,
      // AWS WAF (v2) through the Ingresses' `wafv2-acl-arn`; WAF Classic, retired by AWS, is off, so the
      // controller never calls `waf-regional`, which its policy does not grant.
      enableWafv2: true,
      enableWaf: false,
    });

    const eso = addonCharts.externalSecrets;
    const esoNamespace = new k8s.core.v1.Namespace(
      `${name}-external-secrets-namespace`,
      { apiVersion: 'v1', kind: 'Namespace', metadata: { name: eso.namespace, labels: restrictedLabels } },
      kube,
    );
    const externalSecrets = chartRelease(
      eso,
      {
        installCRDs: true,
        replicaCount: 2,
        // No role annotation: the operator authenticates per store, as each service's reader account.
        serviceAccount: { create: true, name: eso.serviceAccount },
        // Cluster-wide stores and ExternalSecrets are not served at all (nor in the controller's RBAC): a
        // ClusterSecretStore would read for every namespace as one identity.
        processClusterStore: false,
        processClusterExternalSecret: false,
      },
      { dependsOn: [esoNamespace] },
    );

    const metricsServer = chartRelease(addonCharts.metricsServer, {
      replicas: 2,
      podDisruptionBudget: { enabled: true, minAvailable: 1 },
    });

    this.loadBalancerControllerRoleArn = lbcRole.arn;
    this.ready = [loadBalancerController, externalSecrets, metricsServer];
    this.registerOutputs({ loadBalancerControllerRoleArn: this.loadBalancerControllerRoleArn });
  }
}
