import fc from 'fast-check';
import { changeSetDigest } from '../../../action/src/preview/change-set';
import { summarizeEvents } from '../../../action/src/preview/change-summary';
import {
  commentLimit,
  commentMarker,
  renderComment,
  type CommentInput,
} from '../../../action/src/preview/comment';
import { largePreview, readEvents } from '../support/engine-events';

const time = new Date('2026-11-24T12:00:00.123Z');
function input(file: string | ReturnType<typeof largePreview>, secrets: string[] = []): CommentInput {
  const summary = summarizeEvents(typeof file === 'string' ? readEvents(file) : file);
  return {
    command: 'preview',
    project: 'slipway',
    stack: 'dev',
    commit: 'f3c9a1b2d4e5f60718293a4b',
    time,
    secrets,
    outcome: { kind: 'previewed', summary, changeSet: changeSetDigest(summary) },
  };
}

test('the comment starts with its marker and a one-line summary, then a table of changed resources only', () => {
  const body = renderComment(input('template-body.json'));
  const lines = body.split('\n');
  expect(lines[0]).toBe('<!-- slipway-preview project=slipway stack=dev -->');
  expect(lines[1]).toBe('### Slipway preview of slipway / dev: 1 to update (57 unchanged)');
  expect(lines[3]).toMatch(
    /^Previewed commit f3c9a1b2d4e5 at 2026-11-24T12:00:00Z\. Change set `sha256:[0-9a-f]{12}`\.$/,
  );
  expect(body).toContain('| update | 1 |');
  expect(body).toContain('<details><summary>Changed resources (1)</summary>');
  expect(body).toContain('| update | aws:cloudformation/stack:Stack | cluster-nodes | templateBody |');
  expect(body).not.toContain('| same |');
  expect(body.match(/^\| (create|update|delete|replace) \| aws/gm)).toHaveLength(1);
});

test('markers differ per project and per stack, so two stacks never overwrite each other', () => {
  const markers = new Set([
    commentMarker('slipway', 'dev'),
    commentMarker('slipway', 'prod'),
    commentMarker('billing', 'dev'),
    commentMarker('slipway', 'org/slipway/dev'),
  ]);
  expect(markers.size).toBe(4);
  expect(commentMarker('a -->b', 'dev')).not.toContain('-->b');
});

test('a deploy writes the same sticky comment, saying it deployed', () => {
  const body = renderComment({ ...input('up.json'), command: 'deploy' });
  expect(body.split('\n')[0]).toBe(commentMarker('slipway', 'dev'));
  expect(body).toContain('### Slipway deploy of slipway / dev: 1 to create (5 unchanged)');
  expect(body).toContain('Deployed commit f3c9a1b2d4e5 at 2026-11-24T12:00:00Z.');
});

test('no changes says so, with the time and the commit', () => {
  const body = renderComment(input('up-2.json'));
  expect(body).toContain('### Slipway preview of slipway / dev: No changes (6 unchanged)');
  expect(body).toContain('No changes: nothing in this stack would be modified.');
  expect(body).toContain('commit f3c9a1b2d4e5 at 2026-11-24T12:00:00Z');
  expect(body).not.toContain('<details>');
});

test('a failure names the step and stack, shows the error and the last diagnostics, in fences it cannot break', () => {
  const body = renderComment({
    command: 'preview',
    project: 'slipway',
    stack: 'prod',
    commit: 'abc',
    time,
    secrets: ['hunter2-very-secret'],
    outcome: {
      kind: 'failed',
      step: 'preview',
      error: 'error: ```\n</details> password=hunter2-very-secret',
      diagnostics: Array.from({ length: 40 }, (_, i) => `diag ${i}`),
    },
  });
  expect(body).toContain('### Slipway preview of slipway / prod: failed');
  expect(body).toContain('The **preview** step failed for stack slipway / prod');
  expect(body).toContain('````text\nerror: ```\n</details> password=***\n````');
  expect(body).not.toContain('hunter2');
  expect(body).toContain('diag 39');
  expect(body).toContain('diag 10');
  expect(body).not.toContain('diag 9\n');
});

test('secret values are removed from resource names and paths before the body is built', () => {
  const events = largePreview(3);
  const metadata = events[0]?.resourcePreEvent?.metadata;
  if (!metadata) throw new Error('no event');
  metadata.urn = `${metadata.urn}-s3cr3t-token`;
  const body = renderComment(input(events, ['s3cr3t-token']));
  expect(body).not.toContain('s3cr3t-token');
  expect(body).toContain('\\*\\*\\*');
});

// How fast this renders is a figure of `npm run bench` (bench/action.ts), not a timed test.
test('2,000 changed resources fit the limit, eliding the middle and saying so', () => {
  const body = renderComment(input(largePreview(2000, 8)));
  expect(body.length).toBeLessThanOrEqual(commentLimit);
  expect(body).toContain('<details><summary>Changed resources (2000)</summary>');
  expect(body).toMatch(
    /\| … \| \d+ more changed resources are left out here to stay under GitHub's 65,536-character comment limit/,
  );
  expect(body).toContain('cluster-nodes-0 |');
  expect(body).toContain('cluster-nodes-1999 |');
  expect(body.trimEnd().endsWith('</details>')).toBe(true);
});

test('property: whatever the size of the preview, the comment fits and keeps its marker and closing tag', () => {
  fc.assert(
    fc.property(fc.integer({ min: 0, max: 2500 }), fc.integer({ min: 0, max: 30 }), (count, paths) => {
      const body = renderComment(input(largePreview(count, paths)));
      expect(body.length).toBeLessThanOrEqual(commentLimit);
      expect(body.startsWith(commentMarker('slipway', 'dev'))).toBe(true);
      if (count > 0) expect(body.trimEnd().endsWith('</details>')).toBe(true);
    }),
    { numRuns: 12 },
  );
});
