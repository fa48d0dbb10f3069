import { readFile } from 'node:fs/promises';
import { run, tail } from './exec';

/** Runs `trivy image --format json` and returns the report text; a scanner failure throws. */
export async function trivyScan(image: string, reportPath: string): Promise<string> {
  const result = await run('trivy', ['image', '--format', 'json', '--output', reportPath, '--quiet', image]);
  if (result.code !== 0) throw new Error(`trivy exited with ${result.code}: ${tail(result.stderr)}`);
  return readFile(reportPath, 'utf8');
}
