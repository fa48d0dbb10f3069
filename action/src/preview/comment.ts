import { codeBlock, escapeMarkdown } from '../markdown';
import type { ChangeSummary, Operation, ResourceChange } from './change-summary';
import { redact } from './redact';

/** GitHub refuses comment bodies longer than this many characters. */
export const commentLimit = 65_536;

export type Outcome =
  | { kind: 'previewed'; summary: ChangeSummary; changeSet: string }
  | { kind: 'failed'; step: string; error: string; diagnostics: readonly string[] };

export interface CommentInput {
  /** What ran: the comment is the stack's latest word, whichever command wrote it. */
  command: 'preview' | 'deploy' | 'drift check';
  project: string;
  stack: string;
  commit: string;
  time: Date;
  outcome: Outcome;
  /** Every secret config value: removed from the body. */
  secrets: readonly string[];
}

const shownOperations: Operation[] = ['create', 'update', 'replace', 'delete', 'import'];
const verbs: Record<Operation, string> = {
  create: 'to create',
  update: 'to update',
  replace: 'to replace',
  delete: 'to delete',
  import: 'to import',
  same: 'unchanged',
  read: 'to read',
  refresh: 'to refresh',
};
const maxPathsPerRow = 12;
const maxDiagnosticLines = 30;

/** The hidden marker that makes the comment sticky: one per project and stack. */
export function commentMarker(project: string, stack: string): string {
  return `<!-- slipway-preview project=${encodeURIComponent(project)} stack=${encodeURIComponent(stack)} -->`;
}

/** One line saying what the preview does: `2 to create, 1 to update (57 unchanged)`. */
export function oneLineSummary(summary: ChangeSummary): string {
  const parts = shownOperations
    .filter((op) => summary.counts[op])
    .map((op) => `${summary.counts[op]} ${verbs[op]}`);
  const same = summary.counts.same ? ` (${summary.counts.same} unchanged)` : '';
  return parts.length > 0 ? `${parts.join(', ')}${same}` : `No changes${same}`;
}

/**
 * Renders the sticky PR comment (or, with a larger limit, the job summary). Only changed resources are
 * listed; when they do not fit, the middle of the table is elided and the comment says so.
 */
export function renderComment(input: CommentInput, limit = commentLimit): string {
  const clean = (text: string) => escapeMarkdown(redact(text, input.secrets));
  const stackName = `${clean(input.project)} / ${clean(input.stack)}`;
  const stamp = `commit ${clean(input.commit.slice(0, 12))} at ${input.time.toISOString().replace(/\.\d+Z$/, 'Z')}`;
  const head = [commentMarker(input.project, input.stack)];
  const { outcome } = input;

  if (outcome.kind === 'failed') {
    const diagnostics = outcome.diagnostics.slice(-maxDiagnosticLines).map((line) => line.slice(0, 500));
    const body = [
      ...head,
      `### Slipway ${input.command} of ${stackName}: failed`,
      '',
      `The **${clean(outcome.step)}** step failed for stack ${stackName} (${stamp}).`,
      '',
      codeBlock(redact(outcome.error, input.secrets).slice(0, 4000)),
    ];
    if (diagnostics.length > 0) {
      body.push(
        '',
        '<details><summary>Last engine diagnostics</summary>',
        '',
        codeBlock(redact(diagnostics.join('\n'), input.secrets)),
        '',
        '</details>',
      );
    }
    return truncate(body.join('\n'), limit);
  }

  const { summary, changeSet } = outcome;
  const top = [
    ...head,
    `### Slipway ${input.command} of ${stackName}: ${oneLineSummary(summary)}`,
    '',
    `${input.command === 'deploy' ? 'Deployed' : 'Previewed'} ${stamp}. Change set \`${changeSet.slice(0, 19)}\`.`,
  ];
  if (!summary.hasChanges)
    return truncate([...top, '', 'No changes: nothing in this stack would be modified.'].join('\n'), limit);

  top.push(
    '',
    '| operation | count |',
    '|---|---:|',
    ...shownOperations.filter((op) => summary.counts[op]).map((op) => `| ${op} | ${summary.counts[op]} |`),
    '',
    `<details><summary>Changed resources (${summary.changes.length})</summary>`,
    '',
    '| operation | type | name | changed properties |',
    '|---|---|---|---|',
  );
  const rows = summary.changes.map((change) => renderRow(change, clean));
  const bottom = ['', '</details>'];
  return [...top, ...fitRows(rows, limit - length(top) - length(bottom) - 2), ...bottom].join('\n');
}

function renderRow(change: ResourceChange, clean: (text: string) => string): string {
  const paths = change.paths.slice(0, maxPathsPerRow).map(clean);
  if (change.paths.length > maxPathsPerRow) paths.push(`and ${change.paths.length - maxPathsPerRow} more`);
  return `| ${change.op} | ${clean(change.type)} | ${clean(change.name)} | ${paths.join(', ') || '—'} |`;
}

/** Keeps the first and last rows that fit in `budget` characters, with a line saying how many were left out. */
function fitRows(rows: readonly string[], budget: number): string[] {
  if (length(rows) <= budget) return [...rows];
  const note = (n: number) =>
    `| … | ${n} more changed resources are left out here to stay under GitHub's ${commentLimit.toLocaleString('en-US')}-character comment limit; the job summary has the full list | | |`;
  const room = budget - note(rows.length).length - 1;
  let used = 0;
  let headCount = 0;
  let tailCount = 0;
  for (let i = 0; headCount + tailCount < rows.length; i++) {
    const fromHead = i % 2 === 0;
    const row = fromHead ? rows[headCount] : rows[rows.length - 1 - tailCount];
    if (row === undefined || used + row.length + 1 > room) break;
    used += row.length + 1;
    if (fromHead) headCount++;
    else tailCount++;
  }
  return [
    ...rows.slice(0, headCount),
    note(rows.length - headCount - tailCount),
    ...rows.slice(rows.length - tailCount),
  ];
}

function length(lines: readonly string[]): number {
  return lines.reduce((sum, line) => sum + line.length + 1, 0);
}

function truncate(text: string, limit: number): string {
  return text.length <= limit ? text : `${text.slice(0, limit - 40)}\n\n… (cut to fit the comment limit)`;
}
