import { execFileSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';

const repoRoot = join(__dirname, '..', '..');

/** Every file git tracks, plus the untracked ones it does not ignore: what a clone of this commit holds. */
function repositoryFiles(): string[] {
  const listing = execFileSync('git', ['ls-files', '-z', '--cached', '--others', '--exclude-standard'], {
    cwd: repoRoot,
    encoding: 'utf8',
    maxBuffer: 64 * 1024 * 1024,
  });
  return listing.split('\0').filter(Boolean);
}

describe('the repository is self-contained', () => {
  it('no file reads the steering folder beside the clone, which users and other CI never have', () => {
    // Spelt in two pieces so that this file does not name the path it forbids.
    const forbidden = ['..', 'shared'].join('/');
    const offenders = repositoryFiles().filter((file) => {
      if (file === 'package-lock.json' || file.startsWith('action/dist/')) return false;
      try {
        return readFileSync(join(repoRoot, file), 'utf8').includes(forbidden);
      } catch {
        return false; // deleted in the work tree but still in the index
      }
    });
    expect(offenders).toEqual([]);
  });

  it('holds every recorded fixture the action tests replay, each named in test/fixtures/README.md', () => {
    const fixtures = repositoryFiles().filter((f) => f.startsWith('test/fixtures/') && f.endsWith('.json'));
    const readme = readFileSync(join(repoRoot, 'test', 'fixtures', 'README.md'), 'utf8');
    expect(fixtures.length).toBeGreaterThanOrEqual(14);
    for (const file of fixtures) {
      const base = file.slice(file.lastIndexOf('/') + 1);
      expect({ file, named: readme.includes(base) }).toEqual({ file, named: true });
    }
  });
});
