import { kindOrder } from '../diff';
import type { PlanDiff, StackPlan } from '../model';
import { componentTree, summarize, summaryLine, type ComponentNode } from '../tree';
import { countsLine } from './text';
import { showValue } from './values';

/** The stack for a PR comment or plan.md: the summary, then a table of components and their resources. */
export function stackMarkdown(plan: StackPlan): string {
  const rows: string[] = [];
  const root = componentTree(plan.resources);
  const visit = (node: ComponentNode, path: string[]) => {
    const here = [...path, node.name];
    for (const [type, count] of sortedCounts(node)) {
      rows.push(`| ${cell(here.join(' › '))} | \`${type}\` | ${count} |`);
    }
    for (const child of node.children) visit(child, here);
  };
  for (const child of root.children) visit(child, []);
  for (const [type, count] of sortedCounts(root)) rows.push(`| (stack) | \`${type}\` | ${count} |`);
  return [
    `## Offline plan: \`${plan.project}/${plan.stack}\``,
    '',
    `${summaryLine(summarize(plan.resources))}.`,
    '',
    '| component | resource type | count |',
    '| --- | --- | ---: |',
    ...rows,
    '',
    ...outputsDetails(plan.outputs),
  ].join('\n');
}

function outputsDetails(outputs: Record<string, unknown>): string[] {
  const entries = Object.entries(outputs);
  if (entries.length === 0) return [];
  return [
    '<details><summary>Stack outputs</summary>',
    '',
    '| output | value |',
    '| --- | --- |',
    ...entries.map(([name, value]) => `| ${cell(name)} | \`${cell(showValue(value))}\` |`),
    '',
    '</details>',
    '',
  ];
}

/** The changes for a PR comment: counts, a table of changed resources, property values collapsed. */
export function diffMarkdown(diff: PlanDiff): string {
  const lines = [`## Offline plan: \`${diff.project}/${diff.stack}\` against \`${cell(diff.base)}\``, ''];
  if (diff.note) lines.push(diff.note, '');
  lines.push(`**${countsLine(diff)}**`, '');
  if (diff.changes.length === 0) return `${[...lines, 'No changes.', ''].join('\n')}`;
  lines.push(
    '| | operation | resource type | name | changed properties |',
    '| --- | --- | --- | --- | --- |',
  );
  for (const change of diff.changes) {
    const paths = change.properties.map((p) => `\`${cell(p.path)}\`${p.forcesReplacement ? ' ⚠' : ''}`);
    lines.push(
      `| ${icons[change.kind]} | ${change.kind} | \`${change.type}\` | ${cell(change.name)} | ${paths.join(', ')} |`,
    );
  }
  const outputs = diff.outputs ?? [];
  if (outputs.length > 0) {
    lines.push('', `Stack outputs that change: ${outputs.map((o) => `\`${cell(o.path)}\``).join(', ')}`);
  }
  const changed = diff.changes.filter((c) => c.properties.length > 0);
  if (changed.length > 0 || outputs.length > 0) {
    const values = [
      ...changed.flatMap((change) => [
        `${change.kind} ${change.type} ${change.name}`,
        ...change.properties.flatMap((property) => [
          `- ${property.path}: ${showValue(property.old)}`,
          `+ ${property.path}: ${showValue(property.new)}`,
        ]),
      ]),
      ...(outputs.length > 0 ? ['outputs'] : []),
      ...outputs.flatMap((output) => [
        `- ${output.path}: ${showValue(output.old)}`,
        `+ ${output.path}: ${showValue(output.new)}`,
      ]),
    ];
    // A value is the PR author's text: a fence longer than any backtick run in it cannot be closed early.
    const fence = '`'.repeat(Math.max(3, ...values.map(longestBacktickRun).map((run) => run + 1)));
    lines.push('', '<details><summary>Changed values (⚠ forces replacement)</summary>', '', `${fence}diff`);
    lines.push(...values, fence, '', '</details>');
  }
  lines.push('');
  return lines.join('\n');
}

const icons = { create: '🟢', update: '🟡', replace: '🟠', delete: '🔴' } as const satisfies Record<
  (typeof kindOrder)[number],
  string
>;

function sortedCounts(node: ComponentNode): [string, number][] {
  return [...node.counts.entries()].sort(([a], [b]) => a.localeCompare(b));
}

function longestBacktickRun(text: string): number {
  return Math.max(0, ...(text.match(/`+/g) ?? []).map((run) => run.length));
}

/** Table cells cannot hold a pipe or a line break. */
function cell(text: string): string {
  return text.replace(/\|/g, '\\|').replace(/\r?\n/g, ' ');
}
