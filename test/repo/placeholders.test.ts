import { execFileSync } from 'node:child_process';
import { join } from 'node:path';

const repoRoot = join(__dirname, '..', '..');

/**
 * The sample values a team adopting Slipway must replace: the account ID, the repository owner, the domain
 * and the office range (the sample ARNs all carry the account ID). They may appear only in slipway.yaml,
 * where the team replaces them once, and where they illustrate or test: examples/, docs/ and test/.
 */
const placeholders = ['123456789012', '\\bacme\\b', 'example\\.com', '203\\.0\\.113\\.'];
const allowed = [
  'slipway.yaml',
  'examples/',
  'docs/',
  'test/',
  // The offline engine is the fake AWS: the caller identity it answers with is the sample account, so the
  // sample bootstrap renders. A value of the test double, not one a team replaces.
  'offline/cloud.ts',
  // The bundle is built from action/src, which the search covers.
  'action/dist/',
];

/** Every tracked line (git grep, as the acceptance check runs it) holding a placeholder. */
function placeholderLines(): string[] {
  const args = [
    'grep',
    '--untracked',
    '-n',
    '-I',
    '-P',
    placeholders.join('|'),
    '--',
    '.',
    ...allowed.map((p) => `:!${p}`),
  ];
  try {
    return execFileSync('git', args, { cwd: repoRoot, encoding: 'utf8' }).split('\n').filter(Boolean);
  } catch (error) {
    // git grep exits 1 when nothing matches.
    if ((error as { status?: number }).status === 1) return [];
    throw error;
  }
}

describe('placeholders', () => {
  it('live only in slipway.yaml (and in examples, docs and tests)', () => {
    expect(placeholderLines()).toEqual([]);
  });

  it('are found where they are, so the search above can fail', () => {
    const args = ['grep', '-l', '-P', placeholders.join('|'), '--', 'slipway.yaml', 'offline/cloud.ts'];
    expect(
      execFileSync('git', args, { cwd: repoRoot, encoding: 'utf8' }).split('\n').filter(Boolean),
    ).toEqual(['offline/cloud.ts', 'slipway.yaml']);
  });
});
