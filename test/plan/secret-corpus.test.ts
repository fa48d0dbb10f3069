import { mkdtempSync, readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { parseAllDocuments } from 'yaml';
import type { RecordedResource } from '../../offline/engine';
import { diffPlans } from '../../plan/diff';
import { renderDiffAs, renderStackAs } from '../../plan/format';
import { writeOut } from '../../plan/out';
import { planOf } from '../../plan/render';
import { renderEnvironment } from '../support/render';
import { plantedSecrets, spellings } from '../support/secret-corpus';

// The corpus planted into a real render of dev: as container environment entries, as ConfigMap data, as
// an Ingress annotation and as an AWS tag, then every output the plan has (text, json and markdown of the
// stack and of the --base diff, and the --out folder) searched for every spelling of every planted value.
function planted(resources: RecordedResource[]): RecordedResource[] {
  const copy = structuredClone(resources);
  const deployment = copy.find((r) => r.type === 'kubernetes:apps/v1:Deployment');
  const configMap = copy.find((r) => r.type === 'kubernetes:core/v1:ConfigMap');
  const ingress = copy.find((r) => r.type === 'kubernetes:networking.k8s.io/v1:Ingress');
  const vpc = copy.find((r) => r.type === 'aws:ec2/vpc:Vpc');
  if (!deployment || !configMap || !ingress || !vpc) throw new Error('the dev render lacks a planted kind');
  const spec = deployment.inputs.spec as { template: { spec: { containers: { env?: unknown[] }[] } } };
  const container = spec.template.spec.containers[0];
  if (!container) throw new Error('no container');
  container.env = [
    ...(container.env ?? []),
    ...plantedSecrets.map((secret) => ({ name: secret.name, value: secret.text })),
  ];
  const data = configMap.inputs.data as Record<string, string>;
  for (const secret of plantedSecrets) data[secret.name] = secret.text;
  const annotations = (ingress.inputs.metadata as { annotations: Record<string, string> }).annotations;
  annotations['nginx.ingress.kubernetes.io/configuration-snippet'] =
    `proxy_set_header Authorization "Bearer ${plantedSecrets[3]?.value}";`;
  (vpc.inputs.tags as Record<string, string>).Owner = plantedSecrets[16]?.text ?? '';
  return copy;
}

function filesUnder(dir: string): string[] {
  return readdirSync(dir, { withFileTypes: true }).flatMap((entry) =>
    entry.isDirectory() ? filesUnder(join(dir, entry.name)) : [join(dir, entry.name)],
  );
}

test('no planted secret reaches any plan output, in any spelling, and no manifest key is renamed', async () => {
  const run = await renderEnvironment('dev');
  const base = planOf(run);
  const current = planOf({ ...run, resources: planted(run.resources) });
  const diff = diffPlans(base, current, 'HEAD~1');
  const out = mkdtempSync(join(process.env.SLIPWAY_TEST_SCRATCH ?? '/tmp', 'corpus-'));
  await writeOut(out, current, diff);
  const outputs: Record<string, string> = {};
  for (const format of ['text', 'json', 'markdown'] as const) {
    outputs[`stack ${format}`] = renderStackAs[format](current);
    outputs[`diff ${format}`] = renderDiffAs[format](diff);
  }
  for (const file of filesUnder(out)) outputs[file] = readFileSync(file, 'utf8');

  const leaks = Object.entries(outputs).flatMap(([where, text]) =>
    plantedSecrets.flatMap((secret) =>
      spellings(secret.value)
        .filter((spelling) => text.includes(spelling))
        .map(() => `${secret.name} in ${where}`),
    ),
  );
  expect([...new Set(leaks)]).toEqual([]);

  // The planted entries are still there, named as planted: only their values went.
  const env = diff.changes.find((c) => c.type === 'kubernetes:apps/v1:Deployment');
  expect(env?.kind).toBe('update');
  expect(outputs['diff markdown']).toContain('DATABASE_URL');
  expect(outputs['diff json']).toContain('postgres://app:[secret]@db.internal:5432/app');
  // Not over-redacted: ordinary values, and the names of the keys an ExternalSecret writes.
  expect(outputs['stack json']).toContain('"LOG_LEVEL": "info"');
  const manifests = filesUnder(join(out, 'manifests')).map((file) => readFileSync(file, 'utf8'));
  const externalSecrets = manifests
    .flatMap((text) => parseAllDocuments(text).map((doc) => doc.toJS() as Record<string, unknown>))
    .filter((object) => object?.kind === 'ExternalSecret');
  // Keys an ExternalSecret writes: each `data` entry's, or each key of its template (a data store's
  // variables, composed by the operator from the service's own credential).
  const secretKeys = externalSecrets.flatMap((object) => {
    const spec = object.spec as {
      data?: { secretKey: string }[];
      target: { template?: { data: Record<string, string> } };
    };
    return [
      ...(spec.data ?? []).map((entry) => entry.secretKey),
      ...Object.keys(spec.target.template?.data ?? {}),
    ];
  });
  expect(secretKeys).toEqual(expect.arrayContaining(['PAYMENT_API_KEY', 'DB_USER', 'DB_PASSWORD']));
  expect(secretKeys).not.toContain('[secret]');
  expect(new Set(secretKeys).size).toBe(secretKeys.length);
});
