import { readFileSync } from 'node:fs';
import type { FakeGitHub } from './fake-github';

/**
 * What the deploy workflow's attest step (actions/attest-build-provenance) does with push's subject-checksums
 * output: an attestation of every image push pushed from its own build. Returns the file's lines.
 */
export function attestPushed(github: FakeGitHub, pushed: { outputs: Record<string, string> }): string[] {
  const lines = readFileSync(pushed.outputs['subject-checksums'] ?? '', 'utf8')
    .trimEnd()
    .split('\n');
  for (const line of lines) github.attest(`sha256:${line.split('  ')[0] ?? ''}`);
  return lines;
}
