import { readdirSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { changeSetDigest } from '../action/src/preview/change-set';
import { summarizeEvents } from '../action/src/preview/change-summary';
import { commentLimit, renderComment } from '../action/src/preview/comment';
import type { Figure } from './plan';
import { largePreview } from '../test/action/support/engine-events';
import { FakeGitHub } from '../test/action/support/fake-github';
import { pullRequestEvent, pushEvent } from '../test/action/support/events';
import { bundle, eventLog, runAction, Workspace } from '../test/action/support/run-action';

const runs = 5;
const resolveTargetMs = 1000;
const previewTargetMs = 3000;
const bundleTargetMiB = 10;
const largeCommentResources = 2000;
const largeCommentTargetMs = 1000;

/**
 * The action's own overhead, measured as the runner sees it: `node action/dist/index.js` from process start
 * to exit, for `resolve` and for a pull request `preview` against the fake Pulumi CLI (so the figure is the
 * action's cost, not the engine's), median of five runs; and the size of the committed bundle.
 */
export async function actionFigures(): Promise<Figure[]> {
  const github = new FakeGitHub();
  await github.start();
  try {
    const workspace = new Workspace({ previewLogs: [eventLog('template-body.json')] });
    const resolve = await medianMs(() =>
      runAction(workspace, github, {
        inputs: { command: 'resolve' },
        eventName: 'push',
        event: pushEvent('main'),
        ref: 'refs/heads/main',
      }),
    );
    const event = pullRequestEvent({ number: 1, base: 'main', head: 'feature-bench' });
    const preview = await medianMs(() =>
      runAction(workspace, github, {
        inputs: { command: 'preview', environment: 'dev' },
        eventName: 'pull_request',
        event,
        ref: 'refs/pull/1/merge',
      }),
    );
    const dist = join(bundle, '..');
    const totalMiB = directoryBytes(dist) / 2 ** 20;
    const entryKiB = statSync(bundle).size / 1024;
    return [
      {
        name: 'action resolve: process start to exit (median of 5)',
        value: `${resolve.toFixed(0)} ms`,
        target: `< ${resolveTargetMs} ms`,
        met: resolve < resolveTargetMs,
      },
      {
        name: 'action preview with the fake engine, PR comment posted (median of 5)',
        value: `${preview.toFixed(0)} ms`,
        target: `< ${previewTargetMs} ms`,
        met: preview < previewTargetMs,
      },
      largeCommentFigure(),
      {
        name: 'action bundle size (action/dist: entry + lazily loaded chunks)',
        value: `${totalMiB.toFixed(1)} MiB (entry ${entryKiB.toFixed(1)} KiB)`,
        target: `< ${bundleTargetMiB} MiB`,
        met: totalMiB < bundleTargetMiB,
      },
    ];
  } finally {
    await github.stop();
    Workspace.removeAll();
  }
}

/** The PR comment for a preview of 2,000 changed resources: time to summarize and render, and its size. */
function largeCommentFigure(): Figure {
  const events = largePreview(largeCommentResources, 8);
  const times: number[] = [];
  let length = 0;
  for (let i = 0; i < runs; i++) {
    const started = performance.now();
    const summary = summarizeEvents(events);
    length = renderComment({
      command: 'preview',
      project: 'slipway',
      stack: 'prod',
      commit: 'f3c9a1b2d4e5f60718293a4b',
      time: new Date(),
      secrets: [],
      outcome: { kind: 'previewed', summary, changeSet: changeSetDigest(summary) },
    }).length;
    times.push(performance.now() - started);
  }
  const ms = times.sort((a, b) => a - b)[Math.floor(runs / 2)] as number;
  return {
    name: `PR comment for ${largeCommentResources} changed resources: summarize and render (median of ${runs})`,
    value: `${ms.toFixed(0)} ms, ${length} characters`,
    target: `< ${largeCommentTargetMs} ms and ≤ ${commentLimit} characters`,
    met: ms < largeCommentTargetMs && length <= commentLimit,
  };
}

/** Prints the action's figures (what `npm run bench` shows for the action). */
export async function benchAction(): Promise<void> {
  for (const figure of await actionFigures()) {
    process.stdout.write(
      `${figure.met ? 'ok    ' : 'MISSED'}  ${figure.name}\n        ${figure.value}   (target: ${figure.target})\n`,
    );
  }
}

async function medianMs(run: () => Promise<{ code: number; stdout: string }>): Promise<number> {
  const times: number[] = [];
  for (let i = 0; i < runs; i++) {
    const started = performance.now();
    const result = await run();
    times.push(performance.now() - started);
    if (result.code !== 0) throw new Error(`the action failed while being measured:\n${result.stdout}`);
  }
  return times.sort((a, b) => a - b)[Math.floor(runs / 2)] as number;
}

function directoryBytes(dir: string): number {
  return readdirSync(dir, { withFileTypes: true }).reduce(
    (sum, entry) =>
      sum +
      (entry.isDirectory() ? directoryBytes(join(dir, entry.name)) : statSync(join(dir, entry.name)).size),
    0,
  );
}

if (require.main === module) {
  benchAction().catch((error: unknown) => {
    process.stderr.write(`${error instanceof Error ? error.message : String(error)}\n`);
    process.exitCode = 1;
  });
}
