import { packViolations, type Candidate } from '../run-policies';
import { deploymentType, partsOf, realResource } from '../variants';

const policy = 'k8s-container-security-context';

describe('container security context', () => {
  let api: Candidate;
  beforeEach(async () => {
    api = await realResource('dev', deploymentType, 'workloads-api-deployment');
  });

  const expectOnly = async (message: string) =>
    expect(await packViolations(api)).toEqual([{ policy, message: `container "api" ${message}` }]);

  it('accepts the recorded hardened container', async () => {
    expect(await packViolations(api)).toEqual([]);
  });

  it('inherits runAsNonRoot, the IDs and seccomp from the pod', async () => {
    const { security } = partsOf(api);
    delete security.runAsNonRoot;
    delete security.runAsUser;
    delete security.runAsGroup;
    delete security.seccompProfile;
    expect(await packViolations(api)).toEqual([]);
  });

  it('reports runAsNonRoot missing from both container and pod', async () => {
    const { pod, security } = partsOf(api);
    delete security.runAsNonRoot;
    delete pod.securityContext?.runAsNonRoot;
    await expectOnly('does not set runAsNonRoot: true');
  });

  it('reports a container that overrides the pod with runAsNonRoot: false', async () => {
    partsOf(api).security.runAsNonRoot = false;
    await expectOnly('does not set runAsNonRoot: true');
  });

  it.each(['runAsUser', 'runAsGroup'] as const)('reports %s 0 (root)', async (field) => {
    partsOf(api).security[field] = 0;
    await expectOnly(`has ${field} 0 (root)`);
  });

  it.each(['runAsUser', 'runAsGroup'] as const)('reports %s left to the image', async (field) => {
    const { pod, security } = partsOf(api);
    security[field] = undefined;
    if (pod.securityContext) pod.securityContext[field] = undefined;
    await expectOnly(`sets no fixed ${field}`);
  });

  it('reports a writable root filesystem', async () => {
    partsOf(api).security.readOnlyRootFilesystem = false;
    await expectOnly('does not set readOnlyRootFilesystem: true');
  });

  it('reports privilege escalation allowed', async () => {
    partsOf(api).security.allowPrivilegeEscalation = true;
    await expectOnly('does not set allowPrivilegeEscalation: false');
  });

  it('reports a privileged container', async () => {
    partsOf(api).security.privileged = true;
    await expectOnly('is privileged');
  });

  it('reports capabilities not dropped', async () => {
    partsOf(api).security.capabilities = { drop: ['NET_RAW'] };
    await expectOnly('does not drop ALL capabilities');
  });

  it('reports an added capability other than NET_BIND_SERVICE', async () => {
    partsOf(api).security.capabilities = { drop: ['ALL'], add: ['NET_BIND_SERVICE', 'SYS_ADMIN'] };
    await expectOnly('adds capabilities SYS_ADMIN');
  });

  it('reports an unconfined seccomp profile set on the container', async () => {
    partsOf(api).security.seccompProfile = { type: 'Unconfined' };
    await expectOnly('has seccomp profile Unconfined, not RuntimeDefault');
  });

  it('reports no seccomp profile on either container or pod', async () => {
    const { pod, security } = partsOf(api);
    delete security.seccompProfile;
    delete pod.securityContext?.seccompProfile;
    await expectOnly('has seccomp profile (none), not RuntimeDefault');
  });
});
