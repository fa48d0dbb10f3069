import { execFileSync } from 'node:child_process';
import { copyFileSync, mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { renderBaseRevision, resolveBaseRevision, stackFileMissingAt } from '../../plan/base';
import { PlanError } from '../../plan/errors';
import { Progress } from '../../plan/progress';

// A repository whose first commit has no plan command and whose second has one that prints nothing.
// Its lock file is this checkout's, so the worktree borrows node_modules instead of running npm ci.
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
  writeFileSync(join(repo, 'Pulumi.dev.yaml'), 'config:\n  slipway:tier: dev\n');
  copyFileSync(join(__dirname, '..', '..', 'package-lock.json'), join(repo, 'package-lock.json'));
  git('add', 'plan', 'package-lock.json', 'Pulumi.dev.yaml');
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

describe('stackFileMissingAt', () => {
  it('finds nothing missing for a stack the base revision has', async () => {
    const revision = await resolveBaseRevision('HEAD', repo);
    await expect(stackFileMissingAt(revision, repo, 'dev', 'platform')).resolves.toBeUndefined();
  });

  it('names the stack file of a stack added since the base', async () => {
    const revision = await resolveBaseRevision('HEAD', repo);
    await expect(stackFileMissingAt(revision, repo, 'qa', 'platform')).resolves.toBe('Pulumi.qa.yaml');
  });

  it("names the apps stack file when only the platform's existed at the base", async () => {
    const revision = await resolveBaseRevision('HEAD', repo);
    await expect(stackFileMissingAt(revision, repo, 'dev', 'apps')).resolves.toBe(
      'infra/apps/Pulumi.dev.yaml',
    );
  });
});

describe('renderBaseRevision', () => {
  it('reports a base plan that prints no JSON as a plan error, and removes its worktree', async () => {
    const revision = await resolveBaseRevision('HEAD', repo);
    const progress = new Progress({ write: () => true });
    const rendering = renderBaseRevision({
      revision,
      projectDir: repo,
      stack: 'dev',
      project: 'platform',
      progress,
    });
    await expect(rendering).rejects.toBeInstanceOf(PlanError);
    await expect(rendering).rejects.toThrow('HEAD: its plan printed no JSON plan on stdout');
    expect(git('worktree', 'list', '--porcelain').match(/^worktree /gm)).toHaveLength(1);
  });
});
