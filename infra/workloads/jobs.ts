import type * as k8s from '@pulumi/kubernetes';
import type * as pulumi from '@pulumi/pulumi';
import type { CronJobSpec, JobSpec, ServiceSpec } from '../config/services';
import { hardenedPod } from './pod';
import { serviceLabels } from './names';

/**
 * Jobs and CronJobs run the service's image with the service's identity, config and secrets, in the
 * same hardened pod as its Deployment. Their pods carry a name of their own (`<service>-<job>`), not
 * the service's: the service's selector would otherwise send traffic to them and count them in its
 * disruption budget.
 */
export const jobWorkloadName = (service: ServiceSpec, job: string) => `${service.name}-${job}`;

/** The service as its job's network policies see it: the service's peers and egress, the job's pods. */
export const asJobWorkload = (service: ServiceSpec, job: string): ServiceSpec => ({
  ...service,
  name: jobWorkloadName(service, job),
  ports: {},
  ingress: undefined,
});

export interface JobInputs {
  service: ServiceSpec;
  namespace: string;
  environment: string;
  /** `repository@sha256:…`, the Deployment's image. */
  image: pulumi.Input<string>;
  /** The Deployment's config hash: a change of config is a new run of every pre-rollout Job. */
  configHash: pulumi.Input<string>;
  /** Secrets of the variables composed from the service's data stores (a migration needs them). */
  dataSecretNames?: pulumi.Input<string>[];
}

function jobTemplate(inputs: JobInputs, job: string, spec: JobSpec | CronJobSpec) {
  const { service } = inputs;
  const labels = { ...service.labels, ...serviceLabels(jobWorkloadName(service, job), inputs.environment) };
  const pod = hardenedPod(
    service,
    {
      name: job,
      ...(spec.command ? { command: spec.command } : {}),
      ...(spec.args ? { args: spec.args } : {}),
      resources: spec.resources ?? service.resources,
    },
    inputs.image,
    inputs.dataSecretNames ?? [],
  );
  return {
    labels,
    spec: {
      backoffLimit: spec.backoffLimit,
      activeDeadlineSeconds: spec.activeDeadlineSeconds,
      template: {
        metadata: {
          labels: { ...labels, 'slipway.dev/service': service.name },
          annotations: { ...service.annotations, 'slipway.dev/config-hash': inputs.configHash },
        },
        // A failed run is retried as a new pod (up to backoffLimit), so its logs stay readable.
        spec: { ...pod, restartPolicy: 'Never' },
      },
    },
  };
}

/**
 * A Job the service's rollout waits for (a schema migration, say). Its pod template holds the image
 * and the config hash, so a new release or config replaces it, and so runs it again, before the
 * Deployment moves; an unchanged release leaves the finished Job alone.
 */
export function jobManifest(inputs: JobInputs, job: string, spec: JobSpec): k8s.types.input.batch.v1.Job {
  const { labels, spec: jobSpec } = jobTemplate(inputs, job, spec);
  return {
    apiVersion: 'batch/v1',
    kind: 'Job',
    metadata: { name: jobWorkloadName(inputs.service, job), namespace: inputs.namespace, labels },
    spec: jobSpec,
  };
}

/** A scheduled run: one at a time unless the catalog allows more, the last few runs kept for reading. */
export function cronJobManifest(
  inputs: JobInputs,
  job: string,
  spec: CronJobSpec,
): k8s.types.input.batch.v1.CronJob {
  const { labels, spec: jobSpec } = jobTemplate(inputs, job, spec);
  return {
    apiVersion: 'batch/v1',
    kind: 'CronJob',
    metadata: { name: jobWorkloadName(inputs.service, job), namespace: inputs.namespace, labels },
    spec: {
      schedule: spec.schedule,
      ...(spec.timeZone ? { timeZone: spec.timeZone } : {}),
      concurrencyPolicy: spec.concurrencyPolicy,
      startingDeadlineSeconds: spec.startingDeadlineSeconds,
      successfulJobsHistoryLimit: 3,
      failedJobsHistoryLimit: 3,
      jobTemplate: { metadata: { labels }, spec: jobSpec },
    },
  };
}
