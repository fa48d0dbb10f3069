import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { parse } from 'yaml';

const root = join(__dirname, '..', '..');
const metadata = parse(readFileSync(join(root, 'action', 'action.yml'), 'utf8')) as {
  inputs: Record<string, { description: string; default?: string; required?: boolean }>;
  outputs: Record<string, { description: string }>;
  runs: { using: string; main: string };
};
const section = readFileSync(join(root, 'docs', 'action.md'), 'utf8');

function sources(dir: string): string {
  return readdirSync(dir, { withFileTypes: true })
    .map((entry) =>
      entry.isDirectory() ? sources(join(dir, entry.name)) : readFileSync(join(dir, entry.name), 'utf8'),
    )
    .join('\n');
}
const code = sources(join(root, 'action', 'src'));
const used = (pattern: RegExp) => new Set([...code.matchAll(pattern)].map((m) => m[1] as string));

test('every input the code reads is declared in action.yml, and every declared input is read', () => {
  const read = used(/(?:getInput|optional|booleanInput|numberInput|jsonInput)\('([a-z-]+)'/g);
  expect([...read].sort()).toEqual(Object.keys(metadata.inputs).sort());
});

test('every output the code sets is declared in action.yml, and every declared output is set', () => {
  const set = used(/setOutput\(\s*'([a-z-]+)'/g);
  for (const op of ['create', 'update', 'delete', 'replace', 'same']) set.add(`${op}-count`);
  for (const severity of ['critical', 'high', 'medium', 'low', 'unknown']) set.add(severity);
  expect([...set].sort()).toEqual(Object.keys(metadata.outputs).sort());
});

test('every input and output is described in action.yml and documented in docs/action.md', () => {
  for (const [name, spec] of [...Object.entries(metadata.inputs), ...Object.entries(metadata.outputs)]) {
    expect(spec.description.length).toBeGreaterThan(20);
    expect(section).toMatch(new RegExp(`^- \\*\\*\`${name}\`\\*\\*: `, 'm'));
  }
});

test('the runner starts the committed bundle on a Node runtime', () => {
  expect(metadata.runs).toEqual({ using: 'node24', main: 'dist/index.js' });
  expect(metadata.inputs['github-token']?.default).toBe('${{ github.token }}');
  expect(metadata.inputs.config?.default).toBe('pipeline.yaml');
});
