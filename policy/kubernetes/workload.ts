import type * as k8s from '@pulumi/kubernetes';
import type { Unwrap } from '@pulumi/pulumi';

export type PodSpec = Unwrap<k8s.types.input.core.v1.PodSpec>;
export type Container = Unwrap<k8s.types.input.core.v1.Container>;

const deployment = 'kubernetes:apps/v1:Deployment';
const statefulSet = 'kubernetes:apps/v1:StatefulSet';
const daemonSet = 'kubernetes:apps/v1:DaemonSet';
const replicaSet = 'kubernetes:apps/v1:ReplicaSet';
const job = 'kubernetes:batch/v1:Job';
const cronJob = 'kubernetes:batch/v1:CronJob';
const pod = 'kubernetes:core/v1:Pod';

/** Objects that run pods: each carries a pod spec the hardening rules apply to. */
export const workloadTypes = [deployment, statefulSet, daemonSet, replicaSet, job, cronJob, pod] as const;

/** Workloads that keep running (and so are probed), as opposed to Jobs that run to completion. */
export const longRunningTypes = [deployment, statefulSet, daemonSet, replicaSet, pod] as const;

/** The pod spec of a workload object: the object's own for a Pod, the (job) template's otherwise. */
export function podSpecOf(type: string, props: Record<string, unknown>): PodSpec | undefined {
  const spec = props.spec as (PodTemplateHolder & { jobTemplate?: { spec?: PodTemplateHolder } }) | undefined;
  if (type === pod) return spec as PodSpec | undefined;
  if (type === cronJob) return spec?.jobTemplate?.spec?.template?.spec;
  return spec?.template?.spec;
}

interface PodTemplateHolder {
  template?: { spec?: PodSpec };
}

export interface NamedContainer {
  /** `container "web"` or `init container "migrate"`, as a violation names it. */
  label: string;
  container: Container;
}

/** The regular and init containers of a pod: both run the image with the node's kernel. */
export function allContainers(spec: PodSpec | undefined): NamedContainer[] {
  const regular = (spec?.containers ?? []).map((container) => ({
    label: `container "${container.name}"`,
    container,
  }));
  const init = (spec?.initContainers ?? []).map((container) => ({
    label: `init container "${container.name}"`,
    container,
  }));
  return [...init, ...regular];
}

/** The namespace a namespaced object lands in; the API server puts an object without one in `default`. */
export function namespaceOf(props: Record<string, unknown>): string {
  const metadata = props.metadata as { namespace?: string } | undefined;
  return metadata?.namespace ?? 'default';
}
