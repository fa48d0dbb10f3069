import type { PlanDiff, StackPlan } from '../model';
import { summarize } from '../tree';

/** The stack for machines; `--base` reads this back from the other revision's plan. */
export function stackJson(plan: StackPlan): string {
  return `${JSON.stringify({ ...plan, summary: summarize(plan.resources) }, null, 2)}\n`;
}

export function diffJson(diff: PlanDiff): string {
  return `${JSON.stringify(diff, null, 2)}\n`;
}
