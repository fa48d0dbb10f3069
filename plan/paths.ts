/**
 * Property paths as the plan prints them: `spec.template.spec.containers[0].image`. Keys such as
 * `app.kubernetes.io/name` are quoted (`labels["app.kubernetes.io/name"]`), so a path reads back unambiguously.
 */
export function childPath(path: string, key: string): string {
  if (!/^[A-Za-z_$][\w$-]*$/.test(key)) return `${path}[${JSON.stringify(key)}]`;
  return path ? `${path}.${key}` : key;
}

export function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

/** Every string in a value with its path. */
export function stringPaths(value: unknown, path = ''): [string, string][] {
  if (typeof value === 'string') return [[path, value]];
  if (Array.isArray(value)) return value.flatMap((item, index) => stringPaths(item, `${path}[${index}]`));
  if (isRecord(value)) {
    return Object.entries(value).flatMap(([key, item]) => stringPaths(item, childPath(path, key)));
  }
  return [];
}
