import type { EngineEvent, OpType } from '@pulumi/pulumi/automation';
import { folded, type ChangeSummary, type Operation } from './change-summary';

/**
 * Steps the engine takes while replacing a resource: its summary counts the logical `replace` once, and
 * so does the change summary (one row per resource), so these never enter the comparison.
 */
const replacementPhases = new Set<OpType>([
  'create-replacement',
  'delete-replaced',
  'discard-replaced',
  'import-replacement',
  'read-replacement',
]);

/** Operations the engine may count differently from the per-resource summary (a refresh, a read). */
const uncompared = new Set<Operation>(['read', 'refresh']);

/**
 * Why the engine's event stream cannot be trusted as complete, or undefined when it can. The engine ends
 * every successful operation with a summary event counting its steps; a stream without one was cut, a line
 * the SDK could not parse is an event lost, and counts that differ from the summary mean events went
 * missing on the way (the file-tailing SDK of CLIs up to 3.205 drops some under load). A report, a change
 * set digest or an approval built on such a stream would describe a plan the engine did not make.
 */
export function streamIncompleteness(
  events: readonly EngineEvent[],
  summary: Pick<ChangeSummary, 'counts'>,
  parseFailures: number,
): string | undefined {
  if (parseFailures > 0) {
    return `${parseFailures} engine event line(s) could not be parsed, so the report would be missing what they said`;
  }
  const summaryEvent = events.find((event) => event.summaryEvent)?.summaryEvent;
  if (!summaryEvent) {
    return 'the engine event stream ended without its summary event (cut short), so the report may be partial';
  }
  const reported: Partial<Record<Operation, number>> = {};
  for (const [op, count] of Object.entries(summaryEvent.resourceChanges ?? {})) {
    const operation = folded[op as OpType];
    if (operation === undefined || replacementPhases.has(op as OpType) || !count) continue;
    reported[operation] = (reported[operation] ?? 0) + count;
  }
  const operations = new Set([...Object.keys(reported), ...Object.keys(summary.counts)] as Operation[]);
  const differences = [...operations]
    .filter((op) => !uncompared.has(op))
    .sort()
    .filter((op) => (reported[op] ?? 0) !== (summary.counts[op] ?? 0))
    .map((op) => `${op} ${summary.counts[op] ?? 0} of ${reported[op] ?? 0}`);
  if (differences.length > 0) {
    return `the engine's summary counts differ from the events received (${differences.join(', ')}), so events were lost`;
  }
  return undefined;
}

/** The first CLI version whose events reach the SDK over gRPC rather than through a polled file. */
export const grpcEventsVersion = '3.206.0';

/** Whether a CLI version (`3.200.0`, `v3.200.0`) still streams events through a file the SDK polls. */
export function tailsEventFile(version: string): boolean {
  const parse = (v: string) => (/^v?(\d+)\.(\d+)\.(\d+)/.exec(v) ?? []).slice(1).map(Number);
  const [major = 0, minor = 0, patch = 0] = parse(version);
  const [wantMajor = 0, wantMinor = 0, wantPatch = 0] = parse(grpcEventsVersion);
  if (major !== wantMajor) return major < wantMajor;
  if (minor !== wantMinor) return minor < wantMinor;
  return patch < wantPatch;
}
