import { maskSecret } from '../../../action/src/io/mask';

test('a multi-line secret is masked whole and line by line; blank lines are not masks', () => {
  const written: string[] = [];
  const spy = jest.spyOn(process.stdout, 'write').mockImplementation((chunk: string | Uint8Array) => {
    written.push(String(chunk));
    return true;
  });
  try {
    maskSecret('-----BEGIN KEY-----\nabc123\n\n-----END KEY-----');
  } finally {
    spy.mockRestore();
  }
  const masks = written.join('').trim().split('\n');
  expect(masks).toEqual([
    '::add-mask::-----BEGIN KEY-----%0Aabc123%0A%0A-----END KEY-----',
    '::add-mask::-----BEGIN KEY-----',
    '::add-mask::abc123',
    '::add-mask::-----END KEY-----',
  ]);
});
