import * as k8s from '@pulumi/kubernetes';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { parseAllDocuments } from 'yaml';
import { kubernetesObjects, manifestFiles, toYaml } from '../../plan/manifests';
import type { StackPlan } from '../../plan/model';
import { renderStack } from '../../plan/render';
import { validateAgainstSchema } from './kubernetes-schemas';

const projectDir = mkdtempSync(join(tmpdir(), 'slipway-manifests-'));
writeFileSync(join(projectDir, 'Pulumi.yaml'), 'name: demo\nruntime: nodejs\n');
writeFileSync(
  join(projectDir, 'Pulumi.test.yaml'),
  'config:\n  aws:region: eu-west-1\n  demo:dbPassword:\n    secure: v1:aHVudGVyMg==\n',
);

/** A small program registering the kinds the workloads use, in an order that is not apply order. */
async function program() {
  const labels = { app: 'api' };
  new k8s.apps.v1.Deployment('api', {
    metadata: { name: 'api', namespace: 'apps' },
    spec: {
      selector: { matchLabels: labels },
      template: {
        metadata: { labels },
        spec: {
          serviceAccountName: 'api',
          containers: [{ name: 'api', image: 'api:1', env: [{ name: 'DB_PASSWORD', value: 'hunter2' }] }],
        },
      },
    },
  });
  new k8s.core.v1.ServiceAccount('api-sa', { metadata: { name: 'api', namespace: 'apps' } });
  new k8s.core.v1.Secret('api-secret', {
    metadata: { name: 'api', namespace: 'apps' },
    stringData: { PAYMENT_API_KEY: 'sk_live_123' },
  });
  new k8s.apiextensions.CustomResource('api-external', {
    apiVersion: 'external-secrets.io/v1',
    kind: 'ExternalSecret',
    metadata: { name: 'api', namespace: 'apps' },
    spec: {
      secretStoreRef: { name: 'aws', kind: 'ClusterSecretStore' },
      target: { name: 'api' },
      dataFrom: [{ extract: { key: 'slipway/test/api' } }],
    },
  });
  new k8s.core.v1.Service('worker', {
    metadata: { namespace: 'jobs' },
    spec: { selector: { app: 'worker' }, ports: [{ port: 80, targetPort: 8080 }] },
  });
  new k8s.core.v1.Namespace('apps', { metadata: { name: 'apps' } });
  new k8s.helm.v3.Release('metrics', { chart: 'metrics-server', namespace: 'kube-system' });
  return {};
}

let plan: StackPlan;
beforeAll(async () => {
  plan = await renderStack({ projectDir, stack: 'test', program });
});
afterAll(() => rmSync(projectDir, { recursive: true, force: true }));

describe('manifests', () => {
  it('takes every Kubernetes object and leaves Helm releases out', () => {
    const kinds = kubernetesObjects(plan.resources).map((o) => `${o.kind}/${o.metadata.name}`);
    expect(kinds.sort()).toEqual([
      'Deployment/api',
      'ExternalSecret/api',
      'Namespace/apps',
      'Secret/api',
      'Service/worker',
      'ServiceAccount/api',
    ]);
  });

  it('groups cluster-wide objects first, then one file per namespace in apply order', () => {
    const files = manifestFiles(kubernetesObjects(plan.resources));
    expect(files.map((f) => [f.file, f.objects.map((o) => o.kind)])).toEqual([
      ['00-cluster.yaml', ['Namespace']],
      ['10-apps.yaml', ['ServiceAccount', 'Secret', 'ExternalSecret', 'Deployment']],
      ['10-jobs.yaml', ['Service']],
    ]);
  });

  it('names an object with no metadata.name after its resource, as Pulumi would', () => {
    const service = kubernetesObjects(plan.resources).find((o) => o.kind === 'Service');
    expect(service?.metadata).toEqual({ name: 'worker', namespace: 'jobs' });
  });

  it('writes YAML that parses back and validates against the Kubernetes schemas', () => {
    const files = manifestFiles(kubernetesObjects(plan.resources));
    const documents = files.flatMap((file) => parseAllDocuments(toYaml(file)).map((d) => d.toJS()));
    expect(documents).toHaveLength(6);
    for (const document of documents) expect(() => validateAgainstSchema(document)).not.toThrow();
  });

  it('keeps no secret value: Secret data and secret-named env values are redacted', () => {
    const text = files().join('\n');
    expect(text).not.toContain('sk_live_123');
    expect(text).not.toContain('hunter2');
    const secret = kubernetesObjects(plan.resources).find((o) => o.kind === 'Secret');
    expect(secret?.stringData).toEqual({ PAYMENT_API_KEY: '[secret]' });
  });
});

function files(): string[] {
  return manifestFiles(kubernetesObjects(plan.resources)).map(toYaml);
}
