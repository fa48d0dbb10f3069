import {
  ghFailure,
  provenanceProblem,
  slsaProvenance,
  subjectChecksums,
} from '../../../action/src/images/provenance';

const expected = {
  serverUrl: 'https://github.com',
  repository: 'acme/shop',
  workflow: '.github/workflows/deploy.yml',
};
const image = `registry.example/slipway-dev/api@sha256:${'b'.repeat(64)}`;
/** One entry of `gh attestation verify --format json`: sigstore-go's verification result. */
const verified = (changes: { repo?: string; signer?: string; sha?: string; predicate?: string } = {}) => ({
  verificationResult: {
    signature: {
      certificate: {
        sourceRepositoryURI: `https://github.com/${changes.repo ?? 'acme/shop'}`,
        buildSignerURI:
          changes.signer ?? 'https://github.com/acme/shop/.github/workflows/deploy.yml@refs/heads/main',
      },
    },
    statement: {
      predicateType: changes.predicate ?? slsaProvenance,
      subject: [{ name: 'image', digest: { sha256: changes.sha ?? 'b'.repeat(64) } }],
    },
  },
});

test("gh's verified statement is read again: SLSA provenance of this digest, this repository, this workflow", () => {
  expect(provenanceProblem([verified()], image, expected)).toBeUndefined();
  // One good attestation among others suffices.
  expect(
    provenanceProblem([verified({ repo: 'mallory/shop' }), verified()], image, expected),
  ).toBeUndefined();
  expect(provenanceProblem([], image, expected)).toBe('gh verified no attestation');
  expect(provenanceProblem({}, image, expected)).toBe('gh verified no attestation');
  expect(provenanceProblem([verified({ sha: 'c'.repeat(64) })], image, expected)).toBe(
    'the attestation is for another digest',
  );
  expect(provenanceProblem([verified({ repo: 'mallory/shop' })], image, expected)).toBe(
    'built from https://github.com/mallory/shop, not https://github.com/acme/shop',
  );
  expect(
    provenanceProblem([verified({ predicate: 'https://spdx.dev/Document/v2.3' })], image, expected),
  ).toBe('predicate https://spdx.dev/Document/v2.3');
});

test("gh's refusal becomes its Error line, or its first line when it has none", () => {
  expect(
    ghFailure('Loaded digest sha256:1 for oci://x\n✗ Verification failed\n\nError: expected X, got Y\n', 1),
  ).toBe('gh attestation verify: Error: expected X, got Y');
  expect(
    ghFailure('gh: To use GitHub CLI in a GitHub Actions workflow, set GH_TOKEN. Example:\n  env:\n', 4),
  ).toBe('gh attestation verify: gh: To use GitHub CLI in a GitHub Actions workflow, set GH_TOKEN. Example:');
  expect(ghFailure('', 2)).toBe('gh attestation verify: exit 2');
});

test('the subjects attest-build-provenance signs: one "<hex>  <name>" line per image, none twice', () => {
  const other = `registry.example/slipway-dev/web@sha256:${'c'.repeat(64)}`;
  expect(subjectChecksums([image, other, image])).toBe(
    `${'b'.repeat(64)}  registry.example/slipway-dev/api\n${'c'.repeat(64)}  registry.example/slipway-dev/web\n`,
  );
  expect(subjectChecksums([])).toBe('');
});
