import { kindOrder } from '../diff';
import type { ChangeKind, PlanDiff, StackPlan } from '../model';
import { componentTree, summarize, summaryLine, type ComponentNode } from '../tree';
import { showValue } from './values';

/** The stack as a tree of components, each with its resources counted by type, then a summary line. */
export function stackText(plan: StackPlan): string {
  const lines = [`${plan.project}/${plan.stack}`, ''];
  const root = componentTree(plan.resources);
  for (const child of root.children) lines.push(...componentLines(child, 0));
  if (root.counts.size > 0) lines.push(...countLines(root.counts, 0, '(stack)'));
  const outputs = Object.entries(plan.outputs);
  if (outputs.length > 0) {
    lines.push('', 'Outputs');
    for (const [name, value] of outputs) lines.push(`  ${name}: ${showValue(value, maxValueLength)}`);
  }
  lines.push('', summaryLine(summarize(plan.resources)));
  return `${lines.join('\n')}\n`;
}

function componentLines(node: ComponentNode, depth: number): string[] {
  const indent = '  '.repeat(depth);
  return [
    `${indent}${node.name}  ${node.type}`,
    ...countLines(node.counts, depth + 1),
    ...node.children.flatMap((child) => componentLines(child, depth + 1)),
  ];
}

function countLines(counts: Map<string, number>, depth: number, heading?: string): string[] {
  const indent = '  '.repeat(depth);
  const lines = [...counts.entries()]
    .sort(([a], [b]) => a.localeCompare(b))
    .map(([type, count]) => `${indent}${heading ? '  ' : ''}${String(count).padStart(3)} × ${type}`);
  return heading ? [`${indent}${heading}`, ...lines] : lines;
}

const symbols: Record<ChangeKind, string> = { create: '+', update: '~', replace: '±', delete: '-' };

// Long values (IAM policy documents) are cut in the terminal; json and markdown carry them whole.
const maxValueLength = 160;

/** Each change on one line with its symbol, changed properties indented under it, then the counts. */
export function diffText(diff: PlanDiff): string {
  const lines = [`${diff.project}/${diff.stack} against ${diff.base}`, ...(diff.note ? [diff.note] : []), ''];
  if (diff.changes.length === 0) lines.push('No changes.');
  for (const change of diff.changes) {
    lines.push(`${symbols[change.kind]} ${change.kind.padEnd(7)} ${change.type}  ${change.name}`);
    for (const property of change.properties) {
      const marker = property.forcesReplacement ? '  (forces replacement)' : '';
      lines.push(
        `      ${property.path}: ${showValue(property.old, maxValueLength)} → ${showValue(property.new, maxValueLength)}${marker}`,
      );
    }
  }
  const outputs = diff.outputs ?? [];
  if (outputs.length > 0) lines.push('', 'Stack outputs that change:');
  for (const output of outputs) {
    lines.push(
      `  ~ ${output.path}: ${showValue(output.old, maxValueLength)} → ${showValue(output.new, maxValueLength)}`,
    );
  }
  lines.push('', countsLine(diff));
  return `${lines.join('\n')}\n`;
}

export function countsLine(diff: PlanDiff): string {
  return `Plan: ${kindOrder.map((kind) => `${diff.counts[kind]} to ${kind}`).join(', ')}.`;
}
