import { execFileSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { resolveBaseRevision } from '../../plan/base';

// A repository whose first commit has no plan command and whose second has one.
const repo = mkdtempSync(join(tmpdir(), 'slipway-base-ref-'));
const outside = mkdtempSync(join(tmpdir(), 'slipway-no-git-'));
const git = (...args: string[]) =>
  execFileSync('git', ['-c', 'user.name=test', '-c', 'user.email=test@example.com', ...args], { cwd: repo })
    .toString()
    .trim();

beforeAll(() => {
  git('init', '--quiet');
  writeFileSync(join(repo, 'Pulumi.yaml'), 'name: demo\n');
  git('add', 'Pulumi.yaml');
  git('commit', '--quiet', '-m', 'before the plan');
  mkdirSync(join(repo, 'plan'));
  writeFileSync(join(repo, 'plan', 'main.ts'), '');
  git('add', 'plan');
  git('commit', '--quiet', '-m', 'the plan');
});
afterAll(() => {
  rmSync(repo, { recursive: true, force: true });
  rmSync(outside, { recursive: true, force: true });
});

describe('resolveBaseRevision', () => {
  it('finds the commit a ref names', async () => {
    await expect(resolveBaseRevision('HEAD', repo)).resolves.toMatchObject({
      ref: 'HEAD',
      commit: git('rev-parse', 'HEAD'),
    });
  });

  it('refuses a ref that names no commit, before anything renders', async () => {
    await expect(resolveBaseRevision('no-such-branch', repo)).rejects.toThrow(
      `--base: "no-such-branch" is not a commit in`,
    );
  });

  it('refuses a revision that has no plan command to render it with', async () => {
    await expect(resolveBaseRevision('HEAD~1', repo)).rejects.toThrow(
      '--base: HEAD~1 has no plan command (plan/main.ts); it cannot be rendered',
    );
  });

  it('refuses a project outside any git repository', async () => {
    await expect(resolveBaseRevision('HEAD', outside)).rejects.toThrow(/is not in a git repository/);
  });
});
