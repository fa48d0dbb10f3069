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

// No Kubernetes Secret is declared anywhere (secrets come through ExternalSecrets), and only prod has a
// production database.
const expectedUnapplied = (stack: string) =>
  stack === 'prod'
    ? ['k8s-no-literal-secrets']
    : ['k8s-no-literal-secrets', 'rds-production-deletion-protection'];

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
