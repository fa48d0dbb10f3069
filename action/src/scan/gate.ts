import { severities, type PipelineEnvironment, type ScanGate, type Severity } from '../pipeline/schema';
import type { Finding } from './trivy-report';

export type SeverityCounts = Record<Severity, number>;

export interface GateResult {
  passed: boolean;
  counts: SeverityCounts;
  /** Findings that fail the gate. */
  blocking: Finding[];
  /** Findings that would block but are allowlisted and not yet expired. */
  allowed: Finding[];
  /** Allowlist entries past their expiry date that matched a finding (they block again). */
  expired: string[];
}

/**
 * Without a `scan` block: environments of a gated stack (prod, also where one of its environments deploys
 * without approval) fail on CRITICAL and HIGH, others on CRITICAL.
 */
export function gateFor(
  environment: PipelineEnvironment | undefined,
  stackGated: boolean = environment?.approval ?? true,
): ScanGate {
  if (environment?.scan) return environment.scan;
  const failOn: Severity[] = environment && !stackGated ? ['CRITICAL'] : ['CRITICAL', 'HIGH'];
  return { failOn, fixableOnly: true, allow: [] };
}

/** Decides the scan gate. `today` is an ISO date (YYYY-MM-DD); an entry expiring today still counts. */
export function evaluateGate(findings: readonly Finding[], gate: ScanGate, today: string): GateResult {
  const counts = Object.fromEntries(severities.map((s) => [s, 0])) as SeverityCounts;
  const blocking: Finding[] = [];
  const allowed: Finding[] = [];
  const expired = new Set<string>();
  for (const finding of findings) {
    counts[finding.severity] += 1;
    const relevant =
      gate.failOn.includes(finding.severity) && (!gate.fixableOnly || finding.fixed !== undefined);
    if (!relevant) continue;
    const entry = gate.allow.find((a) => a.id === finding.id);
    if (entry && entry.expires >= today) allowed.push(finding);
    else {
      if (entry) expired.add(`${entry.id} (expired ${entry.expires})`);
      blocking.push(finding);
    }
  }
  return { passed: blocking.length === 0, counts, blocking, allowed, expired: [...expired] };
}

/**
 * One verdict for several environments' gates over the same findings (a push that reaches dev and prod
 * must pass both): it passes only when every gate passes, and blocks on what any of them blocks.
 */
export function combineGates(results: readonly GateResult[]): GateResult {
  const [first] = results;
  if (!first) throw new Error('combineGates: no gate results');
  const unique = (findings: Finding[]) => [
    ...new Map(findings.map((f) => [`${f.id}\0${f.pkg}\0${f.installed}`, f])).values(),
  ];
  const blocking = unique(results.flatMap((r) => r.blocking));
  const blockingKeys = new Set(blocking.map((f) => `${f.id}\0${f.pkg}\0${f.installed}`));
  return {
    passed: results.every((r) => r.passed),
    counts: first.counts,
    blocking,
    allowed: unique(results.flatMap((r) => r.allowed)).filter(
      (f) => !blockingKeys.has(`${f.id}\0${f.pkg}\0${f.installed}`),
    ),
    expired: [...new Set(results.flatMap((r) => r.expired))],
  };
}
