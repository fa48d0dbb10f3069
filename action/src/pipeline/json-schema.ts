import { z } from 'zod';
import { pipelineSchema } from './schema';

/** The JSON Schema of pipeline.yaml for editor completion, generated from the schema the action validates with. */
export function pipelineJsonSchema(): object {
  return { ...z.toJSONSchema(pipelineSchema, { io: 'input' }), title: 'Slipway pipeline.yaml' };
}
