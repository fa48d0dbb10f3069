import { diffPlans } from '../../plan/diff';
import type { PlanResource, StackPlan } from '../../plan/model';

const plan = (resources: PlanResource[]): StackPlan => ({
  formatVersion: 1,
  project: 'slipway',
  stack: 'prod',
  resources,
  outputs: {},
});
const resource = (type: string, name: string, inputs: Record<string, unknown>): PlanResource => ({
  type,
  name,
  custom: true,
  inputs,
});

const subnet = (cidrBlock: string, tags = { tier: 'private' }) =>
  resource('aws:ec2/subnet:Subnet', 'private-a', { cidrBlock, availabilityZone: 'eu-west-1a', tags });
const deployment = (image: string, selector = 'api', password = 'hunter2') =>
  resource('kubernetes:apps/v1:Deployment', 'api', {
    metadata: { name: 'api', labels: { 'app.kubernetes.io/name': 'api' } },
    spec: {
      selector: { matchLabels: { app: selector } },
      template: { spec: { containers: [{ image, env: [{ name: 'DB_PASSWORD', value: password }] }] } },
    },
  });

describe('diffPlans', () => {
  it('reports nothing when the two renders are the same', () => {
    const diff = diffPlans(plan([subnet('10.0.0.0/19')]), plan([subnet('10.0.0.0/19')]), 'main');
    expect(diff.changes).toEqual([]);
    expect(diff.counts).toEqual({ create: 0, update: 0, replace: 0, delete: 0 });
  });

  it('matches resources by type and name: new ones are created, missing ones deleted', () => {
    const queue = resource('aws:sqs/queue:Queue', 'jobs', {});
    const bucket = resource('aws:s3/bucket:Bucket', 'logs', {});
    const diff = diffPlans(plan([queue]), plan([bucket]), 'main');
    expect(diff.changes).toEqual([
      { kind: 'create', type: 'aws:s3/bucket:Bucket', name: 'logs', properties: [] },
      { kind: 'delete', type: 'aws:sqs/queue:Queue', name: 'jobs', properties: [] },
    ]);
  });

  it('updates in place with the changed paths and their old and new values', () => {
    const diff = diffPlans(plan([deployment('api:1')]), plan([deployment('api:2')]), 'main');
    expect(diff.changes).toEqual([
      {
        kind: 'update',
        type: 'kubernetes:apps/v1:Deployment',
        name: 'api',
        properties: [
          {
            path: 'spec.template.spec.containers[0].image',
            old: 'api:1',
            new: 'api:2',
            forcesReplacement: false,
          },
        ],
      },
    ]);
  });

  it('replaces when a property that cannot change in place changes', () => {
    const subnetDiff = diffPlans(plan([subnet('10.0.0.0/19')]), plan([subnet('10.1.0.0/19')]), 'main');
    expect(subnetDiff.changes[0]).toMatchObject({
      kind: 'replace',
      properties: [{ path: 'cidrBlock', old: '10.0.0.0/19', new: '10.1.0.0/19', forcesReplacement: true }],
    });
    const selectorDiff = diffPlans(plan([deployment('api:1')]), plan([deployment('api:1', 'api-v2')]), 'x');
    expect(selectorDiff.changes[0]).toMatchObject({
      kind: 'replace',
      properties: [{ path: 'spec.selector.matchLabels.app', forcesReplacement: true }],
    });
    const tagDiff = diffPlans(
      plan([subnet('10.0.0.0/19')]),
      plan([subnet('10.0.0.0/19', { tier: 'db' })]),
      'x',
    );
    expect(tagDiff.changes[0]?.kind).toBe('update');
  });

  it('quotes keys with dots, and reports added and removed keys with the absent side left out', () => {
    const before = resource('kubernetes:core/v1:ConfigMap', 'env', {
      metadata: { labels: { 'app.kubernetes.io/name': 'api' } },
    });
    const after = resource('kubernetes:core/v1:ConfigMap', 'env', {
      metadata: { labels: {} },
      data: { A: '1' },
    });
    expect(diffPlans(plan([before]), plan([after]), 'x').changes[0]?.properties).toEqual([
      { path: 'metadata.labels["app.kubernetes.io/name"]', old: 'api', forcesReplacement: false },
      { path: 'data', new: { A: '1' }, forcesReplacement: true },
    ]);
  });

  it('never shows a secret value, even when the base revision did not redact it', () => {
    const diff = diffPlans(plan([deployment('api:1')]), plan([deployment('api:1', 'api', 'hunter3')]), 'x');
    expect(JSON.stringify(diff)).not.toMatch(/hunter/);
  });
});
