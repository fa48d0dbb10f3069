import { readFileSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { parse as parseYaml } from 'yaml';
import { ConfigError } from '../../infra/config/errors';
import { loadPlatformConfig } from '../../infra/config/load';
import { readSettings } from '../../infra/settings/load';
import { platformProgram } from '../../infra/program';
import { runOffline, type OfflineRun } from '../../offline/engine';
import { copyProject, editYaml } from '../../offline/project-copy';
import { readStackFiles } from '../../offline/stack-files';
import { renderStack, repoRoot } from '../support/render';

/**
 * Follows docs/guides/add-a-service.md as written: its YAML blocks are applied, in order, to a copy of the
 * project, and what the guide says happens is what the offline engine renders.
 */
const guide = readFileSync(join(repoRoot, 'docs', 'guides', 'add-a-service.md'), 'utf8');
const [catalogEntry = '', pipelineEntry = '', stackEntry = '', quotaEntry = ''] = [
  ...guide.matchAll(/```yaml\n([\s\S]*?)```/g),
].map((block) => block[1] ?? '');
const quotedError = /`(Pulumi\.dev\.yaml: slipway:quota[^`]*)`/.exec(guide.replace(/\n/g, ' '))?.[1];

const project = copyProject();
afterAll(() => rmSync(project, { recursive: true, force: true }));

const newService = Object.keys(parseYaml(catalogEntry) as object)[0] ?? '';
const stackServices = (parseYaml(stackEntry) as Record<string, Record<string, { imageTag: string }>>)[
  'slipway:services'
];

beforeAll(() => {
  writeFileSync(
    join(project, 'services.yaml'),
    `${readFileSync(join(project, 'services.yaml'), 'utf8')}\n${catalogEntry}`,
  );
  editYaml(join(project, 'services.yaml'), (catalog) => {
    const api = catalog.api as { calls?: string[] };
    api.calls = [...(api.calls ?? []), newService];
  });
  for (const stack of ['dev', 'staging', 'prod']) {
    editYaml(join(project, `Pulumi.${stack}.yaml`), (file) => {
      const config = file.config as Record<string, Record<string, unknown>>;
      const services = config['slipway:services'] ?? {};
      const tag = (Object.values(services)[0] as { imageTag: string }).imageTag;
      config['slipway:services'] = {
        ...services,
        [newService]: { ...stackServices?.[newService], imageTag: tag },
      };
    });
  }
});

const render = (stack: string) => runOffline({ projectDir: project, stack, program: platformProgram });
const key = (r: OfflineRun['resources'][number]) => `${r.type}::${r.name}`;

describe('the guide "add a service"', () => {
  it('names a service the pipeline builds from the same context as the catalog', () => {
    const catalog = parseYaml(catalogEntry) as Record<string, { build: { context: string } }>;
    const pipeline = parseYaml(pipelineEntry) as { services: Record<string, { context: string }> };
    expect(pipeline.services[newService]?.context).toBe(catalog[newService]?.build.context);
  });

  it('is refused in dev with the quota line the guide quotes, until the budget it shows is raised', async () => {
    expect(quotedError).toBeDefined();
    // The config check alone: a program that fails half-way leaves the SDK's runtime state behind.
    const loadDev = () =>
      loadPlatformConfig({
        stack: 'dev',
        values: readStackFiles(project, 'dev').config,
        catalogText: readFileSync(join(project, 'services.yaml'), 'utf8'),
        settings: readSettings(project),
      });
    expect(loadDev).toThrow(ConfigError);
    expect(loadDev).toThrow(quotedError);
    editYaml(join(project, 'Pulumi.dev.yaml'), (file) => {
      Object.assign(file.config as object, parseYaml(quotaEntry));
    });
    expect(loadDev).not.toThrow();
    const dev = await render('dev');
    expect(dev.resources.some((r) => r.name === `workloads-${newService}-deployment`)).toBe(true);
  });

  it('creates 11 resources in staging and updates exactly the two the guide names', async () => {
    const before = await renderStack('staging');
    const after = await render('staging');
    const old = new Map(before.resources.map((r) => [key(r), r]));
    const created = after.resources.filter((r) => !old.has(key(r)));
    const updated = after.resources.filter(
      (r) => old.has(key(r)) && JSON.stringify(old.get(key(r))?.inputs) !== JSON.stringify(r.inputs),
    );
    expect(created).toHaveLength(11);
    expect(guide).toContain('**11 creates**');
    expect(updated.map((r) => r.name).sort()).toEqual([
      'addons-external-secrets-policy',
      'workloads-api-egress-policy',
    ]);
    expect(guide).toContain('**2 updates**');
  });
});
