import { escapeMarkdown } from '../markdown';
import { severities, type Severity } from '../pipeline/schema';
import type { GateResult } from './gate';
import type { Finding } from './trivy-report';

export interface ServiceScan {
  service: string;
  image: string;
  gate: GateResult;
  findings: Finding[];
}

const severityRank: Record<Severity, number> = { CRITICAL: 0, HIGH: 1, MEDIUM: 2, LOW: 3, UNKNOWN: 4 };

/**
 * The job-summary report: counts by severity per service, then the worst findings with their fixes.
 * `scannerFailures` (`service: error`) fail the scan closed, so the heading says FAILED whenever there is one,
 * even when every image that could be scanned passed.
 */
export function renderScanSummary(
  scans: readonly ServiceScan[],
  environment: string,
  scannerFailures: readonly string[] = [],
  worstLimit = 20,
): string {
  const passed = scannerFailures.length === 0 && scans.every((s) => s.gate.passed);
  const lines = [
    `## Image scan (${escapeMarkdown(environment)}): ${passed ? 'passed' : 'FAILED'}`,
    '',
    `| service | gate | ${severities.join(' | ')} |`,
    `|---|---|${severities.map(() => '---:').join('|')}|`,
    ...scans.map(
      (s) =>
        `| ${escapeMarkdown(s.service)} | ${s.gate.passed ? 'passed' : `failed (${s.gate.blocking.length} blocking)`} | ${severities.map((sev) => s.gate.counts[sev]).join(' | ')} |`,
    ),
  ];
  if (scannerFailures.length > 0) {
    lines.push(
      '',
      '### Scanner failures (the gate fails closed)',
      '',
      ...scannerFailures.map((failure) => `- ${escapeMarkdown(failure)}`),
    );
  }
  const expired = scans.flatMap((s) => s.gate.expired);
  if (expired.length > 0)
    lines.push('', `Expired allowlist entries (blocking again): ${expired.map(escapeMarkdown).join(', ')}`);
  const worst = scans
    .flatMap((s) => s.findings.map((f) => ({ service: s.service, f })))
    .sort((a, b) => severityRank[a.f.severity] - severityRank[b.f.severity] || a.f.id.localeCompare(b.f.id))
    .slice(0, worstLimit);
  if (worst.length > 0) {
    lines.push(
      '',
      `### Worst findings`,
      '',
      '| severity | id | service | package | installed | fixed in |',
      '|---|---|---|---|---|---|',
      ...worst.map(
        ({ service, f }) =>
          `| ${f.severity} | ${escapeMarkdown(f.id)} | ${escapeMarkdown(service)} | ${escapeMarkdown(f.pkg)} | ${escapeMarkdown(f.installed)} | ${f.fixed ? escapeMarkdown(f.fixed) : 'no fix'} |`,
      ),
    );
  }
  return lines.join('\n') + '\n';
}
