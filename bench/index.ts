import { actionFigures } from './action';
import { configFigures } from './config';
import { benchPlan, type Figure } from './plan';

const benches: [area: string, measure: () => Promise<Figure[]>][] = [
  ['plan', benchPlan],
  ['action', actionFigures],
  ['config', configFigures],
];

/** `npm run bench`: every figure the issues ask for, as a table; exit 1 when one misses its target. */
async function main(): Promise<number> {
  const figures: Figure[] = [];
  for (const [area, measure] of benches) {
    process.stderr.write(`measuring ${area}…\n`);
    figures.push(...(await measure()));
  }
  for (const figure of figures) {
    process.stdout.write(
      `${figure.met ? 'ok    ' : 'MISSED'}  ${figure.name}\n        ${figure.value}   (target: ${figure.target})\n`,
    );
  }
  return figures.every((f) => f.met) ? 0 : 1;
}

void main().then(
  (code) => (process.exitCode = code),
  (error: unknown) => {
    process.stderr.write(`${error instanceof Error ? error.message : String(error)}\n`);
    process.exitCode = 1;
  },
);
