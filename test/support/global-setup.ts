import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

/**
 * One scratch folder per jest run for what test files share across workers (the offline renders of the
 * repository's stacks). The workers inherit the variable; global-teardown.ts removes the folder.
 */
export default function globalSetup(): void {
  process.env.SLIPWAY_TEST_SCRATCH = mkdtempSync(join(tmpdir(), 'slipway-test-run-'));
}
