/**
 * The pod rules this component renders by, as a pure check over a plain pod spec (a rendered
 * manifest, a policy pack's resource inputs). Each problem names the field that breaks the rule.
 */

interface Container {
  name?: string;
  image?: string;
  securityContext?: {
    runAsNonRoot?: boolean;
    allowPrivilegeEscalation?: boolean;
    readOnlyRootFilesystem?: boolean;
    privileged?: boolean;
    capabilities?: { drop?: string[]; add?: string[] };
  };
  resources?: { requests?: Record<string, unknown>; limits?: Record<string, unknown> };
  livenessProbe?: unknown;
  readinessProbe?: unknown;
  startupProbe?: unknown;
}

export interface PodSpecLike {
  hostNetwork?: boolean;
  hostPID?: boolean;
  hostIPC?: boolean;
  securityContext?: {
    runAsNonRoot?: boolean;
    runAsUser?: number;
    runAsGroup?: number;
    seccompProfile?: { type?: string };
  };
  containers?: Container[];
  initContainers?: Container[];
}

/** `registry/repository@sha256:<64 hex>`: an image that cannot change under its reference. */
export const isDigestPinned = (image: string | undefined) =>
  /^[^@\s]+@sha256:[0-9a-f]{64}$/.test(image ?? '');

export function restrictedPodProblems(spec: PodSpecLike): string[] {
  const problems: string[] = [];
  const pod = spec.securityContext ?? {};
  if (spec.hostNetwork || spec.hostPID || spec.hostIPC) problems.push('pod: shares a host namespace');
  if (pod.runAsNonRoot !== true) problems.push('securityContext.runAsNonRoot: must be true');
  if (!pod.runAsUser) problems.push('securityContext.runAsUser: must be a fixed non-root UID');
  if (!pod.runAsGroup) problems.push('securityContext.runAsGroup: must be a fixed non-root GID');
  if (pod.seccompProfile?.type !== 'RuntimeDefault')
    problems.push('securityContext.seccompProfile.type: must be RuntimeDefault');
  const containers = spec.containers ?? [];
  if (containers.length === 0) problems.push('containers: none');
  for (const container of [...containers, ...(spec.initContainers ?? [])]) {
    const at = (field: string) => `container ${container.name ?? '?'}: ${field}`;
    const context = container.securityContext ?? {};
    if (!isDigestPinned(container.image))
      problems.push(at(`image ${container.image}: must be pinned by digest`));
    if (context.allowPrivilegeEscalation !== false)
      problems.push(at('securityContext.allowPrivilegeEscalation: must be false'));
    if (context.readOnlyRootFilesystem !== true)
      problems.push(at('securityContext.readOnlyRootFilesystem: must be true'));
    if (context.privileged) problems.push(at('securityContext.privileged: must not be true'));
    if (!context.capabilities?.drop?.includes('ALL'))
      problems.push(at('securityContext.capabilities.drop: must include ALL'));
    if (context.capabilities?.add?.length)
      problems.push(at('securityContext.capabilities.add: must be empty'));
    for (const kind of ['requests', 'limits'] as const) {
      for (const resource of ['cpu', 'memory']) {
        if (container.resources?.[kind]?.[resource] === undefined)
          problems.push(at(`resources.${kind}.${resource}: must be set`));
      }
    }
  }
  for (const container of containers) {
    for (const probe of ['livenessProbe', 'readinessProbe', 'startupProbe'] as const) {
      if (!container[probe]) problems.push(`container ${container.name ?? '?'}: ${probe}: must be set`);
    }
  }
  return problems;
}
