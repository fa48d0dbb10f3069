import { packViolations, type Candidate } from '../run-policies';
import { deploymentType, partsOf, realResource } from '../variants';

const policy = 'k8s-image-pinned-by-digest';
const digest = `sha256:${'ab'.repeat(32)}`;

describe('image pinning', () => {
  let web: Candidate;
  let repository: string;
  beforeEach(async () => {
    web = await realResource('dev', deploymentType, 'workloads-web-deployment');
    repository = (partsOf(web).container.image ?? '').split('@')[0] ?? '';
  });

  it('accepts the recorded digest-pinned image', async () => {
    expect(partsOf(web).container.image).toMatch(/@sha256:[0-9a-f]{64}$/);
    expect(await packViolations(web)).toEqual([]);
  });

  it('reports an image pinned by tag only', async () => {
    partsOf(web).container.image = `${repository}:1.4.2`;
    expect(await packViolations(web)).toEqual([
      { policy, message: `container "web": image "${repository}:1.4.2" is not pinned by digest (@sha256:…)` },
    ]);
  });

  it('reports latest even when a digest follows it', async () => {
    partsOf(web).container.image = `${repository}:latest@${digest}`;
    expect(await packViolations(web)).toEqual([
      { policy, message: `container "web": image "${repository}:latest@${digest}" uses the tag "latest"` },
    ]);
  });

  it('reports latest and the missing digest for a bare latest image', async () => {
    partsOf(web).container.image = `${repository}:latest`;
    expect((await packViolations(web)).map((violation) => violation.message)).toEqual([
      `container "web": image "${repository}:latest" uses the tag "latest"`,
      `container "web": image "${repository}:latest" is not pinned by digest (@sha256:…)`,
    ]);
  });

  it('reads a registry port as part of the host, not as a tag', async () => {
    partsOf(web).container.image = `registry.internal:5000/team/web@${digest}`;
    expect(await packViolations(web)).toEqual([]);
  });

  it('checks init containers too', async () => {
    const { pod, container } = partsOf(web);
    pod.initContainers = [{ ...container, name: 'migrate', image: `${repository}:1.4.2` }];
    expect(await packViolations(web)).toEqual([
      {
        policy,
        message: `init container "migrate": image "${repository}:1.4.2" is not pinned by digest (@sha256:…)`,
      },
    ]);
  });
});
