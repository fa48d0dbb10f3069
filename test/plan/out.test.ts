import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { PlanError } from '../../plan/errors';
import { assertOutIsFolder } from '../../plan/out';

const dir = mkdtempSync(join(tmpdir(), 'slipway-out-'));
const file = join(dir, 'a-file');
writeFileSync(file, '');
afterAll(() => rmSync(dir, { recursive: true, force: true }));

describe('assertOutIsFolder', () => {
  it('accepts a folder that exists and one that does not yet, under a writable folder', () => {
    expect(() => assertOutIsFolder(dir)).not.toThrow();
    expect(() => assertOutIsFolder(join(dir, 'plan', 'prod'))).not.toThrow();
  });

  it('refuses a path under a file, naming the option and the file', () => {
    const out = join(file, 'plan');
    expect(() => assertOutIsFolder(out)).toThrow(PlanError);
    expect(() => assertOutIsFolder(out)).toThrow(`--out: cannot write to ${out}: ${file} is not a folder`);
  });
});
