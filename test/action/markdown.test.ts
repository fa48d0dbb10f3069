import { codeBlock, escapeMarkdown } from '../../action/src/markdown';

test('untrusted text cannot make HTML, links, mentions, maths, emphasis or table cells', () => {
  expect(escapeMarkdown('<img src=x onerror=alert(1)>')).toBe('&lt;img src=x onerror=alert\\(1\\)&gt;');
  expect(escapeMarkdown('[x](javascript:alert)')).toBe('\\[x\\]\\(javascript:alert\\)');
  expect(escapeMarkdown('@org/admins')).toBe('&#64;org/admins');
  expect(escapeMarkdown('a|b\nc')).toBe('a\\|b c');
  expect(escapeMarkdown('$x$ *y* _z_ `w` ~~v~~ #1')).toBe(
    '\\$x\\$ \\*y\\* \\_z\\_ \\`w\\` \\~\\~v\\~\\~ \\#1',
  );
  expect(escapeMarkdown('&lt;')).toBe('&amp;lt;');
});

test('a code block is fenced longer than any run of backticks inside it', () => {
  expect(codeBlock('plain')).toBe('```text\nplain\n```');
  expect(codeBlock('a ```` b')).toBe('`````text\na ```` b\n`````');
});
