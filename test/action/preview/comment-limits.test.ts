import type { EngineEvent } from '@pulumi/pulumi/automation';
import { changeSetDigest } from '../../../action/src/preview/change-set';
import { summarizeEvents } from '../../../action/src/preview/change-summary';
import {
  commentLimit,
  cutToBytes,
  renderComment,
  summaryLimit,
  type CommentInput,
} from '../../../action/src/preview/comment';
import { driftIssueBody, driftMarker } from '../../../action/src/drift/decision';
import { largePreview } from '../support/engine-events';

const time = new Date('2026-11-24T12:00:00Z');
const bytes = (text: string) => Buffer.byteLength(text, 'utf8');

/** A preview whose resource names hold multi-byte characters, as Kubernetes annotations and names may. */
function wide(count: number): EngineEvent[] {
  return largePreview(count, 12).map((event) => {
    const metadata = event.resourcePreEvent?.metadata;
    if (metadata) metadata.urn = `${metadata.urn}-ünïcödé-名前-${'é'.repeat(40)}`;
    return event;
  });
}

function input(events: EngineEvent[]): CommentInput {
  const summary = summarizeEvents(events);
  return {
    command: 'preview',
    project: 'slipway',
    stack: 'dev',
    commit: 'f3c9a1b2d4e5f60718293a4b',
    time,
    secrets: [],
    outcome: { kind: 'previewed', summary, changeSet: changeSetDigest(summary) },
  };
}

test("a 3,000-resource job summary stays within GitHub's 1 MiB counted in bytes, not characters", () => {
  const body = renderComment(input(wide(3000)), summaryLimit);
  expect(bytes(body)).toBeLessThanOrEqual(1024 * 1024);
  expect(body.length).toBeLessThan(bytes(body)); // multi-byte: a character budget would have overrun
  expect(body).toMatch(
    /\| … \| \d+ more changed resources are left out here to stay under GitHub's 1 MiB job summary limit/,
  );
  expect(body.trimEnd().endsWith('</details>')).toBe(true);
});

test('the PR comment of the same preview fits its limit in bytes as well', () => {
  const body = renderComment(input(wide(3000)));
  expect(bytes(body)).toBeLessThanOrEqual(commentLimit);
});

test('a cut to a byte budget never splits a character', () => {
  expect(cutToBytes('ab名前', 4)).toBe('ab');
  expect(cutToBytes('ab😀c', 5)).toBe('ab');
  expect(cutToBytes('ab😀c', 6)).toBe('ab😀');
});

test("the drift issue's whole body, marker and preamble included, fits GitHub's limit", () => {
  const marker = driftMarker('slipway', 'prod');
  const body = driftIssueBody(marker, (budget) => renderComment(input(wide(3000)), budget), commentLimit);
  expect(body.startsWith(`${marker}\nThe stack differs from its code.`)).toBe(true);
  expect(bytes(body)).toBeLessThanOrEqual(commentLimit);
  expect(bytes(body)).toBeGreaterThan(commentLimit - 2000); // the report uses the room it has
});

test('a failed run redacts its diagnostics before cutting them, so a secret across the cut leaves nothing', () => {
  const secret = 'AKIAQWERTYUIOPASDFGH/wJalrXUtnFEMI/K7MDENG/bPxRfiCYEXAMPLEKEY';
  const body = renderComment({
    ...input(wide(1)),
    secrets: [secret],
    outcome: {
      kind: 'failed',
      step: 'preview',
      error: 'preview failed',
      diagnostics: [`${'d'.repeat(480)}${secret}`],
    },
  });
  expect(body).not.toContain(secret.slice(0, 20));
  expect(body).toContain(`${'d'.repeat(480)}***`);
});
