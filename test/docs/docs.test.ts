import { execFileSync } from 'node:child_process';
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { dirname, join, relative } from 'node:path';

const repoRoot = join(__dirname, '..', '..');

function markdownFiles(dir: string): string[] {
  return readdirSync(dir, { withFileTypes: true }).flatMap((entry) =>
    entry.isDirectory()
      ? markdownFiles(join(dir, entry.name))
      : entry.name.endsWith('.md')
        ? [join(dir, entry.name)]
        : [],
  );
}
const pages = [join(repoRoot, 'README.md'), ...markdownFiles(join(repoRoot, 'docs'))];

/** The lines of a Markdown file outside code fences. */
function proseLines(text: string): string[] {
  let fenced = false;
  return text.split('\n').filter((line) => {
    if (line.trimStart().startsWith('```')) {
      fenced = !fenced;
      return false;
    }
    return !fenced;
  });
}

/** The shell block that follows a `<!-- tested: ... -->` marker in a guide. */
function testedBlock(page: string): string {
  const text = readFileSync(join(repoRoot, page), 'utf8');
  const block = /<!-- tested:[^>]*-->\s*```sh\n([\s\S]*?)```/.exec(text);
  if (!block?.[1]) throw new Error(`${page} has no tested shell block`);
  return block[1];
}

describe('the docs', () => {
  it('keep the README a front door of at most 12 kB', () => {
    expect(readFileSync(join(repoRoot, 'README.md')).length).toBeLessThanOrEqual(12 * 1024);
  });

  it('link only to files that exist', () => {
    const broken: string[] = [];
    for (const page of pages) {
      for (const [, target = ''] of proseLines(readFileSync(page, 'utf8'))
        .join('\n')
        .replace(/`[^`\n]*`/g, '') // code spans are not links
        .matchAll(/\]\(([^)#\s]+)(?:#[^)]*)?\)/g)) {
        if (/^[a-z]+:/.test(target)) continue; // https:, mailto:
        if (!existsSync(join(dirname(page), target))) broken.push(`${relative(repoRoot, page)} → ${target}`);
      }
    }
    expect(broken).toEqual([]);
  });

  it('wrap prose at 120 characters (tables and code aside)', () => {
    const long = pages.flatMap((page) =>
      proseLines(readFileSync(page, 'utf8'))
        .filter((line) => line.length > 120 && !line.trimStart().startsWith('|'))
        .map((line) => `${relative(repoRoot, page)}: ${line.slice(0, 60)}…`),
    );
    expect(long).toEqual([]);
  });

  it('link every task guide from the README', () => {
    const readme = readFileSync(join(repoRoot, 'README.md'), 'utf8');
    for (const guide of readdirSync(join(repoRoot, 'docs', 'guides'))) {
      expect(readme).toContain(`docs/guides/${guide}`);
    }
  });
});

describe('the guide "run the action locally"', () => {
  it('resolves a push to main as written, with nothing but the repository and Node', () => {
    const output = execFileSync(
      'bash',
      ['-euo', 'pipefail', '-c', testedBlock('docs/guides/run-the-action-locally.md')],
      {
        cwd: repoRoot,
        encoding: 'utf8',
      },
    );
    expect(output).toMatch(/^environments<<(\S+)\n\["dev","staging"\]\n\1$/m);
    expect(output).toMatch(/^image-tag<<(\S+)\n0123456789abcdef0123456789abcdef01234567\n\1$/m);
  });
});
