import { rmSync } from 'node:fs';

/** Removes the run's scratch folder made by global-setup.ts, so a jest run leaves nothing behind. */
export default function globalTeardown(): void {
  const scratch = process.env.SLIPWAY_TEST_SCRATCH;
  if (scratch) rmSync(scratch, { recursive: true, force: true });
}
