/**
 * Makes untrusted text (branch names, resource names, error messages) inert in GitHub Markdown: no HTML,
 * no links, no mentions, no maths, no table breaks, no code spans.
 */
export function escapeMarkdown(text: string): string {
  return text
    .replace(/&/g, '&amp;')
    .replace(/</g, '&lt;')
    .replace(/>/g, '&gt;')
    .replace(/[\\`*_[\]()|~#!$]/g, (c) => `\\${c}`)
    .replace(/@/g, '&#64;')
    .replace(/\r?\n/g, ' ');
}

/** A fenced block that the text cannot close early, whatever backticks it holds. */
export function codeBlock(text: string): string {
  const longest = Math.max(2, ...[...text.matchAll(/`+/g)].map((m) => m[0].length));
  const fence = '`'.repeat(longest + 1);
  return `${fence}text\n${text}\n${fence}`;
}
