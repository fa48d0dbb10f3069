import {
  ghFailure,
  provenanceProblem,
  referenceProblem,
  verifyArguments,
  type ExpectedBuilder,
} from '../images/provenance';
import { run } from './exec';

/**
 * Verifies `image` (`registry/repository@sha256:…`) with `gh attestation verify`: gh resolves the image in
 * its registry (with docker's login), fetches its attestations from GitHub, checks their Sigstore signatures
 * against GitHub's trusted root and the signer workflow, and prints what it verified, which is read again.
 * Returns why it does not verify, or undefined. The token reaches gh in its environment, never as an
 * argument.
 */
export async function attestationProblem(
  image: string,
  expected: ExpectedBuilder,
  token: string,
): Promise<string | undefined> {
  const unpinned = referenceProblem(image);
  if (unpinned) return unpinned;
  const host = new URL(expected.serverUrl).host;
  const env: Record<string, string> = { GH_TOKEN: token };
  if (host !== 'github.com') env.GH_HOST = host;
  // No gh on the runner is a refusal like any other: nothing is trusted that could not be checked.
  const result = await run('gh', verifyArguments(image, expected), { env }).catch((error: Error) => ({
    code: 127,
    stdout: '',
    stderr: `Error: ${error.message} (GitHub's hosted runners have the GitHub CLI; install it on others)`,
  }));
  if (result.code !== 0) return ghFailure(result.stderr, result.code);
  let parsed: unknown;
  try {
    parsed = JSON.parse(result.stdout);
  } catch {
    return 'gh attestation verify printed no JSON';
  }
  return provenanceProblem(parsed, image, expected);
}
