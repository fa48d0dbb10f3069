import type { z } from 'zod';

/**
 * Turns zod's issues into the loader's problem lines, `<file>: <key>: <what is wrong>` (`where` renders the
 * file and key a path is found at), in words a person
 * editing the file acts on: a missing key "is required", a wrong type says what it must be and what it
 * got, an unknown key lists the keys that are allowed there, an invalid name says the rule.
 */
export function issueLines(
  error: z.ZodError,
  where: (path: PropertyKey[]) => string,
  schema: z.ZodType,
  input: unknown,
): string[] {
  return error.issues.flatMap((issue) => {
    const path = issue.path;
    const at = (message: string, at: PropertyKey[] = path) => `${where(at)}: ${message}`;
    switch (issue.code) {
      case 'unrecognized_keys': {
        const allowed = keysAt(schema, path, input);
        const hint = allowed ? ` (expected one of ${allowed.join(', ')})` : '';
        return issue.keys.map((k) => at(`unknown key${hint}`, [...path, k]));
      }
      case 'invalid_key':
        // A bad record key (a service, port or label name): the key's own rule says what is wrong with it.
        return [at(issue.issues[0]?.message ?? issue.message)];
      case 'invalid_type': {
        if (!issue.message.startsWith('Invalid input')) return [at(issue.message)];
        const value = valueAt(input, path);
        if (value === undefined) return [at('is required')];
        if (value === null && issue.expected === 'object') {
          // `api:` with nothing under it: say what belongs there.
          const required = requiredKeysAt(schema, path, input);
          return [at(`is empty${required?.length ? `: it needs ${required.join(', ')}` : ''}`)];
        }
        return [at(`must be ${typeWords[issue.expected] ?? issue.expected}, got ${describe(value)}`)];
      }
      case 'too_small':
      case 'too_big': {
        if (!/^Too (small|big)/.test(issue.message)) return [at(issue.message)];
        const limit = issue.code === 'too_small' ? issue.minimum : issue.maximum;
        const bound = issue.code === 'too_small' ? 'at least' : 'at most';
        const inclusive = issue.inclusive !== false;
        const unit =
          issue.origin === 'array' || issue.origin === 'set'
            ? ' items'
            : issue.origin === 'string'
              ? ' characters'
              : '';
        if (issue.origin === 'array' || issue.origin === 'string') {
          return [at(`must have ${bound} ${String(limit)}${unit}`)];
        }
        const strict = issue.code === 'too_small' ? 'more than' : 'less than';
        return [at(`must be ${inclusive ? bound : strict} ${String(limit)}`)];
      }
      case 'invalid_value':
        if (!issue.message.startsWith('Invalid')) return [at(issue.message)];
        return [at(`must be one of ${issue.values.map(String).join(', ')}`)];
      default:
        return [at(issue.message)];
    }
  });
}

const typeWords: Record<string, string> = {
  object: 'a mapping',
  record: 'a mapping',
  array: 'a list',
  string: 'a string',
  number: 'a number',
  int: 'a whole number',
  boolean: 'true or false',
};

/** The value as an error line shows it: its kind, and short scalars themselves. */
function describe(value: unknown): string {
  if (value === null) return 'nothing (an empty value)';
  if (Array.isArray(value)) return 'a list';
  if (typeof value === 'object') return 'a mapping';
  if (typeof value === 'string') return value.length <= 40 ? `"${value}"` : 'a string';
  if (typeof value === 'number') return Number.isInteger(value) ? String(value) : `the fraction ${value}`;
  return String(value);
}

function valueAt(input: unknown, path: readonly PropertyKey[]): unknown {
  let value = input;
  for (const part of path) {
    if (typeof value !== 'object' || value === null) return undefined;
    value = (value as Record<PropertyKey, unknown>)[part];
  }
  return value;
}

interface SchemaDef {
  type: string;
  innerType?: z.ZodType;
  in?: z.ZodType;
  shape?: Record<string, z.ZodType>;
  valueType?: z.ZodType;
  element?: z.ZodType;
  options?: z.ZodType[];
  discriminator?: string;
  values?: unknown[];
}

const defOf = (schema: z.ZodType) => (schema as unknown as { def: SchemaDef }).def;

/** Past optional, default, nullable and pipe wrappers; a discriminated union to the option `value` picks. */
function unwrap(schema: z.ZodType | undefined, value: unknown): z.ZodType | undefined {
  let current = schema;
  for (let depth = 0; current && depth < 10; depth++) {
    const def = defOf(current);
    if (def.innerType) current = def.innerType;
    else if (def.type === 'pipe' && def.in) current = def.in;
    else if (def.type === 'union' && def.discriminator && def.options) {
      const tag = valueAt(value, [def.discriminator]);
      current = def.options.find((option) =>
        defOf(defOf(option).shape?.[def.discriminator ?? ''] ?? option).values?.includes(tag),
      );
      if (!current) return undefined;
    } else return current;
  }
  return current;
}

/** The keys the schema allows for the object at `path`, or undefined when that is not a fixed object. */
export function keysAt(
  schema: z.ZodType,
  path: readonly PropertyKey[],
  input: unknown,
): string[] | undefined {
  const shape = shapeAt(schema, path, input);
  return shape ? Object.keys(shape) : undefined;
}

/** The keys the object at `path` cannot do without (neither optional nor defaulted). */
function requiredKeysAt(
  schema: z.ZodType,
  path: readonly PropertyKey[],
  input: unknown,
): string[] | undefined {
  const shape = shapeAt(schema, path, input);
  if (!shape) return undefined;
  return Object.entries(shape)
    .filter(([, field]) => !field.safeParse(undefined).success)
    .map(([key]) => key);
}

function shapeAt(
  schema: z.ZodType,
  path: readonly PropertyKey[],
  input: unknown,
): Record<string, z.ZodType> | undefined {
  let current = unwrap(schema, input);
  let value = input;
  for (const part of path) {
    if (!current) return undefined;
    const def = defOf(current);
    const next =
      def.type === 'object'
        ? def.shape?.[String(part)]
        : def.type === 'record'
          ? def.valueType
          : def.type === 'array'
            ? def.element
            : undefined;
    value = valueAt(value, [part]);
    current = unwrap(next, value);
  }
  return current ? defOf(current).shape : undefined;
}
