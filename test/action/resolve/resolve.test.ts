import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import fc from 'fast-check';
import { loadPipeline } from '../../../action/src/pipeline/load';
import { buildGroups } from '../../../action/src/resolve/builds';
import {
  deployTargets,
  oneEnvironmentPerStack,
  previewReach,
  resolveEnvironments,
  stacksOf,
} from '../../../action/src/resolve/resolve';
import { pullRequestEvent, webhook } from '../support/events';
import { readSettings } from '../../../infra/settings/load';

const settings = readSettings(join(__dirname, '..', '..', '..'));

const pipeline = loadPipeline(
  readFileSync(join(__dirname, '..', '..', '..', 'pipeline.yaml'), 'utf8'),
  'pipeline.yaml',
  settings,
);
const push = (branch: string) =>
  resolveEnvironments(pipeline, { eventName: 'push', ref: `refs/heads/${branch}` });

test.each([
  ['develop', ['dev'], [], { dev: false }],
  ['main', ['dev', 'staging'], [], { dev: false, staging: false }],
  ['release-2.4', ['prod'], [], { prod: true }],
  ['release-', ['prod'], [], { prod: true }],
  ['hotfix/login-crash', ['prod'], [], { prod: true }],
  ['feature-login', [], ['dev'], { dev: false }],
  ['hotfix/a/b', [], [], {}],
  ['mainline', [], [], {}],
  ['Main', [], [], {}],
  ['feature/login', [], [], {}],
])('a push to %s deploys to %j and previews %j', (branch, environments, previewEnvironments, approval) => {
  expect(push(branch)).toEqual({ environments, previewEnvironments, approval });
});

test('real push payloads: a branch push maps by its ref, a tag push deploys nowhere', () => {
  const branchPush = webhook('push', (p) => p.ref === 'refs/heads/master');
  const tagPush = webhook('push', (p) => String(p.ref).startsWith('refs/tags/'));
  const rename = (payload: Record<string, unknown>, ref: string) => ({
    eventName: 'push',
    ref: String({ ...payload, ref }.ref),
  });
  expect(resolveEnvironments(pipeline, rename(branchPush, 'refs/heads/main')).environments).toEqual([
    'dev',
    'staging',
  ]);
  expect(resolveEnvironments(pipeline, { eventName: 'push', ref: String(tagPush.ref) })).toEqual({
    environments: [],
    previewEnvironments: [],
    approval: {},
  });
});

test('real pull_request payloads preview what their base branch deploys to, and deploy nothing', () => {
  for (const [base, expected] of [
    ['main', ['dev', 'staging']],
    ['develop', ['dev']],
    ['release-3.0', ['prod']],
    ['master', []],
  ] as const) {
    const payload = pullRequestEvent({ number: 1, base, head: 'feature-x' }) as {
      pull_request: { base: { ref: string } };
    };
    const result = resolveEnvironments(pipeline, {
      eventName: 'pull_request',
      ref: 'refs/pull/1/merge',
      baseRef: payload.pull_request.base.ref,
    });
    expect(result.environments).toEqual([]);
    expect(result.previewEnvironments).toEqual(expected);
  }
  const toRelease = resolveEnvironments(pipeline, {
    eventName: 'pull_request',
    ref: 'refs/pull/1/merge',
    baseRef: 'release-3.0',
  });
  expect(toRelease.approval).toEqual({ prod: true });
});

test('a real workflow_dispatch payload on main resolves like a push to main', () => {
  const dispatch = webhook('workflow_dispatch', (p) => p.ref === 'refs/heads/main');
  expect(
    resolveEnvironments(pipeline, { eventName: 'workflow_dispatch', ref: String(dispatch.ref) }).environments,
  ).toEqual(['dev', 'staging']);
});

const known = Object.keys(pipeline.environments);
const order = (names: string[]) => names.map((n) => known.indexOf(n));

test('property: any branch name resolves without throwing to known environments in promotion order', () => {
  fc.assert(
    fc.property(fc.string({ maxLength: 80 }), (branch) => {
      const result = push(branch);
      for (const name of [...result.environments, ...result.previewEnvironments])
        expect(known).toContain(name);
      expect(order(result.environments)).toEqual([...order(result.environments)].sort((a, b) => a - b));
      expect(Object.keys(result.approval).sort()).toEqual(
        [...new Set([...result.environments, ...result.previewEnvironments])].sort(),
      );
    }),
    { numRuns: 500 },
  );
});

