import { cpSync, mkdirSync, mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

const repoRoot = join(__dirname, '..', '..');

/**
 * A checkout holding what the bootstrap reads (slipway.yaml, pipeline.yaml, its own project), each file
 * optionally edited, so a case can render the bootstrap from a changed layout. The caller removes it.
 */
export function bootstrapCheckout(
  edit: { pipeline?: (text: string) => string; settings?: (text: string) => string } = {},
): string {
  const dir = mkdtempSync(join(tmpdir(), 'slipway-bootstrap-'));
  mkdirSync(join(dir, 'infra', 'bootstrap'), { recursive: true });
  for (const file of ['Pulumi.yaml', 'Pulumi.sample.yaml'])
    cpSync(join(repoRoot, 'infra', 'bootstrap', file), join(dir, 'infra', 'bootstrap', file));
  for (const [file, change] of [
    ['slipway.yaml', edit.settings],
    ['pipeline.yaml', edit.pipeline],
  ] as const) {
    const text = readFileSync(join(repoRoot, file), 'utf8');
    const changed = change ? change(text) : text;
    // An edit that changes nothing would test the shipped layout under another name.
    if (change && changed === text) throw new Error(`the edit of ${file} changed nothing`);
    writeFileSync(join(dir, file), changed);
  }
  return dir;
}
