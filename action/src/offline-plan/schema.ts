import { z } from 'zod';

/**
 * The offline plan's diff (`npm run plan -- --base <sha> --format json`, plan/model.ts PlanDiff) as the
 * privileged comment job accepts it. Everything in it was written by a pull request's own code, so every
 * field is bounded: a plan too large or of the wrong shape is refused, never half-read.
 */
const text = (max: number) => z.string().max(max, `longer than ${max} characters`);

export const maxPlanBytes = 2_000_000;

export const offlinePlanSchema = z.object({
  project: text(128),
  stack: text(256),
  base: text(256),
  note: text(512).optional(),
  changes: z
    .array(
      z.object({
        kind: z.enum(['create', 'update', 'replace', 'delete']),
        type: text(512),
        name: text(1024),
        properties: z
          .array(
            z.object({
              path: text(1024),
              old: z.unknown().optional(),
              new: z.unknown().optional(),
              forcesReplacement: z.boolean(),
            }),
          )
          .max(2000, 'more than 2000 changed properties'),
      }),
    )
    .max(20_000, 'more than 20000 changed resources'),
});

export type OfflinePlan = z.infer<typeof offlinePlanSchema>;

/** Parses an offline plan file's text; one line naming the file and the first bad field otherwise. */
export function parseOfflinePlan(text: string, file: string): OfflinePlan {
  if (Buffer.byteLength(text) > maxPlanBytes) throw new Error(`${file}: larger than ${maxPlanBytes} bytes`);
  let data: unknown;
  try {
    data = JSON.parse(text);
  } catch {
    throw new Error(`${file}: not JSON`);
  }
  const parsed = offlinePlanSchema.safeParse(data);
  if (!parsed.success) {
    const issue = parsed.error.issues[0];
    const path = issue?.path.map(String).join('.') || '(root)';
    throw new Error(`${file}: ${path}: ${issue?.message ?? 'invalid'}`);
  }
  return parsed.data;
}
