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
  return error.issues.flatMap((issue) =>
    explain(issue, schema, input).map(([path, message]) => `${where(path)}: ${message}`),
  );
}

type Issue = z.ZodError['issues'][number];

/** One issue as (path, message) pairs: several for unknown keys, the closest form's for a union. */
function explain(issue: Issue, schema: z.ZodType, input: unknown): [PropertyKey[], string][] {
  const path = issue.path;
  const one = (message: string): [PropertyKey[], string][] => [[path, message]];
  switch (issue.code) {
    case 'unrecognized_keys': {
      const allowed = keysAt(schema, path, input);
      const hint = allowed ? ` (expected one of ${allowed.join(', ')})` : '';
      return issue.keys.map((k) => [[...path, k], `unknown key${hint}`]);
    }
    case 'invalid_key':
      // A bad record key (a service, port or label name): the key's own rule says what is wrong with it.
      return one(issue.issues[0]?.message ?? issue.message);
    case 'invalid_type': {
      if (!issue.message.startsWith('Invalid input')) return one(issue.message);
      const value = valueAt(input, path);
      if (value === undefined) return one('is required');
      if (value === null && issue.expected === 'object') {
        // `api:` with nothing under it: say what belongs there.
        const required = requiredKeysAt(schema, path, input);
        return one(`is empty${required?.length ? `: it needs ${required.join(', ')}` : ''}`);
      }
      return one(`must be ${typeWords[issue.expected] ?? issue.expected}, got ${describe(value)}`);
    }
    case 'invalid_union': {
      // A value that may take several forms (a port as a number or a mapping).
      const branches = issue.errors.filter((branch) => branch.length > 0);
      if (!issue.message.startsWith('Invalid input') || branches.length === 0) return one(issue.message);
      const firsts = branches.map((branch) => branch[0]);
      if (firsts.every((first) => first?.code === 'invalid_type' && first.path.length === 0)) {
        const value = valueAt(input, path);
        if (value === undefined) return one('is required');
        const kinds = [
          ...new Set(firsts.map((first) => (first?.code === 'invalid_type' ? first.expected : ''))),
        ].map((kind) => typeWords[kind] ?? kind);
        return one(`must be ${kinds.join(' or ')}, got ${describe(value)}`);
      }
      // Otherwise the form the value came closest to (its first problem deepest in it) says what is wrong.
      const closest = [...branches].sort((a, b) => (b[0]?.path.length ?? 0) - (a[0]?.path.length ?? 0))[0];
      return (closest ?? []).flatMap((sub) =>
        explain({ ...sub, path: [...path, ...sub.path] } as Issue, schema, input),
      );
    }
    case 'too_small':
    case 'too_big': {
      if (!/^Too (small|big)/.test(issue.message)) return one(issue.message);
      const limit = issue.code === 'too_small' ? issue.minimum : issue.maximum;
      const bound = issue.code === 'too_small' ? 'at least' : 'at most';
      if (issue.origin === 'array' || issue.origin === 'set' || issue.origin === 'string') {
        if (issue.code === 'too_small' && Number(limit) === 1) return one('must not be empty');
        const unit = issue.origin === 'string' ? 'characters' : 'items';
        return one(`must have ${bound} ${String(limit)} ${unit}`);
      }
      const strict = issue.code === 'too_small' ? 'more than' : 'less than';
      return one(`must be ${issue.inclusive !== false ? bound : strict} ${String(limit)}`);
    }
    case 'invalid_value':
      if (!issue.message.startsWith('Invalid')) return one(issue.message);
      return one(`must be one of ${issue.values.map(String).join(', ')}`);
    default:
      return one(issue.message);
  }
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
  if (typeof value === 'string') return value.length <= 40 ? JSON.stringify(value) : 'a string';
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
