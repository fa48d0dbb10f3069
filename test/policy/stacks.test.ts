import { renderEnvironment, stacks } from '../support/render';
import {
  candidatesOf,
  checkResource,
  checkStack,
  resourcePolicies,
  stackPolicies,
  type Candidate,
  type Violation,
} from './run-policies';

// No Kubernetes Secret is declared anywhere (secrets come through ExternalSecrets), only prod has a
// production database, and the sample declares no cache, broker, document store or queue (the shop
// catalog does: test/policy/aws/data-services.test.ts).
const dataServiceRules = [
  'elasticache-encrypted',
  'elasticache-access-control',
  'elasticache-production-protected',
  'mq-not-publicly-accessible',
  'docdb-storage-encrypted',
  'docdb-production-deletion-protection',
  'sqs-kms-encrypted',
];
const expectedUnapplied = (stack: string) =>
  stack === 'prod'
    ? ['k8s-no-literal-secrets', ...dataServiceRules]
    : ['k8s-no-literal-secrets', 'rds-production-deletion-protection', ...dataServiceRules];

describe.each(stacks)('the policy pack on the %s stack', (stack) => {
  let candidates: Candidate[];
  beforeAll(async () => {
    candidates = candidatesOf(await renderEnvironment(stack));
  });

  it('sees the Kubernetes workloads, so a clean result means something', () => {
    const deployments = candidates.filter((candidate) => candidate.type === 'kubernetes:apps/v1:Deployment');
    expect(deployments.length).toBeGreaterThan(0);
  });

  it('reports no violation on any resource', async () => {
    const violations: Violation[] = [];
    for (const policy of resourcePolicies) {
      for (const candidate of candidates)
        violations.push(...(await checkResource(policy, candidate)).violations);
    }
    expect(violations).toEqual([]);
  });

  it('applies every resource policy to at least one resource, except those with nothing to check', async () => {
    const unapplied: string[] = [];
    for (const policy of resourcePolicies) {
      const outcomes = await Promise.all(candidates.map((candidate) => checkResource(policy, candidate)));
      if (!outcomes.some((outcome) => outcome.applied)) unapplied.push(policy.name);
    }
    expect(unapplied).toEqual(expectedUnapplied(stack));
    expect(candidates.filter((candidate) => candidate.type === 'kubernetes:core/v1:Secret')).toEqual([]);
  });

  it('passes every stack policy, each of which applies', async () => {
    for (const policy of stackPolicies) {
      expect({ policy: policy.name, violations: await checkStack(policy, candidates) }).toEqual({
        policy: policy.name,
        violations: [],
      });
    }
  });
});
