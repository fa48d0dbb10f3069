import { packViolations, type Candidate } from '../run-policies';
import { deploymentType, partsOf, realResource } from '../variants';

const policy = 'k8s-container-resources';

describe('container requests and limits', () => {
  let web: Candidate;
  beforeEach(async () => {
    web = await realResource('dev', deploymentType, 'workloads-web-deployment');
  });

  it('reports a missing memory limit', async () => {
    delete partsOf(web).limits.memory;
    expect(await packViolations(web)).toEqual([
      { policy, message: 'container "web" sets no limits for memory' },
    ]);
  });

  it('reports a missing CPU request', async () => {
    delete partsOf(web).requests.cpu;
    expect(await packViolations(web)).toEqual([
      { policy, message: 'container "web" sets no requests for cpu' },
    ]);
  });

  it('reports a container with no resources at all', async () => {
    delete partsOf(web).container.resources;
    expect(await packViolations(web)).toEqual([
      { policy, message: 'container "web" sets no requests for cpu, memory' },
      { policy, message: 'container "web" sets no limits for cpu, memory' },
    ]);
  });
});
