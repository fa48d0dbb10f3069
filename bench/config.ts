import fc from 'fast-check';
import { catalogCases, checkCase, stackFileCases, type LoadCase } from '../test/support/config-fuzz';
import type { Figure } from './plan';

// The fuzz test runs 300 cases of each kind per `npm test`; the bench runs many more, with a fresh seed.
const runs = 2000;

/** Config fuzzing at length: cases per second, and how many crashed or were accepted though invalid. */
export async function configFigures(): Promise<Figure[]> {
  const figures: Figure[] = [];
  for (const [kind, cases] of [
    ['stack files', stackFileCases],
    ['catalogs', catalogCases],
  ] as [string, fc.Arbitrary<LoadCase>][]) {
    const seed = Date.now() % 2 ** 31;
    const outcomes = { loaded: 0, rejected: 0 };
    const started = process.hrtime.bigint();
    const result = await Promise.resolve(
      fc.check(
        fc.property(cases, (input) => {
          outcomes[checkCase(input)] += 1;
        }),
        { numRuns: runs, seed, endOnFailure: true },
      ),
    );
    const seconds = Number(process.hrtime.bigint() - started) / 1e9;
    const tried = outcomes.loaded + outcomes.rejected + (result.failed ? 1 : 0);
    const failure = result.failed
      ? `; FAILED at seed ${seed}: ${result.errorInstance instanceof Error ? result.errorInstance.message.split('\n')[0] : String(result.errorInstance)}`
      : '';
    figures.push({
      name: `config fuzzing: ${runs} random ${kind} (seed ${seed})`,
      value: `measured: ${Math.round(tried / seconds)} cases/s (${tried} in ${seconds.toFixed(1)} s): ${outcomes.loaded} loaded, ${outcomes.rejected} refused line by line${failure}`,
      target: '0 crashes, 0 accepted invalid, every refusal one line naming file and key',
      met: !result.failed,
    });
  }
  return figures;
}
