/**
 * The config reference in docs/reference/, rendered from the JSON Schemas of json-schemas.ts (so from the
 * zod schemas the program validates with) and the per-tier defaults. Pure: text in, text out.
 */

type JsonSchema = Record<string, unknown>;

/** One documented key: where it sits, what it takes, what it says. */
export interface KeyReference {
  path: string;
  type: string;
  required: boolean;
  allowed?: string;
  description?: string;
}

/** Every key under `schema`, depth first, objects and list items opened, maps shown as `<name>`. */
export function keysOf(schema: JsonSchema, path: string, required = false): KeyReference[] {
  const here: KeyReference = { path, type: typeOf(schema), required, ...allowedOf(schema) };
  if (typeof schema.description === 'string') here.description = schema.description;
  const children = childrenOf(schema, path);
  return [here, ...children];
}

function childrenOf(schema: JsonSchema, path: string): KeyReference[] {
  const properties = schema.properties as Record<string, JsonSchema> | undefined;
  if (properties) {
    const required = new Set((schema.required as string[] | undefined) ?? []);
    return Object.entries(properties).flatMap(([key, child]) =>
      keysOf(child, `${path}.${key}`, required.has(key)),
    );
  }
  if (schema.type === 'array' && isObjectSchema(schema.items)) return childrenOf(schema.items, `${path}[]`);
  if (isObjectSchema(schema.additionalProperties))
    return childrenOf(schema.additionalProperties, `${path}.<name>`);
  return [];
}

const isObjectSchema = (value: unknown): value is JsonSchema =>
  typeof value === 'object' && value !== null && (value as JsonSchema).type === 'object';

function typeOf(schema: JsonSchema): string {
  if (Array.isArray(schema.enum)) return 'string';
  if (schema.type === 'array') return `list of ${typeOf((schema.items as JsonSchema | undefined) ?? {})}`;
  if (schema.type === 'object') {
    return isValueMap(schema) ? `map of ${typeOf(schema.additionalProperties as JsonSchema)}` : 'object';
  }
  if (Array.isArray(schema.anyOf)) return (schema.anyOf as JsonSchema[]).map(typeOf).join(' or ');
  return typeof schema.type === 'string' ? schema.type : 'any';
}

const isValueMap = (schema: JsonSchema) =>
  !schema.properties && typeof schema.additionalProperties === 'object';

// zod writes unbounded integers as ± Number.MAX_SAFE_INTEGER: no bound worth printing.
const bounded = (value: unknown): value is number =>
  typeof value === 'number' && Math.abs(value) < Number.MAX_SAFE_INTEGER;

function allowedOf(schema: JsonSchema): { allowed?: string } {
  const target = schema.type === 'array' ? ((schema.items as JsonSchema | undefined) ?? {}) : schema;
  const parts: string[] = [];
  if (Array.isArray(target.enum))
    parts.push(`one of ${target.enum.map((v) => `\`${String(v)}\``).join(', ')}`);
  if (target.format === 'cidrv4') parts.push('an IPv4 CIDR block');
  else if (typeof target.pattern === 'string') parts.push(`matching \`${target.pattern}\``);
  const low = bounded(target.minimum)
    ? target.minimum
    : bounded(target.exclusiveMinimum)
      ? target.exclusiveMinimum + 1
      : undefined;
  const high = bounded(target.maximum) ? target.maximum : undefined;
  if (low !== undefined && high !== undefined) parts.push(`${low} to ${high}`);
  else if (low !== undefined) parts.push(`at least ${low}`);
  else if (high !== undefined) parts.push(`at most ${high}`);
  if (typeof target.minLength === 'number' && target.minLength > 0) parts.push('not empty');
  if (schema.type === 'array' && typeof schema.minItems === 'number')
    parts.push(`at least ${schema.minItems} item(s)`);
  if (isValueMap(schema)) {
    const names = schema.propertyNames as JsonSchema | undefined;
    if (typeof names?.pattern === 'string') parts.push(`names matching \`${names.pattern}\``);
  }
  return parts.length > 0 ? { allowed: parts.join('; ') } : {};
}

/**
 * The value at a dotted path of a nested object, or the first one found: a list (`nodeGroups[].name`) is
 * read item by item, a map segment (`<name>`, as the reference spells a map's keys) entry by entry.
 */
export function valueAt(root: unknown, path: string): unknown {
  return valueAtParts(root, path.split('.'));
}

function valueAtParts(value: unknown, parts: string[]): unknown {
  const [part, ...rest] = parts;
  if (part === undefined) return value;
  if (typeof value !== 'object' || value === null) return undefined;
  const [key = '', list] = part.split('[]');
  const children = key === '<name>' ? Object.values(value) : [(value as Record<string, unknown>)[key]];
  for (const child of children) {
    const candidates = list === undefined ? [child] : Array.isArray(child) ? child : [];
    for (const candidate of candidates) {
      const found = valueAtParts(candidate, rest);
      if (found !== undefined) return found;
    }
  }
  return undefined;
}

/** A value as the YAML a user would write, inline. */
export function inlineValue(value: unknown): string {
  if (typeof value === 'string') return value === '' ? "''" : value;
  return JSON.stringify(value)
    .replace(/"([^"]+)":/g, '$1: ')
    .replace(/,/g, ', ');
}

/** Whether a key holds structure (an object or a list of objects) rather than a value worth quoting. */
export const isStructure = (key: KeyReference) => /^(object|list of object|map of object)$/.test(key.type);

/**
 * One key as a Markdown list item: name, type, required, allowed values, description, then its defaults per
 * tier and an example value; wrapped at the docs' 120 columns.
 */
export function renderKey(
  key: KeyReference,
  extras: { defaults?: [string, unknown][]; example?: unknown },
): string {
  const facts = [`${key.type}, ${key.required ? 'required' : 'optional'}`];
  if (key.allowed) facts.push(key.allowed);
  const sentences = [
    `\`${key.path}\` (${facts.join('; ')})${key.description ? `: ${key.description}` : ''}.`,
  ];
  if (!isStructure(key)) {
    const defaults = (extras.defaults ?? []).filter(([, value]) => value !== undefined);
    if (defaults.length > 0) {
      const perTier = defaults.map(([tier, value]) => `${tier} \`${inlineValue(value)}\``);
      sentences.push(`Default: ${perTier.join(', ')}.`);
    }
    if (extras.example !== undefined) sentences.push(`Example: \`${inlineValue(extras.example)}\`.`);
  }
  return wrap(sentences.join(' '), '- ', '  ');
}

/** Greedy word wrap at 118 columns; a word longer than a line stands alone on its line. */
export function wrap(text: string, first: string, rest: string, width = 118): string {
  const lines: string[] = [];
  let line = first;
  let prefix = first;
  for (const word of text.split(' ')) {
    if (line.length > prefix.length && line.length + 1 + word.length > width) {
      lines.push(line);
      prefix = rest;
      line = rest + word;
    } else {
      line += line.length > prefix.length ? ` ${word}` : word;
    }
  }
  lines.push(line);
  return lines.join('\n');
}
