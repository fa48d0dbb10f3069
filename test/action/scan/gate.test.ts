import { readFileSync } from 'node:fs';
import { combineGates, evaluateGate, gateFor } from '../../../action/src/scan/gate';
import { parseTrivyReport } from '../../../action/src/scan/trivy-report';
import { gatedStack } from '../../../action/src/pipeline/stacks';
import { trivyReport } from '../support/run-action';

const findings = (name: string) => parseTrivyReport(readFileSync(trivyReport(name), 'utf8'));
const env = {
  stack: 'x',
  region: 'eu-west-1',
  role: 'arn:aws:iam::123456789012:role/r',
  platformRole: 'arn:aws:iam::123456789012:role/p',
  account: '123456789012',
};
const devGate = gateFor({ ...env, approval: false });
const prodGate = gateFor({ ...env, approval: true });
const today = '2026-11-24';

test('without a scan block, dev-like environments fail on fixable CRITICAL and approval environments also on HIGH', () => {
  expect(devGate).toEqual({ failOn: ['CRITICAL'], fixableOnly: true, allow: [] });
  expect(prodGate.failOn).toEqual(['CRITICAL', 'HIGH']);
  expect(gateFor(undefined).failOn).toEqual(['CRITICAL', 'HIGH']);
});

test("without a scan block, an environment deploying a stack another environment gates gets prod's gate", () => {
  // Seed 004: release-* deploys prod on merge, hotfix/* the same stack behind approval.
  const environments = { prod: { approval: false }, 'prod-hotfix': { stack: 'prod', approval: true } };
  expect(gatedStack(environments, 'prod')).toBe(true);
  expect(gateFor({ ...env, approval: false }, gatedStack(environments, 'prod')).failOn).toEqual([
    'CRITICAL',
    'HIGH',
  ]);
  expect(gatedStack({ ...environments, dev: { approval: false } }, 'dev')).toBe(false);
});

test('fluentd: CRITICAL fails both gates, the fixable HIGH only blocks prod, the unfixed LOW never blocks', () => {
  const dev = evaluateGate(findings('fluentd-multiple-lockfiles.json'), devGate, today);
  expect(dev.passed).toBe(false);
  expect(dev.blocking.map((f) => f.id)).toEqual(['CVE-2019-18224']);
  expect(dev.counts).toEqual({ CRITICAL: 1, HIGH: 1, MEDIUM: 0, LOW: 1, UNKNOWN: 0 });
  const prod = evaluateGate(findings('fluentd-multiple-lockfiles.json'), prodGate, today);
  expect(prod.blocking.map((f) => f.id)).toEqual(['CVE-2019-18224', 'CVE-2020-8165']);
});

test('MEDIUM-only and unfixed-only images pass every default gate', () => {
  for (const file of ['alpine-310.json', 'distroless-base.json', 'alpine-distroless.json']) {
    expect(evaluateGate(findings(file), prodGate, today).passed).toBe(true);
  }
});

test('an unfixable finding blocks only when the gate counts unfixed findings too', () => {
  const strict = { failOn: ['MEDIUM' as const], fixableOnly: false, allow: [] };
  expect(evaluateGate(findings('distroless-base.json'), strict, today).blocking).toHaveLength(2);
  expect(evaluateGate(findings('distroless-base.json'), { ...strict, fixableOnly: true }, today).passed).toBe(
    true,
  );
});

test('an allowlisted CVE passes until its expiry date (inclusive), then blocks again and is named', () => {
  const allow = [
    { id: 'CVE-2019-14697', expires: '2026-11-24', reason: 'musl fix ships with the next base image' },
  ];
  const gate = { ...devGate, allow };
  const allowed = evaluateGate(findings('alpine-39-high-critical.json'), gate, '2026-11-24');
  expect(allowed.passed).toBe(true);
  expect(allowed.allowed).toHaveLength(2);
  const expired = evaluateGate(findings('alpine-39-high-critical.json'), gate, '2026-11-25');
  expect(expired.passed).toBe(false);
  expect(expired.expired).toEqual(['CVE-2019-14697 (expired 2026-11-24)']);
});

test("several environments' gates over one image pass only when each passes, blocking on the union", () => {
  const found = findings('fluentd-multiple-lockfiles.json');
  const allowHigh = {
    ...prodGate,
    allow: [{ id: 'CVE-2020-8165', expires: '2027-01-31', reason: 'no use' }],
  };
  const combined = combineGates([evaluateGate(found, devGate, today), evaluateGate(found, prodGate, today)]);
  expect(combined.passed).toBe(false);
  expect(combined.blocking.map((f) => f.id)).toEqual(['CVE-2019-18224', 'CVE-2020-8165']);
  expect(combined.counts).toEqual({ CRITICAL: 1, HIGH: 1, MEDIUM: 0, LOW: 1, UNKNOWN: 0 });
  const devOnlyPasses = combineGates([
    evaluateGate(findings('alpine-310.json'), devGate, today),
    evaluateGate(found, allowHigh, today),
  ]);
  expect(devOnlyPasses.passed).toBe(false);
  expect(devOnlyPasses.blocking.map((f) => f.id)).toEqual(['CVE-2019-18224']);
  expect(() => combineGates([])).toThrow('no gate results');
});
