import { copyFileSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { parse, stringify } from 'yaml';
import type { OfflineRun } from '../../../offline/engine';
import { runApps, runPlatform } from '../../../offline/projects';
import { repoRoot, sharedRender } from '../../support/render';
import { scratchDir } from '../../support/scratch';

export const shopCatalogText = readFileSync(join(__dirname, 'shop.services.yaml'), 'utf8');
export const shopServices = Object.keys(parse(shopCatalogText) as Record<string, unknown>).filter(
  (key) => key !== 'dataStores',
);

/**
 * The repository's two projects with the shop catalog in place of the sample's: the real programs and
 * the real stack files, the apps' service overrides (the sample's hosts and replicas) left out. A render
 * is the whole environment: the platform's resources and the apps' rendered against its outputs. Call at
 * module level.
 */
export function shopProject(): (stack: string) => Promise<OfflineRun> {
  const dir = scratchDir('slipway-shop');
  copyFileSync(join(repoRoot, 'Pulumi.yaml'), join(dir, 'Pulumi.yaml'));
  writeFileSync(join(dir, 'services.yaml'), shopCatalogText);
  mkdirSync(join(dir, 'infra', 'apps'), { recursive: true });
  copyFileSync(join(repoRoot, 'infra', 'apps', 'Pulumi.yaml'), join(dir, 'infra', 'apps', 'Pulumi.yaml'));
  for (const stack of ['dev', 'staging', 'prod']) {
    copyFileSync(join(repoRoot, `Pulumi.${stack}.yaml`), join(dir, `Pulumi.${stack}.yaml`));
    const apps = parse(readFileSync(join(repoRoot, 'infra', 'apps', `Pulumi.${stack}.yaml`), 'utf8')) as {
      config: Record<string, unknown>;
    };
    delete apps.config['slipway:services'];
    writeFileSync(join(dir, 'infra', 'apps', `Pulumi.${stack}.yaml`), stringify(apps));
  }
  const renderEnvironment = async (stack: string): Promise<OfflineRun> => {
    const platform = await runPlatform({ repoDir: dir, stack });
    const apps = await runApps({ repoDir: dir, stack, platformOutputs: platform.outputs });
    return {
      ...apps,
      resources: [...platform.resources, ...apps.resources],
      outputs: { ...platform.outputs, ...apps.outputs },
    };
  };
  const runs = new Map<string, Promise<OfflineRun>>();
  return (stack) => {
    let run = runs.get(stack);
    if (!run) {
      // Renders run one at a time: the Pulumi runtime is process-global.
      const previous = Promise.all(runs.values());
      // Shared with the other test files that render the shop (the policy pack's), through the cache.
      run = previous.then(() =>
        sharedRender(`shop-${stack}`, `shop/${stack}\n${shopCatalogText}`, () => renderEnvironment(stack)),
      );
      runs.set(stack, run);
    }
    return run;
  };
}
