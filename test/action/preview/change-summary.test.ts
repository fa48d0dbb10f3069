import type { EngineEvent } from '@pulumi/pulumi/automation';
import { changeSetDigest } from '../../../action/src/preview/change-set';
import { nameOf, summarizeEvents } from '../../../action/src/preview/change-summary';
import { readEvents } from '../support/engine-events';

test.each([
  ['up.json', { create: 1, same: 5 }, ['create aws:eks/cluster:Cluster eks-cluster']],
  ['up-2.json', { same: 6 }, []],
  ['up-3.json', { create: 6 }, ['create pulumi:pulumi:Stack eks-dev', 'create aws:iam/role:Role eks-role']],
  ['template-body.json', { same: 57, update: 1 }, ['update aws:cloudformation/stack:Stack cluster-nodes']],
  [
    'destroy-with-components.json',
    { delete: 2, same: 1 },
    ['delete my:component:Child mychild', 'delete my:component:Component mycomponent'],
  ],
  ['stack-output-resource-diff.json', { same: 3 }, []],
])(
  '%s: counts by operation and the changed resources come from the engine events',
  (file, counts, firstChanges) => {
    const summary = summarizeEvents(readEvents(file));
    expect(summary.counts).toEqual(counts);
    expect(summary.hasChanges).toBe(firstChanges.length > 0);
    expect(summary.changes.slice(0, firstChanges.length).map((c) => `${c.op} ${c.type} ${c.name}`)).toEqual(
      firstChanges,
    );
    expect(summary.changes.every((c) => c.op !== 'same')).toBe(true);
  },
);

test('changed property paths come from the detailed diff', () => {
  const summary = summarizeEvents(readEvents('template-body.json'));
  expect(summary.changes).toEqual([
    {
      urn: expect.stringMatching(/cluster-nodes$/),
      type: 'aws:cloudformation/stack:Stack',
      name: 'cluster-nodes',
      op: 'update',
      paths: ['templateBody'],
      inputs: expect.objectContaining({ name: 'cluster-9085c3f2' }),
    },
  ]);
});

test('the summary counts what the engine finished applying, so a failed up knows whether the stack moved', () => {
  expect(summarizeEvents(readEvents('up-interrupted.json')).applied).toBe(1);
  expect(summarizeEvents(readEvents('up-2.json')).applied).toBe(0);
  expect(summarizeEvents(readEvents('up.json')).applied).toBe(1);
});

test('replacement steps of one resource fold into a single replace with the union of its paths', () => {
  const base = readEvents('template-body.json').find(
    (e) => e.resourcePreEvent?.metadata.op === 'update',
  ) as EngineEvent;
  const step = (op: string, paths: string[]): EngineEvent => {
    const event = structuredClone(base);
    const metadata = event.resourcePreEvent?.metadata as unknown as Record<string, unknown>;
    metadata.op = op;
    metadata.detailedDiff = Object.fromEntries(
      paths.map((p) => [p, { kind: 'update-replace', inputDiff: true }]),
    );
    return event;
  };
  const summary = summarizeEvents([
    step('create-replacement', ['templateBody']),
    step('replace', ['name']),
    step('delete-replaced', []),
  ]);
  expect(summary.counts).toEqual({ replace: 1 });
  expect(summary.changes[0]?.paths).toEqual(['name', 'templateBody']);
});

test('error and warning diagnostics are kept without colour codes', () => {
  const events = [
    {
      sequence: 1,
      timestamp: 1,
      diagnosticEvent: {
        message: '<{%reset%}>creating EKS cluster: AccessDenied<{%reset%}>\n',
        color: 'raw',
        severity: 'error',
      },
    },
    { sequence: 2, timestamp: 1, diagnosticEvent: { message: 'just info', color: 'raw', severity: 'info' } },
  ] as EngineEvent[];
  expect(summarizeEvents(events).diagnostics).toEqual(['creating EKS cluster: AccessDenied']);
});

test('a resource name is the last part of its URN, even when the name contains colons', () => {
  expect(nameOf('urn:pulumi:dev::eks::aws:iam/role:Role::eks-role')).toBe('eks-role');
  expect(nameOf('urn:pulumi:dev::p::k8s:core/v1:ConfigMap::ns/a:b')).toBe('ns/a:b');
});

describe('change-set digest', () => {
  const summary = summarizeEvents(readEvents('up-3.json'));

  test('does not depend on event order, and changes when an operation, a resource or a path changes', () => {
    const digest = changeSetDigest(summary);
    expect(digest).toMatch(/^sha256:[0-9a-f]{64}$/);
    expect(changeSetDigest({ changes: [...summary.changes].reverse() })).toBe(digest);
    const [first, ...rest] = summary.changes;
    if (!first) throw new Error('up-3.json has changes');
    expect(changeSetDigest({ changes: [{ ...first, op: 'replace' }, ...rest] })).not.toBe(digest);
    expect(changeSetDigest({ changes: rest })).not.toBe(digest);
    expect(changeSetDigest({ changes: [{ ...first, paths: ['tags'] }, ...rest] })).not.toBe(digest);
  });

  test('changes when a new value changes at the same paths (an approved image pins that image)', () => {
    const approved = summarizeEvents(readEvents('template-body.json'));
    const [update] = approved.changes;
    if (!update?.inputs) throw new Error('template-body.json updates a resource');
    const other = { ...update, inputs: { ...update.inputs, templateBody: 'Resources: {}' } };
    expect(other.paths).toEqual(update.paths);
    expect(changeSetDigest({ changes: [other] })).not.toBe(changeSetDigest(approved));
    // Key order is not a change.
    const reordered = Object.fromEntries(Object.entries(update.inputs).reverse());
    expect(changeSetDigest({ changes: [{ ...update, inputs: reordered }] })).toBe(changeSetDigest(approved));
  });

  test('covers the stack config, secret values included, without carrying any value', () => {
    const config = [
      { key: 'slipway:services.api.imageTag', value: 'abc123', secret: false },
      { key: 'slipway:dbPassword', value: 'pw-123456', secret: true },
    ];
    const digest = changeSetDigest(summary, config);
    expect(digest).not.toBe(changeSetDigest(summary));
    expect(digest).not.toContain('pw-123456');
    const rotated = config.map((c) => (c.secret ? { ...c, value: 'pw-654321' } : c));
    expect(changeSetDigest(summary, rotated)).not.toBe(digest);
    expect(changeSetDigest(summary, [...config].reverse())).toBe(digest);
  });

  test('is the same for two previews of the same change', () => {
    expect(changeSetDigest(summarizeEvents(readEvents('template-body.json')))).toBe(
      changeSetDigest(summarizeEvents(readEvents('template-body.json'))),
    );
    expect(changeSetDigest(summarizeEvents(readEvents('up-2.json')))).toBe(changeSetDigest({ changes: [] }));
  });
});
