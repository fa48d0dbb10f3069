import { packViolations } from '../run-policies';
import { realResource } from '../variants';

const policy = 'k8s-namespace-pod-security';
const enforce = 'pod-security.kubernetes.io/enforce';

describe('namespace Pod Security Standard', () => {
  it('reports a namespace that enforces only baseline', async () => {
    const namespace = await realResource('dev', 'kubernetes:core/v1:Namespace', 'workloads-namespace');
    const metadata = namespace.props.metadata as { name: string; labels: Record<string, string> };
    metadata.labels[enforce] = 'baseline';
    expect(await packViolations(namespace)).toEqual([
      { policy, message: `namespace "${metadata.name}" has ${enforce}: baseline, not restricted` },
    ]);
  });

  it('reports a namespace without the enforce label', async () => {
    const namespace = await realResource(
      'dev',
      'kubernetes:core/v1:Namespace',
      'addons-external-secrets-namespace',
    );
    const metadata = namespace.props.metadata as { labels: Record<string, string> };
    metadata.labels = Object.fromEntries(Object.entries(metadata.labels).filter(([key]) => key !== enforce));
    expect(await packViolations(namespace)).toEqual([
      { policy, message: `namespace "external-secrets" has ${enforce}: (unset), not restricted` },
    ]);
  });
});
