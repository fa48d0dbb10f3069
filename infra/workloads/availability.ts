import type * as k8s from '@pulumi/kubernetes';
import type { ServiceSpec } from '../config/services';
import type { Tier } from '../config/tiers';
import { selectorLabels, serviceLabels } from './names';

/** Seconds of low load before the HPA removes pods, so a short lull does not shed capacity. */
export const scaleDownStabilizationSeconds = 300;

/** The HPA behaviour a service gets unless it says otherwise: up at once, down slowly (half a minute). */
export const defaultBehavior = {
  scaleUp: { stabilizationWindowSeconds: 0 },
  scaleDown: {
    stabilizationWindowSeconds: scaleDownStabilizationSeconds,
    policies: [{ type: 'Percent', value: 50, periodSeconds: 60 }],
  },
};

/**
 * Scales on CPU, memory or both, as the catalog targets; each direction's behaviour is the default's
 * with the fields the catalog states replacing it.
 */
export function hpaManifest(
  service: ServiceSpec,
  namespace: string,
  environment: string,
): k8s.types.input.autoscaling.v2.HorizontalPodAutoscaler | undefined {
  const scaling = service.autoscaling;
  if (!scaling) return undefined;
  const utilization = (name: string, averageUtilization: number) => ({
    type: 'Resource',
    resource: { name, target: { type: 'Utilization', averageUtilization } },
  });
  return {
    apiVersion: 'autoscaling/v2',
    kind: 'HorizontalPodAutoscaler',
    metadata: { name: service.name, namespace, labels: serviceLabels(service.name, environment) },
    spec: {
      scaleTargetRef: { apiVersion: 'apps/v1', kind: 'Deployment', name: service.name },
      minReplicas: scaling.minReplicas,
      maxReplicas: scaling.maxReplicas,
      metrics: [
        ...(scaling.targetCpuPercent === undefined ? [] : [utilization('cpu', scaling.targetCpuPercent)]),
        ...(scaling.targetMemoryPercent === undefined
          ? []
          : [utilization('memory', scaling.targetMemoryPercent)]),
      ],
      behavior: {
        scaleUp: { ...defaultBehavior.scaleUp, ...scaling.behavior?.scaleUp },
        scaleDown: { ...defaultBehavior.scaleDown, ...scaling.behavior?.scaleDown },
      },
    },
  };
}

/**
 * The pods a voluntary disruption (a node drain, an upgrade) must leave running. Prod protects
 * every service (one pod at least); elsewhere only services that declare `minAvailable`.
 */
export function minAvailableFor(service: ServiceSpec, tier: Tier): number | undefined {
  return service.minAvailable ?? (tier === 'prod' ? 1 : undefined);
}

export function pdbManifest(
  service: ServiceSpec,
  namespace: string,
  environment: string,
  tier: Tier,
): k8s.types.input.policy.v1.PodDisruptionBudget | undefined {
  const minAvailable = minAvailableFor(service, tier);
  if (minAvailable === undefined) return undefined;
  return {
    apiVersion: 'policy/v1',
    kind: 'PodDisruptionBudget',
    metadata: { name: service.name, namespace, labels: serviceLabels(service.name, environment) },
    spec: {
      minAvailable,
      selector: { matchLabels: selectorLabels(service.name) },
      // A crash-looping pod must not hold up a node drain.
      unhealthyPodEvictionPolicy: 'AlwaysAllow',
    },
  };
}
