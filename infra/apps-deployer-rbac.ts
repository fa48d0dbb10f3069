import * as k8s from '@pulumi/kubernetes';
import * as pulumi from '@pulumi/pulumi';

export interface AppsDeployerRbacArgs {
  /** The platform's Kubernetes provider (cluster admin). */
  provider: k8s.Provider;
  /** The Kubernetes group the apps role's EKS access entry carries. */
  group: string;
  /** The workloads namespace, which the apps stack creates and owns. */
  namespace: string;
}

/**
 * What the apps role may do outside its namespace, which its EKS access entry (namespace admin) does not
 * cover: the workloads namespace itself and the priority classes the apps define. Kubernetes cannot limit
 * `create` by name, so creating a namespace is allowed while reading, changing or deleting one is limited
 * to the workloads namespace. Nothing else cluster-wide: no CRD, no ClusterRole, no node.
 */
export class AppsDeployerRbac extends pulumi.ComponentResource {
  constructor(name: string, args: AppsDeployerRbacArgs, opts?: pulumi.ComponentResourceOptions) {
    super('slipway:platform:AppsDeployerRbac', name, {}, opts);
    const options = { parent: this, provider: args.provider };
    const role = new k8s.rbac.v1.ClusterRole(
      `${name}-role`,
      {
        metadata: { name: args.group.replace(/[^a-z0-9-]/g, '-') },
        rules: [
          { apiGroups: [''], resources: ['namespaces'], verbs: ['create'] },
          {
            apiGroups: [''],
            resources: ['namespaces'],
            resourceNames: [args.namespace],
            verbs: ['get', 'patch', 'update', 'delete'],
          },
          {
            apiGroups: ['scheduling.k8s.io'],
            resources: ['priorityclasses'],
            verbs: ['get', 'list', 'watch', 'create', 'patch', 'update', 'delete'],
          },
        ],
      },
      options,
    );
    new k8s.rbac.v1.ClusterRoleBinding(
      `${name}-binding`,
      {
        metadata: { name: role.metadata.name },
        roleRef: { apiGroup: 'rbac.authorization.k8s.io', kind: 'ClusterRole', name: role.metadata.name },
        subjects: [{ apiGroup: 'rbac.authorization.k8s.io', kind: 'Group', name: args.group }],
      },
      options,
    );
    this.registerOutputs({});
  }
}