test('property: release-* and single-level hotfix/* always go to prod behind approval; nothing else does', () => {
  // One path component as git allows it in a branch name (no leading dot, no slash).
  const segment = fc.stringMatching(/^[\w-][\w.$;|<>()`-]{0,29}$/);
  fc.assert(
    fc.property(segment, fc.constantFrom('release-', 'hotfix/'), (suffix, prefix) => {
      expect(push(`${prefix}${suffix}`)).toEqual({
        environments: ['prod'],
        previewEnvironments: [],
        approval: { prod: true },
      });
    }),
  );
  fc.assert(
    fc.property(fc.string({ maxLength: 40 }), (branch) => {
      fc.pre(!/^(release-[^/]*|hotfix\/[^/]+)$/.test(branch));
      expect(push(branch).environments).not.toContain('prod');
    }),
    { numRuns: 500 },
  );
});

test('a pull request previews ungated environments online and gated ones with the offline plan', () => {
  const pr = (baseRef: string) =>
    previewReach(
      pipeline,
      resolveEnvironments(pipeline, { eventName: 'pull_request', ref: 'refs/pull/1/merge', baseRef }),
    );
  expect(pr('main')).toEqual({ online: ['dev', 'staging'], offline: [] });
  expect(pr('release-3.0')).toEqual({ online: [], offline: ['prod'] });
  expect(pr('hotfix/login')).toEqual({ online: [], offline: ['prod'] });
  expect(pr('master')).toEqual({ online: [], offline: [] });
});

test('each environment names the stack it deploys, as pipeline.yaml says, else its own name', () => {
  expect(stacksOf(pipeline)).toEqual({ dev: 'dev', staging: 'staging', prod: 'prod' });
  const text = readFileSync(join(__dirname, '..', '..', '..', 'pipeline.yaml'), 'utf8');
  const unnamed = loadPipeline(text.replace('    stack: dev\n', ''), 'pipeline.yaml', settings);
  expect(stacksOf(unnamed)).toEqual({ dev: 'dev', staging: 'staging', prod: 'prod' });
});

describe("seed 004's pipeline: release-* deploys prod on merge, hotfix/* the same stack behind approval", () => {
  const seed004 = loadPipeline(
    readFileSync(join(__dirname, '..', '..', '..', 'examples', 'flask-umbrella', 'pipeline.yaml'), 'utf8'),
    'examples/flask-umbrella/pipeline.yaml',
    settings,
  );
  const targets = (branch: string) =>
    deployTargets(seed004, resolveEnvironments(seed004, { eventName: 'push', ref: `refs/heads/${branch}` }));
  const prodRoles = {
    stack: 'prod',
    region: 'eu-west-1',
    role: 'arn:aws:iam::123456789012:role/slipway-deploy-prod',
    platformRole: 'arn:aws:iam::123456789012:role/slipway-platform-prod',
  };

  it('runs release-1.0 in the ungated GitHub environment prod and hotfix/x in the gated prod-hotfix, both with the prod stack and its roles', () => {
    expect(targets('release-1.0')).toEqual([
      // Deployed on merge, but its stack is gated (prod-hotfix): its own job promotes the images all the same.
      {
        environment: 'prod',
        platformEnvironment: 'platform-prod',
        approval: false,
        promote: true,
        readRole: 'arn:aws:iam::123456789012:role/slipway-read',
        backendUrl: 's3://slipway-pulumi-state-123456789012-eu-west-1?region=eu-west-1',
        ...prodRoles,
      },
    ]);
    expect(targets('hotfix/x')).toEqual([
      {
        environment: 'prod-hotfix',
        platformEnvironment: 'platform-prod-hotfix',
        approval: true,
        promote: true,
        readRole: 'arn:aws:iam::123456789012:role/slipway-read',
        backendUrl: 's3://slipway-pulumi-state-123456789012-eu-west-1?region=eu-west-1',
        ...prodRoles,
      },
    ]);
  });

  it('keeps pull requests into either branch off the prod stack, which approval guards, and drifts it once', () => {
    const pr = (baseRef: string) =>
      previewReach(
        seed004,
        resolveEnvironments(seed004, { eventName: 'pull_request', ref: 'refs/pull/1/merge', baseRef }),
      );
    expect(pr('release-1.0')).toEqual({ online: [], offline: ['prod'] });
    expect(pr('hotfix/x')).toEqual({ online: [], offline: ['prod-hotfix'] });
    expect(pr('main')).toEqual({ online: ['dev', 'staging'], offline: [] });
    expect(oneEnvironmentPerStack(seed004)).toEqual(['dev', 'staging', 'prod']);
  });
});

test('a push deploys to each environment with the stack, region, both roles and approval pipeline.yaml gives it', () => {
  expect(deployTargets(pipeline, push('main'))).toEqual([
    {
      environment: 'dev',
      stack: 'dev',
      region: 'eu-west-1',
      role: 'arn:aws:iam::123456789012:role/slipway-deploy-dev',
      platformEnvironment: 'platform-dev',
      platformRole: 'arn:aws:iam::123456789012:role/slipway-platform-dev',
      approval: false,
      promote: false,
      readRole: 'arn:aws:iam::123456789012:role/slipway-read',
      backendUrl: 's3://slipway-pulumi-state-123456789012-eu-west-1?region=eu-west-1',
    },
    {
      environment: 'staging',
      stack: 'staging',
      region: 'eu-west-1',
      role: 'arn:aws:iam::123456789012:role/slipway-deploy-staging',
      platformEnvironment: 'platform-staging',
      platformRole: 'arn:aws:iam::123456789012:role/slipway-platform-staging',
      approval: false,
      promote: false,
      readRole: 'arn:aws:iam::123456789012:role/slipway-read',
      backendUrl: 's3://slipway-pulumi-state-123456789012-eu-west-1?region=eu-west-1',
    },
  ]);
  expect(
    deployTargets(pipeline, push('hotfix/x')).map((t) => [t.environment, t.approval, t.promote]),
  ).toEqual([['prod', true, true]]);
  expect(deployTargets(pipeline, push('feature-x'))).toEqual([]);
});

test('services with identical build inputs share one build job; the others get one each, in pipeline order', () => {
  expect(
    buildGroups([
      ['web', 'a'.repeat(64)],
      ['api', 'b'.repeat(64)],
      ['worker', 'a'.repeat(64)],
    ]),
  ).toEqual([
    { services: 'web,worker', inputs: 'aaaaaaaaaaaa' },
    { services: 'api', inputs: 'bbbbbbbbbbbb' },
  ]);
  expect(buildGroups([])).toEqual([]);
});
