/**
 * Secrets found by what they look like, whatever key holds them, as secret scanners (gitleaks,
 * trufflehog, GitHub's secret scanning) find them: well-known token formats, PEM private keys, passwords
 * inside URLs and `password=` assignments, and the same behind URL-encoding or base64. Shared by the
 * offline plan (every value it prints or writes) and the action (errors and engine diagnostics it
 * posts), so both hide the same things.
 */
export const secretPlaceholder = '[secret]';

type Replacer = (text: string) => string;

const pattern = (regex: RegExp, keep?: (match: string, ...groups: string[]) => string): Replacer => {
  return (text) =>
    text.replace(regex, (match: string, ...groups: unknown[]) =>
      keep ? keep(match, ...(groups.filter((g) => typeof g === 'string') as string[])) : secretPlaceholder,
    );
};

/** A 40-character AWS secret access key mixes cases and digits; a hex digest of that length does not. */
function mixed(token: string): boolean {
  return /[A-Z]/.test(token) && /[a-z]/.test(token) && /[0-9]/.test(token);
}

const detectors: Replacer[] = [
  // PEM private keys (RSA, EC, OpenSSH, PKCS#8, encrypted), to their END line or, cut short, to the end.
  pattern(
    /-----BEGIN [A-Z0-9 ]*PRIVATE KEY(?: BLOCK)?-----[\s\S]*?(?:-----END [A-Z0-9 ]*PRIVATE KEY(?: BLOCK)?-----|$)/g,
  ),
  // A password in a URL's user info, which may itself hold `@` or `/`: up to the last `@` before a host.
  pattern(
    /(\b[a-z][\w+.-]*:\/\/[^/\s:@]*:)(\S+)@(?=[\w.-]+(?::\d+)?(?:[/?#\s"'),;]|$))/gi,
    (_, scheme: string) => `${scheme}${secretPlaceholder}@`,
  ),
  // Authorization header values: a bearer token, or basic credentials (base64 of `user:password`).
  pattern(/\bBearer\s+[A-Za-z0-9\-._~+/]{8,}=*/g, () => `Bearer ${secretPlaceholder}`),
  pattern(/\bBasic\s+([A-Za-z0-9+/]{8,}={0,2})/g, (match, token: string) =>
    Buffer.from(token, 'base64').toString('utf8').includes(':') ? `Basic ${secretPlaceholder}` : match,
  ),
  // JSON Web Tokens (header.payload.signature; the signature is empty for alg "none").
  pattern(/\beyJ[A-Za-z0-9_-]{4,}\.eyJ[A-Za-z0-9_-]{4,}\.[A-Za-z0-9_-]*/g),
  // Vendor tokens with fixed prefixes: Stripe, GitHub, Slack, Google, AWS access key ids.
  pattern(/\b(?:sk|rk|pk)_(?:live|test)_[0-9A-Za-z]{10,}/g),
  pattern(/\b(?:gh[pousr]_[A-Za-z0-9]{36,}|github_pat_[A-Za-z0-9_]{22,})/g),
  pattern(/\bxox[abposr]-[A-Za-z0-9-]{10,}/g),
  pattern(/\bAIza[0-9A-Za-z_-]{35}\b/g),
  pattern(/\b(?:AKIA|ASIA)[0-9A-Z]{16}\b/g),
  // An AWS secret access key: 40 characters of base64 alphabet, mixed case and digits.
  pattern(/(?<![A-Za-z0-9/+])[A-Za-z0-9/+]{40}(?![A-Za-z0-9/+=])/g, (match) =>
    mixed(match) ? secretPlaceholder : match,
  ),
  // `password=…`, `DB_PASS: …`, `"api_key": "…"` inside config files and connection strings (not inside
  // an ARN, whose `:secret:name` is a resource type and a name).
  pattern(
    /((?<![\w.:/-])[\w.-]*(?:password|passwd|pass|pwd|secret|token|api[_-]?key|private[_-]?key)["']?[ \t]*[:=][ \t]*["']?)(?![\s"']|\[secret\]|\*\*\*|(?:true|false|null|\d+)\b)[^\s"',;&]+/gi,
    (_, key: string) => `${key}${secretPlaceholder}`,
  ),
  // A generated-looking value assigned to any name (`SIGNING_MATERIAL=7hG2kQ…`, `seed: …`, `"seed":"…"`):
  // an assignment is where a credential sits, and ids, digests and words do not pass looksGenerated. A
  // bare colon is no assignment: `aws:ResourceTag/…` and ARN segments are names.
  pattern(
    /((?<![\w.:/-])[A-Za-z_][\w.-]*(?:[ \t]*=[ \t]*|:[ \t]+|":[ \t]*)["']?)([A-Za-z0-9+/=_\-.~]{20,})/g,
    (match, key: string, value: string) => (looksGenerated(value) ? `${key}${secretPlaceholder}` : match),
  ),
];

function plainRedact(text: string): string {
  return detectors.reduce((result, detect) => detect(result), text);
}

/** Base64 (standard or URL-safe) runs long enough to hide a credential. */
const base64Run = /(?<![A-Za-z0-9+/_-])[A-Za-z0-9+/_-]{16,}={0,2}(?![A-Za-z0-9+/_=-])/g;

function decodedBase64(token: string): string | undefined {
  const text = Buffer.from(token.replace(/-/g, '+').replace(/_/g, '/'), 'base64').toString('utf8');
  // Only text is worth scanning: random bytes decode to replacement and control characters.
  // eslint-disable-next-line no-control-regex
  return text.length >= 8 && !/[\uFFFD\u0000-\u0008\u000E-\u001F]/.test(text) ? text : undefined;
}

function decodedUrl(text: string): string | undefined {
  if (!/%[0-9A-Fa-f]{2}/.test(text)) return undefined;
  try {
    return decodeURIComponent(text);
  } catch {
    return undefined;
  }
}

/**
 * Replaces every secret found in `text` by value. A URL-encoded text whose decoded form holds a secret is
 * replaced whole, and so is each base64 run whose decoded text does: cutting a secret out of an encoding
 * cannot be done without decoding it, and a partly redacted encoding could still be decoded.
 */
export function redactSecretValues(text: string): string {
  const decoded = decodedUrl(text);
  if (decoded !== undefined && plainRedact(decoded) !== decoded) return secretPlaceholder;
  const plain = plainRedact(text);
  return plain.replace(base64Run, (token) => {
    const inner = decodedBase64(token);
    return inner !== undefined && redactSecretValues(inner) !== inner ? secretPlaceholder : token;
  });
}

/** Shannon entropy in bits per character. */
function entropy(text: string): number {
  const counts = new Map<string, number>();
  for (const char of text) counts.set(char, (counts.get(char) ?? 0) + 1);
  let bits = 0;
  for (const count of counts.values()) {
    const p = count / text.length;
    bits -= p * Math.log2(p);
  }
  return bits;
}

/**
 * Whether a whole value looks like a generated credential: one token of 20 or more characters from the
 * alphabets keys and tokens use, mixing cases and digits, with high entropy. Only asked where a secret is
 * likely (environment values, ConfigMap data, keys that name keys, salts or signatures): elsewhere ids and
 * digests would match too.
 */
export function looksGenerated(value: string): boolean {
  return (
    value.length >= 20 &&
    /^[A-Za-z0-9+/=_\-.~]+$/.test(value) &&
    mixed(value) &&
    entropy(value) >= Math.min(4, Math.log2(value.length) - 0.7)
  );
}
