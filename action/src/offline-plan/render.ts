import type { OfflinePlan } from './schema';

/** The hidden marker of a stack's offline plan comment (the same as pull-request-comment.yml used). */
/** One sticky comment per project and stack: the platform's and the apps' plans of a stack are two. */
export const offlineMarker = (project: string, stack: string) =>
  `<!-- slipway:offline-plan:${project}/${stack} -->`;

const maxBody = 60_000;
const maxValue = 160;
const symbols = { create: '+', update: '~', replace: '±', delete: '-' } as const;

/**
 * Control characters, and the invisible and direction-changing ones that make text read differently from
 * what it is (CVE-2021-42574, "Trojan Source"), shown as a replacement character.
 */
// eslint-disable-next-line no-control-regex
const unsafe = /[\u0000-\u001f\u007f-\u009f\u200b-\u200f\u2028-\u202e\u2060-\u206f\ufeff]/g;
const clean = (text: string) => text.replace(unsafe, '\ufffd');

function showValue(value: unknown): string {
  if (value === undefined) return '(none)';
  const shown = clean(JSON.stringify(value) ?? String(value));
  return shown.length > maxValue ? `${shown.slice(0, maxValue)}…` : shown;
}

/**
 * The comment for a pull request's offline plan, rendered by the base branch's code from the plan's data.
 * The plan was written by the pull request's own code, so nothing from it is ever Markdown: its strings go
 * only inside one fenced block (no HTML, links, images or mentions render there, and the fence is longer
 * than any backtick run in them); outside it are the stack name, checked against pipeline.yaml, and counts.
 */
export function renderOfflinePlan(
  plan: OfflinePlan,
  { project, stack }: { project: string; stack: string },
): string {
  const counts = { create: 0, update: 0, replace: 0, delete: 0 };
  for (const change of plan.changes) counts[change.kind] += 1;
  const lines: string[] = [
    `project ${clean(plan.project)}, stack ${clean(plan.stack)}, base ${clean(plan.base)}`,
    // Why everything is a create (the stack is new at the base): the plan's words, so inside the fence too.
    ...(plan.note === undefined ? [] : [clean(plan.note)]),
  ];
  for (const change of plan.changes) {
    lines.push(`${symbols[change.kind]} ${change.kind} ${clean(change.type)} ${clean(change.name)}`);
    for (const property of change.properties) {
      lines.push(
        `    ${clean(property.path)}: ${showValue(property.old)} → ${showValue(property.new)}${property.forcesReplacement ? ' (forces replacement)' : ''}`,
      );
    }
  }
  const head = [
    offlineMarker(project, stack),
    `## Offline plan: \`${project} / ${stack}\` (unverified)`,
    '',
    "> **Unverified offline plan of the pull request's code.** The pull request's own code rendered it, with no",
    '> cloud credentials, on a runner it controls: it may be wrong or incomplete, and says only what that code',
    '> said. Only the preview against AWS before the gated deploy shows what would really change.',
    '',
    plan.changes.length === 0
      ? 'The plan reports no changes.'
      : `The plan reports ${(Object.keys(counts) as (keyof typeof counts)[])
          .filter((kind) => counts[kind] > 0)
          .map((kind) => `${counts[kind]} to ${kind}`)
          .join(', ')}.`,
    '',
  ].join('\n');
  const budget = maxBody - head.length - 200;
  const shown: string[] = [];
  let size = 0;
  for (const line of lines) {
    if (size + line.length + 1 > budget) {
      shown.push(`… ${lines.length - shown.length} more lines not shown (the comment limit)`);
      break;
    }
    shown.push(line);
    size += line.length + 1;
  }
  const body = shown.join('\n');
  const fence = '`'.repeat(Math.max(3, ...[...body.matchAll(/`+/g)].map((m) => m[0].length + 1)));
  return `${head}${fence}diff\n${body}\n${fence}\n`;
}
