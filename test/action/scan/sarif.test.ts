import { readFileSync } from 'node:fs';
import { toSarif } from '../../../action/src/scan/sarif';
import { renderScanSummary } from '../../../action/src/scan/summary';
import { evaluateGate, gateFor } from '../../../action/src/scan/gate';
import { parseTrivyReport } from '../../../action/src/scan/trivy-report';
import { trivyReport } from '../support/run-action';

interface SarifRun {
  tool: { driver: { name: string; rules: { id: string }[] } };
  results: {
    ruleId: string;
    ruleIndex: number;
    level: string;
    locations: { physicalLocation: { artifactLocation: { uri: string } } }[];
  }[];
}

test('SARIF for alpine 3.10 has the rules and results Trivy itself writes for the same image', () => {
  const findings = parseTrivyReport(readFileSync(trivyReport('alpine-310.json'), 'utf8'));
  const ours = toSarif(findings.map((finding) => ({ service: 'web', finding }))) as {
    version: string;
    runs: SarifRun[];
  };
  const trivys = JSON.parse(readFileSync(trivyReport('alpine-310.sarif.json'), 'utf8')) as {
    runs: SarifRun[];
  };
  const run = ours.runs[0] as SarifRun;
  const reference = trivys.runs[0] as SarifRun;
  expect(ours.version).toBe('2.1.0');
  expect(run.tool.driver.rules.map((r) => r.id).sort()).toEqual(
    reference.tool.driver.rules.map((r) => r.id).sort(),
  );
  expect(run.results.map((r) => [r.ruleId, r.level]).sort()).toEqual(
    reference.results.map((r) => [r.ruleId, r.level]).sort(),
  );
  for (const result of run.results) expect(run.tool.driver.rules[result.ruleIndex]?.id).toBe(result.ruleId);
});

test('the job summary counts by severity and lists the worst findings first with their fixes', () => {
  const scans = ['alpine-310.json', 'alpine-39-high-critical.json'].map((file, i) => {
    const findings = parseTrivyReport(readFileSync(trivyReport(file), 'utf8'));
    return {
      service: ['web', 'api'][i] as string,
      image: 'x',
      findings,
      gate: evaluateGate(findings, gateFor(undefined), '2026-11-24'),
    };
  });
  const summary = renderScanSummary(scans, 'prod', [], 3);
  expect(summary).toContain('## Image scan (prod): FAILED');
  expect(summary).toContain('| web | passed | 0 | 0 | 4 | 0 | 0 |');
  expect(summary).toContain('| api | failed (2 blocking) | 2 | 0 | 0 | 0 | 0 |');
  const rows = summary.split('\n').filter((l) => /^\| (CRITICAL|MEDIUM) \|/.test(l));
  expect(rows.map((r) => r.split(' | ')[0])).toEqual(['| CRITICAL', '| CRITICAL', '| MEDIUM']);
  expect(rows[0]).toBe('| CRITICAL | CVE-2019-14697 | api | musl | 1.1.20-r4 | 1.1.20-r5 |');
});

test('a scanner failure makes the summary say FAILED even when every scanned image passed, its text escaped', () => {
  const findings = parseTrivyReport(readFileSync(trivyReport('alpine-310.json'), 'utf8'));
  const scans = [
    { service: 'web', image: 'x', findings, gate: evaluateGate(findings, gateFor(undefined), '2026-11-24') },
  ];
  expect(renderScanSummary(scans, 'dev')).toContain('## Image scan (dev): passed');
  const summary = renderScanSummary(scans, 'dev', ['worker: trivy exited with 1: <img src=x> [x](y)']);
  expect(summary).toContain('## Image scan (dev): FAILED');
  expect(summary).toContain('### Scanner failures (the gate fails closed)');
  expect(summary).toContain('- worker: trivy exited with 1: &lt;img src=x&gt; \\[x\\]\\(y\\)');
});
