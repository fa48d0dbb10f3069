import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { parse as parseYaml } from 'yaml';
import { ConfigError, yamlErrorLine } from '../infra/config/errors';

/** The placeholder every secure config value becomes: the offline engine never decrypts anything. */
export const secretPlaceholder = '[secret]';

export interface StackFiles {
  project: string;
  /** Flat Pulumi config, `namespace:key` → value, structured values as JSON text, as the engine passes it. */
  config: Record<string, string>;
  /** Keys whose values were `secure:` in the stack file. */
  secretKeys: string[];
}

/**
 * Reads Pulumi.yaml and Pulumi.<stack>.yaml the way the Pulumi CLI hands them to a program: project
 * defaults first, then the stack's values; a `secure:` value becomes the placeholder.
 */
export function readStackFiles(projectDir: string, stack: string): StackFiles {
  const project = parseFile('Pulumi.yaml', readFileSync(join(projectDir, 'Pulumi.yaml'), 'utf8')) as {
    name: string;
    config?: Record<string, unknown>;
  };
  const stackPath = join(projectDir, `Pulumi.${stack}.yaml`);
  let stackText: string;
  try {
    stackText = readFileSync(stackPath, 'utf8');
  } catch {
    throw new ConfigError([`Pulumi.${stack}.yaml: no such stack file in ${projectDir}`]);
  }
  const stackDoc = (parseFile(`Pulumi.${stack}.yaml`, stackText) ?? {}) as {
    config?: Record<string, unknown>;
  };

  const config: Record<string, string> = {};
  const secretKeys: string[] = [];
  const qualify = (key: string) => (key.includes(':') ? key : `${project.name}:${key}`);
  for (const [key, entry] of Object.entries(project.config ?? {})) {
    const declared = isObject(entry) && ('type' in entry || 'default' in entry || 'value' in entry);
    const value = declared ? (entry.value ?? entry.default) : entry;
    if (value !== undefined) config[qualify(key)] = encode(value);
  }
  for (const [key, value] of Object.entries(stackDoc.config ?? {})) {
    const redacted = redactSecure(value);
    config[qualify(key)] = encode(redacted.value);
    if (redacted.secret) secretKeys.push(qualify(key));
  }
  return { project: project.name, config, secretKeys };
}

/** A file the user edits by hand: a syntax error is their mistake, reported as a line, not a trace. */
function parseFile(file: string, text: string): unknown {
  try {
    return parseYaml(text);
  } catch (error) {
    throw new ConfigError([yamlErrorLine(file, error)]);
  }
}

function isObject(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

function encode(value: unknown): string {
  return typeof value === 'string' ? value : JSON.stringify(value);
}

/** Replaces every `{ secure: … }` (at any depth) with the placeholder and says whether there was one. */
function redactSecure(value: unknown): { value: unknown; secret: boolean } {
  if (isObject(value)) {
    if (Object.keys(value).length === 1 && typeof value.secure === 'string') {
      return { value: secretPlaceholder, secret: true };
    }
    let secret = false;
    const out: Record<string, unknown> = {};
    for (const [k, v] of Object.entries(value)) {
      const inner = redactSecure(v);
      out[k] = inner.value;
      secret ||= inner.secret;
    }
    return { value: out, secret };
  }
  if (Array.isArray(value)) {
    const items = value.map(redactSecure);
    return { value: items.map((i) => i.value), secret: items.some((i) => i.secret) };
  }
  return { value, secret: false };
}
