import { z } from 'zod';
import { settingsSchema } from './schema';

/**
 * slipway.schema.json: the JSON Schema of slipway.yaml for editor completion and checking (the
 * `yaml-language-server` comment on its first line), generated from the zod schema the loader validates with.
 */
export function settingsJsonSchema(): Record<string, unknown> {
  return {
    ...z.toJSONSchema(settingsSchema, { io: 'input' }),
    title: 'Slipway settings (slipway.yaml)',
  };
}
