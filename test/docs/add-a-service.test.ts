import { readFileSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { parse as parseYaml } from 'yaml';
import { ConfigError } from '../../infra/config/errors';
import { loadPlatformConfig } from '../../infra/config/load';
import { readSettings } from '../../infra/settings/load';
import type { OfflineRun } from '../../offline/engine';
import { copyProject, editYaml } from '../../offline/project-copy';
import { runApps, runPlatform } from '../../offline/projects';
import { readStackFiles } from '../../offline/stack-files';
import { renderApps, renderStack, repoRoot } from '../support/render';

/**
 * Follows docs/guides/add-a-service.md as written: its YAML blocks are applied, in order, to a copy of the
 * project, and what the guide says happens is what the offline engine renders.
 */
const guide = readFileSync(join(repoRoot, 'docs', 'guides', 'add-a-service.md'), 'utf8');
const [catalogEntry = '', pipelineEntry = '', quotaEntry = ''] = [
  ...guide.matchAll(/```yaml\n([\s\S]*?)```/g),
].map((block) => block[1] ?? '');
const quotedError = /`(infra\/apps\/Pulumi\.dev\.yaml: slipway:quota[^`]*)`/.exec(
  guide.replace(/\n/g, ' '),
)?.[1];
const appsDir = (root: string) => join(root, 'infra', 'apps');

const project = copyProject();
afterAll(() => rmSync(project, { recursive: true, force: true }));

const newService = Object.keys(parseYaml(catalogEntry) as object)[0] ?? '';

beforeAll(() => {
  writeFileSync(
    join(project, 'services.yaml'),
    `${readFileSync(join(project, 'services.yaml'), 'utf8')}\n${catalogEntry}`,
  );
  editYaml(join(project, 'services.yaml'), (catalog) => {
    const api = catalog.api as { calls?: string[] };
    api.calls = [...(api.calls ?? []), newService];
  });
});

const key = (r: OfflineRun['resources'][number]) => `${r.type}::${r.name}`;
/** What the second render creates and updates against the first, by logical name. */
function changes(before: OfflineRun, after: OfflineRun) {
  const old = new Map(before.resources.map((r) => [key(r), r]));
  return {
    created: after.resources.filter((r) => !old.has(key(r))),
    updated: after.resources
      .filter((r) => old.has(key(r)) && JSON.stringify(old.get(key(r))?.inputs) !== JSON.stringify(r.inputs))
      .map((r) => r.name)
      .sort(),
  };
}

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
        values: readStackFiles(appsDir(project), 'dev').config,
        catalogText: readFileSync(join(project, 'services.yaml'), 'utf8'),
        project: 'apps',
        settings: readSettings(project),
      });
    expect(loadDev).toThrow(ConfigError);
    expect(loadDev).toThrow(quotedError);
    editYaml(join(appsDir(project), 'Pulumi.dev.yaml'), (file) => {
      Object.assign(file.config as object, parseYaml(quotaEntry));
    });
    expect(loadDev).not.toThrow();
    const platform = await runPlatform({ repoDir: project, stack: 'dev' });
    const dev = await runApps({ repoDir: project, stack: 'dev', platformOutputs: platform.outputs });
    expect(dev.resources.some((r) => r.name === `workloads-${newService}-deployment`)).toBe(true);
  });

  it('creates 15 resources in staging across the two projects and updates exactly the one the guide names', async () => {
    const platform = await runPlatform({ repoDir: project, stack: 'staging' });
    // The platform has created the repository; the pipeline's push then gives the service its image.
    const apps = await runApps({ repoDir: project, stack: 'staging', platformOutputs: platform.outputs });
    const inPlatform = changes(await renderStack('staging'), platform);
    const inApps = changes(await renderApps('staging'), apps);
    expect(inPlatform.created).toHaveLength(4);
    expect(inApps.created).toHaveLength(11);
    expect(guide).toContain('**15 creates**');
    expect(guide).toMatch(/platform creates 4/);
    expect(guide).toMatch(/apps create 11/);
    expect(inPlatform.updated).toEqual([]);
    expect(inApps.updated).toEqual(['workloads-api-egress-policy']);
    expect(guide).toContain('**1 update**');
  });
});
