import { redact, redactedPrefix, redactedTail } from '../../../action/src/preview/redact';
import { tail } from '../../../action/src/io/exec';

// A 25-line secret (a key) inside an error: cutting to the last 20 lines first left 18 of its lines as
// they were, since no remaining piece equals the whole secret any more.
const key = [
  '-----BEGIN PRIVATE KEY-----',
  ...Array.from(
    { length: 23 },
    (_, i) => `MIIEv${String(i).padStart(2, '0')}QIBADANBgkqhkiG9w0BAQEFAASCBKcwggSjAgEAAoIBAQC7`,
  ),
  '-----END PRIVATE KEY-----',
].join('\n');
const error = `error: provider failed\nconfig value was:\n${key}\nend of output`;

test('the tail of a message is taken after its secrets are removed, so no line of them survives', () => {
  const cutFirst = redact(tail(error, 20), [key]);
  expect(cutFirst).toContain('QIBADANBgkqhkiG9w0BAQEFAASCBKcwggSjAgEAAoIBAQC7'); // the old order leaked
  const fixed = redactedTail(error, [key], 20);
  expect(fixed).not.toContain('QIBADANBgkqhkiG9w0BAQEFAASCBKcwggSjAgEAAoIBAQC7');
  expect(fixed).toBe('error: provider failed\nconfig value was:\n***\nend of output');
});

test('a secret straddling a character cut leaves no prefix behind', () => {
  const secret = 'sk_live_51HxYzABCDEFGHIJKLMNOPQRSTUV';
  const line = `${'x'.repeat(490)}${secret}`;
  expect(line.slice(0, 500)).toContain('sk_live_51'); // cutting first kept the prefix
  expect(redactedPrefix(line, [secret], 500)).toBe(`${'x'.repeat(490)}***`);
});
