import { spawnSync } from 'node:child_process';
import { repoRoot } from './render';

/**
 * Validates External Secrets objects against the operator's `external-secrets.io/v1` OpenAPI schema
 * (@kubernetes-models/external-secrets 2, generated from the operator's v1 API types). That package
 * is ES modules only, which jest's CommonJS runtime cannot load, so a Node child process imports it
 * and validates. Returns one line per object the schema rejects, whose kind it does not know, or whose
 * API the pinned operator no longer serves (anything but `v1`: 0.17 stopped serving `v1beta1`).
 */
export function externalSecretsSchemaFailures(
  objects: { apiVersion: string; kind: string; metadata?: { name?: string } }[],
): string[] {
  const served = objects.filter((o) => o.apiVersion === 'external-secrets.io/v1');
  const retired = objects
    .filter((o) => !served.includes(o))
    .map((o) => `${o.kind} ${o.metadata?.name ?? '?'}: no schema for ${o.apiVersion} ${o.kind} (not served)`);
  if (served.length === 0) return retired;
  const script = `
    const objects = JSON.parse(await new Promise((done) => {
      let text = '';
      process.stdin.on('data', (chunk) => (text += chunk)).on('end', () => done(text));
    }));
    const failures = [];
    for (const object of objects) {
      const [group, version] = object.apiVersion.split('/');
      let Model;
      try {
        Model = (await import('@kubernetes-models/external-secrets/' + group + '/' + version))[object.kind];
      } catch {}
      const name = object.kind + ' ' + (object.metadata?.name ?? '?');
      if (!Model) { failures.push(name + ': no schema for ' + object.apiVersion + ' ' + object.kind); continue; }
      try { new Model(object).validate(); } catch (error) { failures.push(name + ': ' + error.message); }
    }
    process.stdout.write(JSON.stringify(failures));
  `;
  const result = spawnSync(process.execPath, ['--input-type=module', '-e', script], {
    cwd: repoRoot,
    input: JSON.stringify(served),
    encoding: 'utf8',
  });
  if (result.status !== 0) throw new Error(`schema validation did not run: ${result.stderr}`);
  return [...retired, ...(JSON.parse(result.stdout) as string[])];
}
