/** How `pulumi stack output --json` (without --show-secrets) prints a secret value, at any depth. */
export const maskedSecret = '[secret]';

export interface SplitOutputs {
  /** The outputs with every secret leaf removed (an array loses the secret element). */
  shown: Record<string, unknown>;
  /** The plaintext of every secret leaf, to mask in the log. */
  secrets: string[];
}

/**
 * Separates the stack outputs a run may print from the secret ones. The Automation API marks an output
 * secret only when the whole value is, so a nested secret (`{db: {host, password}}`) would pass as public;
 * the CLI's masked view shows `"[secret]"` wherever a secret sits, at any depth, and is the authority here.
 * Where the masked view is missing or shaped differently the value is treated as secret (fail closed).
 */
export function splitOutputs(
  plain: Record<string, { value: unknown; secret: boolean }>,
  masked: Record<string, unknown>,
): SplitOutputs {
  const secrets: string[] = [];
  const shown: Record<string, unknown> = {};
  for (const [key, output] of Object.entries(plain)) {
    const kept = output.secret ? dropped : keep(output.value, masked[key], secrets);
    if (kept === dropped) leaves(output.value, secrets);
    else shown[key] = kept;
  }
  return { shown, secrets };
}

const dropped = Symbol('dropped');

function keep(plain: unknown, masked: unknown, secrets: string[]): unknown {
  if (masked === maskedSecret && plain !== maskedSecret) return dropped;
  if (Array.isArray(plain)) {
    if (!Array.isArray(masked) || masked.length !== plain.length) return dropped;
    const kept: unknown[] = [];
    plain.forEach((item, i) => {
      const value = keep(item, masked[i], secrets);
      if (value === dropped) leaves(item, secrets);
      else kept.push(value);
    });
    return kept;
  }
  if (plain !== null && typeof plain === 'object') {
    if (masked === null || typeof masked !== 'object' || Array.isArray(masked)) return dropped;
    const kept: Record<string, unknown> = {};
    for (const [key, item] of Object.entries(plain)) {
      const value = keep(item, (masked as Record<string, unknown>)[key], secrets);
      if (value === dropped) leaves(item, secrets);
      else kept[key] = value;
    }
    return kept;
  }
  return Object.is(plain, masked) ? plain : dropped;
}

/** Every scalar under a value, as the text a log line would hold. */
function leaves(value: unknown, into: string[]): void {
  if (Array.isArray(value)) value.forEach((item) => leaves(item, into));
  else if (value !== null && typeof value === 'object')
    Object.values(value).forEach((item) => leaves(item, into));
  else if (value !== undefined && value !== null && String(value) !== '') into.push(String(value));
}
