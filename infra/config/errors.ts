/** Raised when a stack's config is invalid: one line per problem, each naming the file and the key. */
export class ConfigError extends Error {
  constructor(readonly problems: string[]) {
    super(problems.join('\n'));
    this.name = 'ConfigError';
  }
}

/** Renders a key path as the stack file spells it: `slipway:cluster.nodeGroups[0].minSize`. */
export function keyPath(root: string, path: readonly PropertyKey[]): string {
  return path.reduce<string>(
    (text, part) =>
      typeof part === 'number' ? `${text}[${part}]` : `${text}${text ? '.' : ''}${String(part)}`,
    root,
  );
}

/**
 * A YAML syntax error as one line naming the file and the position, compiler style:
 * `services.yaml:67:1: not valid YAML: flow sequence … must end with a ]`, without the parser's excerpt.
 */
export function yamlErrorLine(file: string, error: unknown): string {
  const { message = String(error), linePos } = error as {
    message?: string;
    linePos?: { line: number; col: number }[];
  };
  const reason = (message.split('\n')[0] ?? '').replace(/ at line \d+, column \d+:?$/, '').replace(/:$/, '');
  const position = linePos?.[0];
  return `${position ? `${file}:${position.line}:${position.col}` : file}: not valid YAML: ${reason}`;
}

/**
 * Keys JavaScript treats specially: assigning `__proto__` replaces an object's prototype, so a stack file's
 * `__proto__` key would silently vanish on the way through a merge. Each one found is a problem line.
 */
const reservedKeys = new Set(['__proto__', 'constructor', 'prototype']);

export function reservedKeyProblems(
  value: unknown,
  file: string,
  root: string,
  path: PropertyKey[] = [],
): string[] {
  if (Array.isArray(value)) {
    return value.flatMap((item, index) => reservedKeyProblems(item, file, root, [...path, index]));
  }
  if (typeof value !== 'object' || value === null) return [];
  return Object.keys(value).flatMap((key) =>
    reservedKeys.has(key)
      ? [`${file}: ${keyPath(root, [...path, key])}: "${key}" is a reserved name, not allowed as a key`]
      : reservedKeyProblems((value as Record<string, unknown>)[key], file, root, [...path, key]),
  );
}
