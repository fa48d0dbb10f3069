import { packViolations, type Candidate } from '../run-policies';
import { deploymentType, partsOf, realResource } from '../variants';

const policy = 'k8s-pod-host-isolation';

describe('pod host isolation', () => {
  let worker: Candidate;
  beforeEach(async () => {
    worker = await realResource('dev', deploymentType, 'workloads-worker-deployment');
  });

  it.each(['hostNetwork', 'hostPID', 'hostIPC'] as const)('reports %s: true', async (field) => {
    partsOf(worker).pod[field] = true;
    expect(await packViolations(worker)).toEqual([{ policy, message: `the pod sets ${field}: true` }]);
  });

  it('reports a hostPath volume', async () => {
    partsOf(worker).volumes.push({ name: 'docker', hostPath: { path: '/var/run/docker.sock' } });
    expect(await packViolations(worker)).toEqual([
      { policy, message: 'volume "docker" mounts the node path /var/run/docker.sock' },
    ]);
  });
});
