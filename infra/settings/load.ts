import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { parse as parseYaml } from 'yaml';
import type { z } from 'zod';
import { ConfigError, keyPath } from '../config/errors';
import { settingsFile, settingsSchema, type Settings } from './schema';

/**
 * Parses and validates slipway.yaml. Every problem is one line naming the file and the key; nothing
 * partial comes back.
 */
export function loadSettings(text: string, file: string = settingsFile): Settings {
  let data: unknown;
  try {
    data = parseYaml(text);
  } catch (error) {
    throw new ConfigError([`${file}: not valid YAML: ${(error as Error).message.split('\n')[0]}`]);
  }
  const parsed = settingsSchema.safeParse(data ?? {});
  if (!parsed.success) throw new ConfigError(describeIssues(parsed.error, file));
  return parsed.data;
}

/** slipway.yaml at the repository root; a missing file is one line saying what to do. */
export function readSettings(root: string): Settings {
  let text: string;
  try {
    text = readFileSync(join(root, settingsFile), 'utf8');
  } catch {
    throw new ConfigError([
      `${settingsFile}: not found in ${root}: every Slipway repository has one (see docs/settings.md)`,
    ]);
  }
  return loadSettings(text);
}

function describeIssues(error: z.ZodError, file: string): string[] {
  return error.issues.flatMap((issue) => {
    if (issue.code === 'unrecognized_keys') {
      return issue.keys.map((key) => `${file}: ${keyPath('', [...issue.path, key])}: unknown key`);
    }
    // A bad record key (an environment name) carries the key schema's own message one level down.
    const message =
      issue.code === 'invalid_key' ? (issue.issues[0]?.message ?? issue.message) : issue.message;
    return [`${file}: ${keyPath('', issue.path) || '(root)'}: ${message}`];
  });
}
