import { run } from '../../../action/src/io/exec';

// A command that exits before reading its standard input (a tool failing fast, under a loaded runner) closes
// the pipe while the action still writes to it: the write fails with EPIPE, which must end as the command's
// exit code, not as an unhandled error that kills the action.
test('a command that exits without reading its input resolves with its exit code', async () => {
  const result = await run('sh', ['-c', 'echo refused >&2; exit 3'], { input: 'x'.repeat(4 * 1024 * 1024) });
  expect(result).toEqual({ code: 3, stdout: '', stderr: 'refused\n' });
});
