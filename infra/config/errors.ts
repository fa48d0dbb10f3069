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
