/** Who must have built an image for the pipeline to reuse, promote or deploy it. */
export interface ExpectedBuilder {
  /** `https://github.com` (GITHUB_SERVER_URL). */
  serverUrl: string;
  /** `owner/repo`: this repository. */
  repository: string;
  /** The workflow that builds and attests images, e.g. `.github/workflows/deploy.yml`. */
  workflow: string;
}

/**
 * The parts of one `gh attestation verify --format json` result this check reads: sigstore-go's
 * verification result, whose certificate summary carries the Fulcio extensions of the signing workflow.
 */
interface VerifiedAttestation {
  verificationResult?: {
    signature?: { certificate?: { sourceRepositoryURI?: string; buildSignerURI?: string } };
    statement?: { predicateType?: string; subject?: { digest?: { sha256?: string } }[] };
  };
}

export const slsaProvenance = 'https://slsa.dev/provenance/v1';

/** `<owner>/<repo>/<workflow path>`, the form `gh attestation verify --signer-workflow` takes. */
export const signerWorkflow = (expected: ExpectedBuilder) => `${expected.repository}/${expected.workflow}`;

const digestOf = (image: string) => /@(sha256:[0-9a-f]{64})$/.exec(image)?.[1];

/** `gh attestation verify`'s arguments for `image` (`registry/repository@sha256:…`); the token is not one. */
export function verifyArguments(image: string, expected: ExpectedBuilder): string[] {
  return [
    'attestation',
    'verify',
    `oci://${image}`,
    '--repo',
    expected.repository,
    '--signer-workflow',
    signerWorkflow(expected),
    '--predicate-type',
    slsaProvenance,
    '--format',
    'json',
  ];
}

/** Why `image` cannot be verified at all (gh resolves a tag again, so only a digest pins what is checked). */
export function referenceProblem(image: string): string | undefined {
  return digestOf(image) ? undefined : 'it is not pinned by a sha256 digest';
}

/**
 * Why gh's verified results do not show that the expected workflow of this repository built `image`, or
 * undefined when one does. gh has checked the signatures, the digest and a signer prefix; its signer match is
 * a regular expression without an end (`deploy.yml` also matches `deploy.yml.evil.yml`), so the statement it
 * verified is read again here: SLSA provenance of this digest, from this repository, signed by this workflow.
 */
export function provenanceProblem(
  results: unknown,
  image: string,
  expected: ExpectedBuilder,
): string | undefined {
  if (!Array.isArray(results) || results.length === 0) return 'gh verified no attestation';
  const hex = (digestOf(image) ?? '').replace(/^sha256:/, '');
  const repositoryUri = `${expected.serverUrl}/${expected.repository}`;
  const signerPrefix = `${repositoryUri}/${expected.workflow}@`;
  const problems = (results as VerifiedAttestation[]).map(({ verificationResult: result }) => {
    const certificate = result?.signature?.certificate;
    const statement = result?.statement;
    if (statement?.predicateType !== slsaProvenance) return `predicate ${statement?.predicateType ?? 'none'}`;
    if (!statement.subject?.some((s) => s.digest?.sha256 === hex))
      return 'the attestation is for another digest';
    if (certificate?.sourceRepositoryURI !== repositoryUri)
      return `built from ${certificate?.sourceRepositoryURI ?? 'an unknown repository'}, not ${repositoryUri}`;
    if (!certificate.buildSignerURI?.startsWith(signerPrefix))
      return `signed by ${certificate.buildSignerURI ?? 'an unknown workflow'}, not ${expected.workflow}`;
    return undefined;
  });
  return problems.includes(undefined) ? undefined : problems[0];
}

/**
 * Why gh refused, in one line: its `Error:` line (the ✗ lines before it only say which stage failed), or
 * the first line it wrote (the missing-token help).
 */
export function ghFailure(stderr: string, code: number): string {
  const lines = stderr
    .split('\n')
    .map((line) => line.replace(/^[✗!*\s]+/, '').trim())
    .filter(Boolean);
  const reason = lines.filter((line) => line.startsWith('Error:')).at(-1) ?? lines[0];
  return `gh attestation verify: ${reason ?? `exit ${code}`}`;
}

/** The one-line refusal for an image whose provenance does not verify. */
export function provenanceRefusal(image: string, reason: string, expected: ExpectedBuilder): string {
  return `image ${image} refused: its build provenance does not verify (${reason}); only images that ${expected.workflow} of ${expected.repository} built and attested are reused, promoted or deployed`;
}

/**
 * The `subject-checksums` file actions/attest-build-provenance reads: one `<sha256 hex>  <name>` line per
 * image (`registry/repository@sha256:…`), the name without its digest, as the shasum tools write it.
 */
export function subjectChecksums(images: readonly string[]): string {
  const lines = [...new Set(images)].map((image) => {
    const at = image.lastIndexOf('@');
    return `${image.slice(at + 1).replace(/^sha256:/, '')}  ${image.slice(0, at)}`;
  });
  return lines.length > 0 ? `${lines.join('\n')}\n` : '';
}
