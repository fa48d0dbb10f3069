/**
 * Planted secrets: each a credential in one of the shapes that leaked from the plan and the comments
 * (issue 16), under the name a team would give it. `value` must appear in no output; `text` is how it is
 * written into a value (a URL around a password, a header around a token, an encoding of it).
 * Every credential here is made up for this test.
 */
export interface PlantedSecret {
  name: string;
  /** What must never be printed. */
  value: string;
  /** The text planted (an environment value, a config line) that carries it. */
  text: string;
}

const pem = (label: string, body: string) =>
  [
    `-----BEGIN ${label}-----`,
    ...Array.from({ length: 6 }, (_, i) => `${body}${i}xQIBADANBgkqhkiG9w0BAQEFAASCBKcwggSjAgEA`),
    `-----END ${label}-----`,
  ].join('\n');

const rsaKey = pem('RSA PRIVATE KEY', 'MIIEowIBAAKCAQEAcorpusTlsKey');
const pkcs8Key = pem('PRIVATE KEY', 'MIIEvgIBADANcorpusEnvKey');
const jwt =
  'eyJhbGciOiJIUzI1NiIsInR5cCI6IkpXVCJ9.eyJzdWIiOiJjb3JwdXMtdXNlciIsImlhdCI6MTcwMDAwMDAwMH0.c0rpusS1gnatureXyZ123abcDEF456ghi';
const bearer = 'corpusOpaqueBearer7Token9Qw';
const awsSecret = 'wJalrXUtnFEMI/K7MDENG/bPxRfiCYc0rpus1234';
const base64Password = Buffer.from('password=Corpus-b64-hunter2').toString('base64');
const base64Key = Buffer.from(pkcs8Key.replace('corpusEnvKey', 'corpusB64Key')).toString('base64');

export const plantedSecrets: PlantedSecret[] = [
  {
    name: 'DATABASE_URL',
    value: 'p@ss/w0rd-c0rpus',
    text: 'postgres://app:p@ss/w0rd-c0rpus@db.internal:5432/app',
  },
  { name: 'CACHE_URL', value: 'c0rpus-redis-pw', text: 'redis://:c0rpus-redis-pw@cache.internal:6379/0' },
  { name: 'SESSION_JWT', value: jwt, text: jwt },
  { name: 'UPSTREAM_HEADER', value: bearer, text: `Authorization: Bearer ${bearer}` },
  { name: 'BLOB', value: awsSecret, text: awsSecret },
  { name: 'TLS_KEY', value: rsaKey, text: rsaKey },
  { name: 'CERT_BUNDLE', value: pkcs8Key.split('\n')[1] ?? '', text: `subject=api\n${pkcs8Key}\n` },
  { name: 'DB_PASS', value: 'c0rpus-db-pass', text: 'c0rpus-db-pass' },
  { name: 'PAYMENTS', value: 'sk_live_51C0rpusAbCdEfGhIjKlMnOp', text: 'sk_live_51C0rpusAbCdEfGhIjKlMnOp' },
  {
    name: 'ENCODED_URL',
    value: 'C0rpusEncodedPw',
    text: encodeURIComponent('postgres://app:C0rpusEncodedPw@db.internal:5432/app'),
  },
  { name: 'SETTINGS_B64', value: base64Password, text: base64Password },
  { name: 'KEY_B64', value: base64Key.slice(0, 60), text: base64Key },
  {
    name: 'SIGNING_MATERIAL',
    value: '7hG2kQ9xLmP4vR8sT1wZ3yB6nC5dF0aJ',
    text: '7hG2kQ9xLmP4vR8sT1wZ3yB6nC5dF0aJ',
  },
  {
    name: 'DEPLOY_BOT',
    value: 'ghp_C0rpusGitHubTokenAbCdEfGhIjKlMnOpQrSt',
    text: 'ghp_C0rpusGitHubTokenAbCdEfGhIjKlMnOpQrSt',
  },
  {
    name: 'app.properties',
    value: 'C0rpus-props-pw',
    text: 'db.user=app\ndb.password=C0rpus-props-pw\nlog=info\n',
  },
  {
    name: 'NOTIFY',
    value: 'xoxb-1234567890-C0rpusSlackToken-abcdef',
    text: 'xoxb-1234567890-C0rpusSlackToken-abcdef',
  },
  { name: 'OWNER_KEY_ID', value: 'AKIAC0RPUS7EXAMPLE1X', text: 'AKIAC0RPUS7EXAMPLE1X' },
];

/** Every spelling of a planted value an output could carry: as is, JSON-escaped, URL-encoded, line by line. */
export function spellings(value: string): string[] {
  const lines = value.split('\n').filter((line) => !line.startsWith('-----'));
  return [
    ...new Set([value, JSON.stringify(value).slice(1, -1), encodeURIComponent(value), ...lines]),
  ].filter((s) => s.length >= 8);
}
