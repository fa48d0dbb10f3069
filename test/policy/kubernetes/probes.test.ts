import { packViolations } from '../run-policies';
import { deploymentType, partsOf, realResource } from '../variants';

const policy = 'k8s-container-probes';

describe('container probes', () => {
  it.each(['livenessProbe', 'readinessProbe', 'startupProbe'] as const)(
    'reports a missing %s',
    async (probe) => {
      const web = await realResource('dev', deploymentType, 'workloads-web-deployment');
      const { container } = partsOf(web);
      expect(container[probe]).toBeDefined();
      container[probe] = undefined;
      expect(await packViolations(web)).toEqual([{ policy, message: `container "web" has no ${probe}` }]);
    },
  );

  it('does not ask a Job to be probed', async () => {
    const web = await realResource('dev', deploymentType, 'workloads-web-deployment');
    const { pod } = partsOf(web);
    const job = {
      ...web,
      type: 'kubernetes:batch/v1:Job',
      props: {
        apiVersion: 'batch/v1',
        kind: 'Job',
        metadata: web.props.metadata,
        spec: {
          template: {
            spec: { ...pod, restartPolicy: 'Never', containers: pod.containers.map(withoutProbes) },
          },
        },
      },
    };
    expect(await packViolations(job)).toEqual([]);
  });
});

function withoutProbes<
  T extends { livenessProbe?: unknown; readinessProbe?: unknown; startupProbe?: unknown },
>(container: T): T {
  return { ...container, livenessProbe: undefined, readinessProbe: undefined, startupProbe: undefined };
}
