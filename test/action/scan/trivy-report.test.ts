import { readFileSync } from 'node:fs';
import { parseTrivyReport, ReportError } from '../../../action/src/scan/trivy-report';
import { trivyReport } from '../support/run-action';

const read = (name: string) => readFileSync(trivyReport(name), 'utf8');
const countBy = (name: string) =>
  parseTrivyReport(read(name)).reduce<Record<string, number>>((acc, f) => {
    const key = `${f.severity}${f.fixed ? '' : ' unfixed'}`;
    acc[key] = (acc[key] ?? 0) + 1;
    return acc;
  }, {});

test.each([
  ['alpine-310.json', { MEDIUM: 4 }],
  ['alpine-39-high-critical.json', { CRITICAL: 2 }],
  ['alpine-distroless.json', { MEDIUM: 1 }],
  ['debian-buster-ignore-unfixed.json', { CRITICAL: 1 }],
  ['distroless-base.json', { 'MEDIUM unfixed': 2, LOW: 2 }],
  ['fluentd-multiple-lockfiles.json', { CRITICAL: 1, 'LOW unfixed': 1, HIGH: 1 }],
])('%s parses to its findings by severity', (file, expected) => {
  expect(countBy(file)).toEqual(expected);
});

test('each finding keeps the package, the installed and fixed versions and the target', () => {
  const [first] = parseTrivyReport(read('alpine-39-high-critical.json'));
  expect(first).toEqual({
    id: 'CVE-2019-14697',
    severity: 'CRITICAL',
    pkg: 'musl',
    installed: '1.1.20-r4',
    fixed: '1.1.20-r5',
    target: 'testdata/fixtures/images/alpine-39.tar.gz (alpine 3.9.4)',
    title: undefined,
    url: 'https://avd.aquasec.com/nvd/cve-2019-14697',
  });
  const languagePackage = parseTrivyReport(read('fluentd-multiple-lockfiles.json')).find(
    (f) => f.target === 'Ruby',
  );
  expect(languagePackage).toMatchObject({
    pkg: 'activesupport',
    severity: 'HIGH',
    fixed: '6.0.3.1, 5.2.4.3',
  });
});

test.each([
  ['not JSON', '{"SchemaVersion": 2, "Results": [', /not JSON/],
  [
    'an old schema',
    JSON.stringify({ SchemaVersion: 1, Results: [] }),
    /not a schema-2 report: SchemaVersion/,
  ],
  ['a SARIF file', read('alpine-310.sarif.json'), /not a schema-2 report/],
  [
    'a vulnerability without an id',
    JSON.stringify({
      SchemaVersion: 2,
      Results: [{ Target: 'x', Vulnerabilities: [{ PkgName: 'a', Severity: 'HIGH' }] }],
    }),
    /VulnerabilityID/,
  ],
])('a report that is %s is refused (the gate then fails closed)', (_, text, message) => {
  expect(() => parseTrivyReport(text)).toThrow(ReportError);
  expect(() => parseTrivyReport(text)).toThrow(message);
});
