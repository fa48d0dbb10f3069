import { z } from 'zod';

/**
 * CronJob schedules as the Kubernetes controller parses them (robfig/cron's standard parser): five
 * fields, each `*`, a value, a range `a-b`, any of those with a step `/n`, or a comma list of them;
 * month and weekday names; or one of the `@` shorthands. Checked here so a typo fails the plan, not
 * the apply.
 */
const fields = [
  { name: 'minute', min: 0, max: 59 },
  { name: 'hour', min: 0, max: 23 },
  { name: 'day of month', min: 1, max: 31 },
  { name: 'month', min: 1, max: 12, names: 'jan feb mar apr may jun jul aug sep oct nov dec' },
  { name: 'day of week', min: 0, max: 7, names: 'sun mon tue wed thu fri sat' },
] as const;

const shorthands = ['@yearly', '@annually', '@monthly', '@weekly', '@daily', '@midnight', '@hourly'];

function fieldValue(text: string, field: (typeof fields)[number]): number | undefined {
  if (/^\d+$/.test(text)) return Number(text);
  const names = 'names' in field ? field.names.split(' ') : [];
  const index = names.indexOf(text.toLowerCase());
  if (index < 0) return undefined;
  return field.name === 'month' ? index + 1 : index;
}

/** Why a schedule is invalid, or undefined when the controller would accept it. */
export function cronProblem(schedule: string): string | undefined {
  const text = schedule.trim();
  if (text.startsWith('@')) {
    return shorthands.includes(text) ? undefined : `"${text}" is not one of ${shorthands.join(', ')}`;
  }
  const parts = text.split(/\s+/);
  if (parts.length !== fields.length) {
    return `"${text}" has ${parts.length} fields; a schedule has 5 (minute hour day-of-month month day-of-week)`;
  }
  for (const [index, part] of parts.entries()) {
    const field = fields[index] as (typeof fields)[number];
    for (const item of (part as string).split(',')) {
      const [range, step, extra] = item.split('/');
      const bad = `"${item}" is not a valid ${field.name} (${field.min}-${field.max})`;
      if (extra !== undefined || range === undefined || range === '') return bad;
      if (step !== undefined && !(/^\d+$/.test(step) && Number(step) > 0)) return bad;
      if (range === '*' || range === '?') continue;
      const bounds = range.split('-');
      if (bounds.length > 2) return bad;
      const values = bounds.map((bound) => fieldValue(bound, field));
      if (values.some((v) => v === undefined || v < field.min || v > field.max)) return bad;
      const [low, high] = values as number[];
      if (high !== undefined && (low as number) > high) return bad;
    }
  }
  return undefined;
}

export const cronSchedule = z.string().superRefine((schedule, context) => {
  const problem = cronProblem(schedule);
  if (problem) context.addIssue({ code: 'custom', message: `${problem}` });
});
