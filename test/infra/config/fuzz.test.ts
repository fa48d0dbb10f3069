import fc from 'fast-check';
import { catalogCases, checkCase, stackFileCases, type Outcome } from '../../support/config-fuzz';

// Fixed seeds and budgets: the same few hundred cases every run, a few seconds in all. `npm run bench`
// runs thousands more with other seeds (bench/config.ts).
const budget = { numRuns: 300 };

function run(cases: typeof stackFileCases, seed: number): Record<Outcome, number> {
  const outcomes: Record<Outcome, number> = { loaded: 0, rejected: 0 };
  fc.assert(
    fc.property(cases, (input) => {
      outcomes[checkCase(input)] += 1;
    }),
    { ...budget, seed },
  );
  return outcomes;
}

describe('the loader on fuzzed input: loads a config within the limits, or refuses it line by line', () => {
  it('stack files of either project with out-of-range regions, retentions, versions, quotas and CIDRs', () => {
    const outcomes = run(stackFileCases, 16);
    // Both halves ran, so the property says something about what loads and what does not.
    expect(outcomes.loaded).toBeGreaterThan(10);
    expect(outcomes.rejected).toBeGreaterThan(10);
  });

  it('the catalog with keys set to odd values, removed, renamed, emptied, grown over 1 MiB or cut short', () => {
    const outcomes = run(catalogCases, 1616);
    expect(outcomes.loaded).toBeGreaterThan(10);
    expect(outcomes.rejected).toBeGreaterThan(10);
  });
});
