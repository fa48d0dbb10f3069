/**
 * Removes every secret value from text before it leaves the runner, in its plain and JSON-escaped spellings.
 * Longest first, so a secret containing another is removed whole.
 */
export function redact(text: string, secrets: readonly string[]): string {
  const spellings = new Set<string>();
  for (const secret of secrets) {
    if (secret.length === 0) continue;
    spellings.add(secret);
    spellings.add(JSON.stringify(secret).slice(1, -1));
  }
  let result = text;
  for (const spelling of [...spellings].sort((a, b) => b.length - a.length)) {
    result = result.split(spelling).join('***');
  }
  return result;
}
