import { packViolations, type Candidate } from '../run-policies';

const policy = 'k8s-no-literal-secrets';
const password = 'hunter2-do-not-print';

// No stack declares a Kubernetes Secret, so the bad variants are built by hand, shaped as the
// Kubernetes provider records one.
function secret(fields: Record<string, unknown>): Candidate {
  return {
    type: 'kubernetes:core/v1:Secret',
    name: 'workloads-api-credentials',
    urn: 'urn:pulumi:dev::slipway::slipway:workloads:Workloads$kubernetes:core/v1:Secret::workloads-api-credentials',
    props: {
      apiVersion: 'v1',
      kind: 'Secret',
      metadata: { name: 'api-credentials', namespace: 'slipway-dev' },
      ...fields,
    },
  };
}

describe('literal Kubernetes Secrets', () => {
  it('reports stringData and names the keys, never the values', async () => {
    const violations = await packViolations(secret({ stringData: { password, username: 'app' } }));
    expect(violations).toEqual([
      {
        policy,
        message:
          'Secret "api-credentials" in namespace "slipway-dev" has literal stringData (keys: password, username)',
      },
    ]);
    expect(JSON.stringify(violations)).not.toContain(password);
  });

  it('reports base64 data', async () => {
    expect(
      await packViolations(secret({ data: { token: Buffer.from(password).toString('base64') } })),
    ).toEqual([
      {
        policy,
        message: 'Secret "api-credentials" in namespace "slipway-dev" has literal data (keys: token)',
      },
    ]);
  });

  it('accepts a Secret with no literal content (filled in by a controller)', async () => {
    expect(await packViolations(secret({ type: 'kubernetes.io/service-account-token', data: {} }))).toEqual(
      [],
    );
  });
});
