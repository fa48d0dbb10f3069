import type * as k8s from '@pulumi/kubernetes';
import type * as pulumi from '@pulumi/pulumi';
import type { ServiceSpec } from '../config/services';
import type { Tier } from '../config/tiers';
import { selectorLabels, serviceLabels } from './names';
import { podSpec } from './pod';
import { rollingSurge } from '../config/capacity';

/**
 * How a new version replaces the old: by default a new pod starts before an old one stops, so
 * capacity never drops below the desired count; the catalog may change the pace or ask for Recreate
 * (every old pod stops first, for an app that cannot run two versions at once).
 */
export function strategyOf(service: ServiceSpec): k8s.types.input.apps.v1.DeploymentStrategy {
  const rollout = service.rollout;
  if (rollout?.strategy === 'Recreate') return { type: 'Recreate' };
  return {
    type: 'RollingUpdate',
    rollingUpdate: {
      maxUnavailable: rollout?.maxUnavailable ?? 0,
      maxSurge: rollout?.maxSurge ?? rollingSurge,
    },
  };
}

export interface DeploymentInputs {
  service: ServiceSpec;
  namespace: string;
  environment: string;
  tier: Tier;
  /** `repository@sha256:…`: the exact image, never a tag. */
  image: pulumi.Input<string>;
  /** Hash of the ConfigMap's data, so a config change rolls the pods. */
  configHash: pulumi.Input<string>;
  /** The Secrets of the variables composed from the service's data stores (named per credential version). */
  dataSecretNames?: pulumi.Input<string>[];
}

/** `repository@digest`: what the cluster pulls, whatever later happens to the tag. */
export const pinnedImage = (repositoryUrl: string, digest: string) => `${repositoryUrl}@${digest}`;

/**
 * The service's Deployment, rolled out as `strategyOf` says; its pods carry the catalog's labels and
 * annotations besides the platform's. An autoscaled service leaves `replicas` to its HPA.
 */
export function deploymentManifest(inputs: DeploymentInputs): k8s.types.input.apps.v1.Deployment {
  const { service } = inputs;
  const labels = serviceLabels(service.name, inputs.environment);
  return {
    apiVersion: 'apps/v1',
    kind: 'Deployment',
    metadata: { name: service.name, namespace: inputs.namespace, labels },
    spec: {
      ...(service.autoscaling ? {} : { replicas: service.replicas }),
      revisionHistoryLimit: 5,
      minReadySeconds: 5,
      progressDeadlineSeconds: 600,
      selector: { matchLabels: selectorLabels(service.name) },
      strategy: strategyOf(service),
      template: {
        metadata: {
          labels: { ...service.labels, ...labels },
          annotations: { ...service.annotations, 'slipway.dev/config-hash': inputs.configHash },
        },
        spec: podSpec(service, inputs.image, inputs.tier, inputs.dataSecretNames ?? []),
      },
    },
  };
}
