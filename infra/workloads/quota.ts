import type * as k8s from '@pulumi/kubernetes';
import type { QuotaConfig } from '../config/schema';

/**
 * The namespace's budget from the stack's config (validated against the catalog at its peak): a
 * runaway HPA or a stray Deployment hits it. LoadBalancer and NodePort Services are forbidden:
 * traffic enters through the ALB Ingress only.
 */
export function resourceQuotaManifest(
  namespace: string,
  quota: QuotaConfig,
): k8s.types.input.core.v1.ResourceQuota {
  return {
    apiVersion: 'v1',
    kind: 'ResourceQuota',
    metadata: { name: 'workloads', namespace },
    spec: {
      hard: {
        pods: String(quota.pods),
        'requests.cpu': quota.requestsCpu,
        'requests.memory': quota.requestsMemory,
        'limits.cpu': quota.limitsCpu,
        'limits.memory': quota.limitsMemory,
        'services.loadbalancers': '0',
        'services.nodeports': '0',
      },
    },
  };
}

/**
 * Defaults for a container that states no resources (so the quota can still admit it) and the
 * largest container the namespace admits.
 */
export function limitRangeManifest(
  namespace: string,
  quota: QuotaConfig,
): k8s.types.input.core.v1.LimitRange {
  return {
    apiVersion: 'v1',
    kind: 'LimitRange',
    metadata: { name: 'container-defaults', namespace },
    spec: {
      limits: [
        {
          type: 'Container',
          defaultRequest: { cpu: '100m', memory: '128Mi' },
          default: { cpu: '500m', memory: '256Mi' },
          max: { cpu: quota.containerMaxCpu, memory: quota.containerMaxMemory },
        },
      ],
    },
  };
}
