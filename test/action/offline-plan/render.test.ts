import { parseOfflinePlan } from '../../../action/src/offline-plan/schema';
import { renderOfflinePlan } from '../../../action/src/offline-plan/render';

/** A fork's plan.json written to attack the comment: every string carries Markdown, HTML, links and mentions. */
const hostile = {
  formatVersion: 1,
  project: 'slipway <img src=x onerror=alert(1)>',
  stack: 'dev',
  base: '[base](https://evil.example)',
  changes: [
    {
      kind: 'update',
      type: 'kubernetes:apps/v1:Deployment',
      name: 'api\n\n```\n## No changes\n<details open><summary>@acme/platform approve</summary>',
      properties: [
        {
          path: 'spec.template.spec.containers[0].image',
          old: 'registry/api@sha256:aaaa',
          new: '![x](https://evil.example/pixel.png) <a href="https://evil.example">fix</a> @octocat ``````',
          forcesReplacement: false,
        },
      ],
    },
    { kind: 'delete', type: 'aws:rds/instance:Instance', name: 'db\u202e\u200bgnp.exe', properties: [] },
  ],
};

/** What GitHub would render outside code: the text before the fence and after its close. */
function outsideFence(body: string): string {
  const open = /^(`{3,})diff$/m.exec(body);
  if (!open?.[1]) throw new Error('no fence');
  const close = body.indexOf(`\n${open[1]}\n`, open.index + open[0].length);
  expect(close).toBeGreaterThan(open.index);
  return body.slice(0, open.index) + body.slice(close + open[1].length + 2);
}

test('a fork plan with injected Markdown, HTML, links and mentions renders inert', () => {
  const body = renderOfflinePlan(parseOfflinePlan(JSON.stringify(hostile), 'plan.json'), {
    project: 'slipway',
    stack: 'dev',
  });
  const outside = outsideFence(body);
  // Outside the one fence there is only what the base branch wrote: no string from the plan.
  for (const injected of [
    '<img',
    '<a ',
    'https://evil',
    '@octocat',
    '@acme',
    '<details',
    'No changes',
    '![x]',
  ])
    expect(outside).not.toContain(injected);
  // Inside, the fence is longer than any backtick run the plan holds, so nothing closes it early.
  const fence = /^(`+)diff$/m.exec(body)?.[1] ?? '';
  expect(fence.length).toBeGreaterThan(6);
  expect(body.split('\n').filter((line) => /^`{3,}/.test(line))).toHaveLength(2);
  // A name cannot start a new line (no fake heading), and direction overrides are shown as replacements.
  expect(body).toContain('~ update kubernetes:apps/v1:Deployment api\ufffd\ufffd```\ufffd## No changes');
  expect(body).toContain('- delete aws:rds/instance:Instance db\ufffd\ufffdgnp.exe');
  expect(body).not.toMatch(/[\u202e\u200b]/);
  // Counts come from the changes, and the label says whose plan it is.
  expect(outside).toContain('The plan reports 1 to update, 1 to delete.');
  expect(outside).toContain("Unverified offline plan of the pull request's code");
  expect(body.startsWith('<!-- slipway:offline-plan:slipway/dev -->\n')).toBe(true);
});

test('a plan of the wrong shape or size is refused with one line naming the file and the field', () => {
  expect(() => parseOfflinePlan('not json', 'offline-plan-dev/plan.json')).toThrow(
    'offline-plan-dev/plan.json: not JSON',
  );
  const badKind = { ...hostile, changes: [{ ...hostile.changes[1], kind: 'approve' }] };
  expect(() => parseOfflinePlan(JSON.stringify(badKind), 'plan.json')).toThrow(
    /^plan\.json: changes\.0\.kind: /,
  );
  const longName = { ...hostile, changes: [{ ...hostile.changes[1], name: 'x'.repeat(2000) }] };
  expect(() => parseOfflinePlan(JSON.stringify(longName), 'plan.json')).toThrow(
    'plan.json: changes.0.name: longer than 1024 characters',
  );
  expect(() => parseOfflinePlan(' '.repeat(2_000_001), 'plan.json')).toThrow(
    'plan.json: larger than 2000000 bytes',
  );
});

test('a plan longer than a comment is cut inside the fence, with what was left out', () => {
  const many = {
    ...hostile,
    changes: Array.from({ length: 3000 }, (_, i) => ({
      ...hostile.changes[1],
      name: `db-${i}-${'y'.repeat(40)}`,
    })),
  };
  const body = renderOfflinePlan(parseOfflinePlan(JSON.stringify(many), 'plan.json'), {
    project: 'slipway',
    stack: 'dev',
  });
  expect(body.length).toBeLessThan(60_000);
  expect(body).toMatch(/… \d+ more lines not shown \(the comment limit\)\n`{3,}\n$/);
  expect(body).toContain('The plan reports 3000 to delete.');
});

test("a stack new at the base: the plan's note stays inside the fence with the rest of its words", () => {
  const note = 'Pulumi.qa.yaml does not exist at main: qa is a new stack, so every resource is a create';
  const plan = {
    ...hostile,
    stack: 'qa',
    base: 'main',
    note,
    changes: [{ kind: 'create', type: 'aws:ec2/vpc:Vpc', name: 'network-vpc', properties: [] }],
  };
  const body = renderOfflinePlan(parseOfflinePlan(JSON.stringify(plan), 'plan.json'), {
    project: 'slipway',
    stack: 'qa',
  });
  expect(body).toMatch(
    new RegExp(`^project .*, stack qa, base main\\n${note}\\n\\+ create aws:ec2/vpc:Vpc network-vpc$`, 'm'),
  );
  expect(outsideFence(body)).not.toContain(note);
  expect(outsideFence(body)).toContain('The plan reports 1 to create.');
});
