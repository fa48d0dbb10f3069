import { restrictedPodProblems, type PodSpecLike } from '../../../infra/workloads/checks';
import type { OfflineRun } from '../../../offline/engine';
import { renderStack, stacks } from '../../support/render';
import { objectsOfKind } from './objects';

const podOf = (deployment: { spec?: Record<string, unknown> }) =>
  (deployment.spec as { template: { spec: PodSpecLike } }).template.spec;

describe.each(stacks)('restrictedPodProblems on the %s Deployments', (stack) => {
  let run: OfflineRun;
  beforeAll(async () => {
    run = await renderStack(stack);
  });

  it('finds nothing wrong with any rendered pod', () => {
    const deployments = objectsOfKind(run, 'Deployment');
    expect(deployments).toHaveLength(3);
    for (const deployment of deployments) expect(restrictedPodProblems(podOf(deployment))).toEqual([]);
  });
});

describe('restrictedPodProblems on a broken pod', () => {
  let pod: PodSpecLike;
  beforeAll(async () => {
    const run = await renderStack('prod');
    pod = podOf(objectsOfKind(run, 'Deployment')[0] as { spec?: Record<string, unknown> });
  });

  /** A deep copy of the rendered pod with one change applied to it. */
  const broken = (change: (copy: Required<PodSpecLike>) => void): PodSpecLike => {
    const copy = structuredClone(pod) as Required<PodSpecLike>;
    change(copy);
    return copy;
  };
  const first = (copy: Required<PodSpecLike>) =>
    copy.containers[0] as NonNullable<PodSpecLike['containers']>[0];

  it.each<[string, (copy: Required<PodSpecLike>) => void, RegExp]>([
    ['runAsNonRoot removed', (c) => delete c.securityContext.runAsNonRoot, /securityContext.runAsNonRoot/],
    ['no fixed UID', (c) => delete c.securityContext.runAsUser, /securityContext.runAsUser/],
    [
      'seccomp unconfined',
      (c) => (c.securityContext.seccompProfile = { type: 'Unconfined' }),
      /seccompProfile/,
    ],
    ['host network', (c) => (c.hostNetwork = true), /host namespace/],
    ['image by tag', (c) => (first(c).image = 'registry/app:latest'), /pinned by digest/],
    [
      'writable root',
      (c) => (first(c).securityContext = { ...first(c).securityContext, readOnlyRootFilesystem: false }),
      /readOnlyRootFilesystem/,
    ],
    [
      'escalation allowed',
      (c) => delete first(c).securityContext?.allowPrivilegeEscalation,
      /allowPrivilegeEscalation/,
    ],
    [
      'capabilities kept',
      (c) => (first(c).securityContext = { ...first(c).securityContext, capabilities: {} }),
      /capabilities.drop/,
    ],
    [
      'capability added',
      (c) =>
        (first(c).securityContext = {
          ...first(c).securityContext,
          capabilities: { drop: ['ALL'], add: ['NET_ADMIN'] },
        }),
      /capabilities.add/,
    ],
    ['no memory limit', (c) => delete first(c).resources?.limits?.memory, /resources.limits.memory/],
    ['no cpu request', (c) => delete first(c).resources?.requests?.cpu, /resources.requests.cpu/],
    ['no liveness probe', (c) => delete first(c).livenessProbe, /livenessProbe/],
    ['no readiness probe', (c) => delete first(c).readinessProbe, /readinessProbe/],
    ['no startup probe', (c) => delete first(c).startupProbe, /startupProbe/],
  ])('reports %s', (_, change, expected) => {
    const problems = restrictedPodProblems(broken(change));
    expect(problems).toHaveLength(1);
    expect(problems[0]).toMatch(expected);
  });
});
