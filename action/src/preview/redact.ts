import { tail } from '../io/exec';
// The offline plan's detectors, so the comment hides by value what the plan hides (one list, not two).
import { redactSecretValues } from '../../../plan/secret-values';

/**
 * Removes every secret value from text before it leaves the runner, in its plain and JSON-escaped spellings
 * (longest first, so a secret containing another is removed whole), then whatever looks like a credential
 * by value: an engine error can quote a token, key or URL password that was never secret config.
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
  return redactSecretValues(result);
}

/**
 * The last lines of a message with its secrets removed. Redacting must come first: once a multi-line
 * secret is cut, the lines that remain no longer match the secret and would be shown as they are.
 */
export function redactedTail(text: string, secrets: readonly string[], lines = 15): string {
  return tail(redact(text, secrets), lines);
}

/**
 * The first `limit` characters of a text with its secrets removed, for the same reason: a cut through
 * a secret leaves a prefix that no longer matches it.
 */
export function redactedPrefix(text: string, secrets: readonly string[], limit: number): string {
  return redact(text, secrets).slice(0, limit);
}
