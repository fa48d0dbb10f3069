import type { ResourceValidationPolicy } from '@pulumi/policy';
import { forTypes } from '../applies-to';
import { allContainers, podSpecOf, workloadTypes } from './workload';

/** Seccomp profiles the restricted Pod Security Standard accepts: the runtime's or one on the node. */
const confiningSeccomp = ['RuntimeDefault', 'Localhost'];

/** The one capability the restricted standard lets a container add back (binding ports below 1024). */
const addableCapabilities = ['NET_BIND_SERVICE'];

/**
 * The container security context of the restricted Pod Security Standard, plus a fixed non-root UID
 * and GID: with the image's user, `runAsNonRoot` is only checked when the pod starts, and a file
 * owned by group 0 stays writable. `runAsNonRoot`, the IDs and seccomp may be set on the pod and inherited, so those are checked as the kubelet resolves them
 * (container first, then pod); the rest only exist per container.
 */
export const containerSecurityContext: ResourceValidationPolicy = {
  name: 'k8s-container-security-context',
  description:
    'Every container runs as a fixed non-root UID/GID with a read-only root filesystem, no privilege escalation, ' +
    'all capabilities dropped and the RuntimeDefault seccomp profile.',
  enforcementLevel: 'mandatory',
  validateResource: forTypes(workloadTypes, (props, args, report) => {
    const spec = podSpecOf(args.type, props);
    const pod = spec?.securityContext;
    for (const { label, container } of allContainers(spec)) {
      const own = container.securityContext;
      if ((own?.runAsNonRoot ?? pod?.runAsNonRoot) !== true)
        report(`${label} does not set runAsNonRoot: true`);
      for (const field of ['runAsUser', 'runAsGroup'] as const) {
        const id = own?.[field] ?? pod?.[field];
        if (id === undefined) report(`${label} sets no fixed ${field}`);
        else if (id === 0) report(`${label} has ${field} 0 (root)`);
      }
      if (own?.readOnlyRootFilesystem !== true) report(`${label} does not set readOnlyRootFilesystem: true`);
      if (own?.allowPrivilegeEscalation !== false) {
        report(`${label} does not set allowPrivilegeEscalation: false`);
      }
      if (own?.privileged === true) report(`${label} is privileged`);
      if (!own?.capabilities?.drop?.includes('ALL')) report(`${label} does not drop ALL capabilities`);
      const added = (own?.capabilities?.add ?? []).filter((cap) => !addableCapabilities.includes(cap));
      if (added.length > 0) report(`${label} adds capabilities ${added.join(', ')}`);
      const seccomp = own?.seccompProfile?.type ?? pod?.seccompProfile?.type;
      if (!seccomp || !confiningSeccomp.includes(seccomp)) {
        report(`${label} has seccomp profile ${seccomp ?? '(none)'}, not RuntimeDefault`);
      }
    }
  }),
};
