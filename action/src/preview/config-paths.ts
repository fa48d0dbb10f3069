/**
 * Flattens a structured value into `pulumi config set --path` entries, so nested values land as YAML
 * structure and objects never become `[object Object]`: `{api: 'sha256:…'}` under `slipway:images`
 * gives `slipway:images.api = sha256:…`.
 */
export function configPathEntries(key: string, value: unknown): [string, string][] {
  if (Array.isArray(value)) {
    return value.flatMap((item, index) => configPathEntries(`${key}[${index}]`, item));
  }
  if (value !== null && typeof value === 'object') {
    return Object.entries(value).flatMap(([name, item]) => configPathEntries(`${key}${segment(name)}`, item));
  }
  return [[key, typeof value === 'string' ? value : JSON.stringify(value)]];
}

function segment(name: string): string {
  return /^[A-Za-z_][\w-]*$/.test(name) ? `.${name}` : `[${JSON.stringify(name)}]`;
}
