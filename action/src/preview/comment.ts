import { codeBlock, escapeMarkdown } from '../markdown';
import type { ChangeSummary, Operation, PolicyViolation, ResourceChange } from './change-summary';
import { redact, redactedPrefix } from './redact';

/**
 * GitHub refuses comment and issue bodies longer than this many characters. Budgets are counted in UTF-8
 * bytes, which are never fewer than characters, so a body within budget is within the limit.
 */
export const commentLimit = 65_536;

/**
 * The job summary budget in UTF-8 bytes: GitHub rejects a step's summary over 1 MiB (and the whole report
 * with it). 8 KiB stay free for the lines a command adds around the report.
 */
export const summaryLimit = 1024 * 1024 - 8 * 1024;

export type Outcome =
  | { kind: 'previewed'; summary: ChangeSummary; changeSet: string }
  | {
      kind: 'failed';
      step: string;
      error: string;
      diagnostics: readonly string[];
      policyViolations?: readonly PolicyViolation[];
    };

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
    const diagnostics = outcome.diagnostics
      .slice(-maxDiagnosticLines)
      .map((line) => redactedPrefix(line, input.secrets, 500));
    const body = [
      ...head,
      `### Slipway ${input.command} of ${stackName}: failed`,
      '',
      `The **${clean(outcome.step)}** step failed for stack ${stackName} (${stamp}).`,
      '',
      codeBlock(redactedPrefix(outcome.error, input.secrets, 4000)),
      ...policySection(outcome.policyViolations ?? [], clean),
    ];
    if (diagnostics.length > 0) {
      body.push(
        '',
        '<details><summary>Last engine diagnostics</summary>',
        '',
        codeBlock(diagnostics.join('\n')),
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
  top.push(...policySection(summary.policyViolations, clean));
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
  const fitted = fitRows(rows, limit - length(top) - length(bottom) - 2, limit > commentLimit);
  return truncate([...top, ...fitted, ...bottom].join('\n'), limit);
}

/** What the policy pack found: mandatory ones failed the operation, advisory ones are for the reviewer. */
function policySection(violations: readonly PolicyViolation[], clean: (text: string) => string): string[] {
  if (violations.length === 0) return [];
  const mandatory = violations.filter((v) => v.level === 'mandatory').length;
  return [
    '',
    `**Policy violations: ${mandatory} mandatory, ${violations.length - mandatory} advisory**`,
    '',
    '| level | policy | resource | message |',
    '|---|---|---|---|',
    ...violations.map(
      (v) =>
        `| ${v.level} | ${clean(`${v.pack}/${v.policy}`)} | ${clean(v.resource ?? 'the stack')} | ${clean(v.message)} |`,
    ),
  ];
}

function renderRow(change: ResourceChange, clean: (text: string) => string): string {
  const paths = change.paths.slice(0, maxPathsPerRow).map(clean);
  if (change.paths.length > maxPathsPerRow) paths.push(`and ${change.paths.length - maxPathsPerRow} more`);
  return `| ${change.op} | ${clean(change.type)} | ${clean(change.name)} | ${paths.join(', ') || '—'} |`;
}

/** Keeps the first and last rows that fit in `budget` bytes, with a line saying how many were left out. */
function fitRows(rows: readonly string[], budget: number, isSummary: boolean): string[] {
  if (length(rows) <= budget) return [...rows];
  const note = (n: number) =>
    isSummary
      ? `| … | ${n} more changed resources are left out here to stay under GitHub's 1 MiB job summary limit; the engine's log of this run lists every step | | |`
      : `| … | ${n} more changed resources are left out here to stay under GitHub's ${commentLimit.toLocaleString('en-US')}-character comment limit; the job summary has the full list | | |`;
  const room = budget - bytes(note(rows.length)) - 1;
  let used = 0;
  let headCount = 0;
  let tailCount = 0;
  for (let i = 0; headCount + tailCount < rows.length; i++) {
    const fromHead = i % 2 === 0;
    const row = fromHead ? rows[headCount] : rows[rows.length - 1 - tailCount];
    if (row === undefined || used + bytes(row) + 1 > room) break;
    used += bytes(row) + 1;
    if (fromHead) headCount++;
    else tailCount++;
  }
  return [
    ...rows.slice(0, headCount),
    note(rows.length - headCount - tailCount),
    ...rows.slice(rows.length - tailCount),
  ];
}

/** UTF-8 bytes of lines joined by newlines (with one for the join that follows). */
function length(lines: readonly string[]): number {
  return lines.reduce((sum, line) => sum + bytes(line) + 1, 0);
}

function bytes(text: string): number {
  return Buffer.byteLength(text, 'utf8');
}

function truncate(text: string, limit: number): string {
  const note = '\n\n… (cut to fit the size limit)';
  return bytes(text) <= limit ? text : `${cutToBytes(text, limit - bytes(note))}${note}`;
}

/** The longest prefix of `text` within `max` UTF-8 bytes, never splitting a surrogate pair. */
export function cutToBytes(text: string, max: number): string {
  let end = Math.min(text.length, Math.max(0, max));
  // Each UTF-16 unit is at most 3 bytes, so dropping a third of the excess in units never overshoots much.
  for (let excess = bytes(text.slice(0, end)) - max; excess > 0; excess = bytes(text.slice(0, end)) - max) {
    end -= Math.max(1, Math.floor(excess / 3));
  }
  const last = text.charCodeAt(end - 1);
  return last >= 0xd800 && last <= 0xdbff ? text.slice(0, end - 1) : text.slice(0, end);
}
