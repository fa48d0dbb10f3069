import { copyFileSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { parse, stringify } from 'yaml';
import { platformProgram } from '../../../infra/program';
import { runOffline, type OfflineRun } from '../../../offline/engine';
import { repoRoot } from '../../support/render';
import { scratchDir } from '../../support/scratch';

const imageTag = '9f2c1e7a4b3d5f6e8a9b0c1d2e3f4a5b6c7d8e9f';
export const shopCatalogText = readFileSync(join(__dirname, 'shop.services.yaml'), 'utf8');
export const shopServices = Object.keys(parse(shopCatalogText) as Record<string, unknown>).filter(
  (key) => key !== 'dataStores',
);

/**
 * The repository's project with the shop catalog in place of the sample's: the real program and the
 * real stack files, their service overrides swapped for the shop's image tags. Call at module level.
 */
export function shopProject(): (stack: string) => Promise<OfflineRun> {
  const dir = scratchDir('slipway-shop');
  copyFileSync(join(repoRoot, 'Pulumi.yaml'), join(dir, 'Pulumi.yaml'));
  writeFileSync(join(dir, 'services.yaml'), shopCatalogText);
  for (const stack of ['dev', 'staging', 'prod']) {
    const file = parse(readFileSync(join(repoRoot, `Pulumi.${stack}.yaml`), 'utf8')) as {
      config: Record<string, unknown>;
    };
    file.config['slipway:services'] = Object.fromEntries(shopServices.map((name) => [name, { imageTag }]));
    writeFileSync(join(dir, `Pulumi.${stack}.yaml`), stringify(file));
  }
  const runs = new Map<string, Promise<OfflineRun>>();
  return (stack) => {
    let run = runs.get(stack);
    if (!run) {
      // Renders run one at a time: the Pulumi runtime is process-global.
      const previous = Promise.all(runs.values());
      run = previous.then(() => runOffline({ projectDir: dir, stack, program: platformProgram }));
      runs.set(stack, run);
    }
    return run;
  };
}
