import type { EngineEvent } from '@pulumi/pulumi/automation';
import { summarizeEvents } from '../../../action/src/preview/change-summary';
import { streamIncompleteness, tailsEventFile } from '../../../action/src/preview/event-stream';
import { readEvents } from '../support/engine-events';

const check = (events: EngineEvent[], parseFailures = 0) =>
  streamIncompleteness(events, summarizeEvents(events), parseFailures);

test.each([
  'up.json',
  'up-2.json',
  'up-3.json',
  'template-body.json',
  'destroy-with-components.json',
  'stack-output-resource-diff.json',
])('the complete recorded stream %s agrees with its own summary event', (file) => {
  expect(check(readEvents(file))).toBeUndefined();
});

test('a stream cut before its summary event is incomplete, not "No changes"', () => {
  const events = readEvents('up.json');
  const cut = events.slice(
    0,
    events.findIndex((e) => e.summaryEvent),
  );
  expect(check(cut)).toBe(
    'the engine event stream ended without its summary event (cut short), so the report may be partial',
  );
});

test('a line the SDK could not parse makes the stream incomplete even when the counts still agree', () => {
  expect(check(readEvents('up.json'), 1)).toBe(
    '1 engine event line(s) could not be parsed, so the report would be missing what they said',
  );
});

test('a resource event lost on the way shows as a count that differs from the summary', () => {
  const events = readEvents('up.json');
  const lost = events.filter((e) => e.resourcePreEvent?.metadata.op !== 'create');
  expect(check(lost)).toBe(
    "the engine's summary counts differ from the events received (create 0 of 1), so events were lost",
  );
  // 57 of template-body's unchanged resources arrive, one does not.
  const template = readEvents('template-body.json');
  const firstSame = template.findIndex((e) => e.resourcePreEvent?.metadata.op === 'same');
  expect(check(template.filter((_, i) => i !== firstSame))).toContain('same 56 of 57');
});

test('a replacement counts once, as the engine summary counts it, whatever phases its events show', () => {
  const events = readEvents('up.json');
  const created = events.find((e) => e.resourcePreEvent?.metadata.op === 'create');
  const metadata = created?.resourcePreEvent?.metadata;
  if (!metadata) throw new Error('up.json has no create');
  const phase = (op: 'replace' | 'create-replacement' | 'delete-replaced'): EngineEvent => ({
    ...created,
    resourcePreEvent: { ...created.resourcePreEvent, metadata: { ...metadata, op } },
  });
  const summary = events.find((e) => e.summaryEvent);
  const replaced = [
    ...events.filter((e) => e !== created && !e.summaryEvent),
    phase('create-replacement'),
    phase('replace'),
    phase('delete-replaced'),
    { ...summary, summaryEvent: { ...summary?.summaryEvent, resourceChanges: { replace: 1, same: 5 } } },
  ] as EngineEvent[];
  expect(check(replaced)).toBeUndefined();
});

test('CLIs up to 3.205 stream events through a polled file; later ones over gRPC', () => {
  expect(tailsEventFile('3.205.0')).toBe(true);
  expect(tailsEventFile('v3.200.0')).toBe(true);
  expect(tailsEventFile('2.99.0')).toBe(true);
  expect(tailsEventFile('3.206.0')).toBe(false);
  expect(tailsEventFile('3.270.1')).toBe(false);
  expect(tailsEventFile('4.0.0')).toBe(false);
});
