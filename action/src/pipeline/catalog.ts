import { parse as parseYaml } from 'yaml';
import { dataStoresKey } from '../../../infra/config/data-load';
import { catalogFile } from '../../../infra/config/files';
import { messageOf } from '../errors';

/**
 * The services the catalog (services.yaml) declares: its top-level keys but the reserved data stores key.
 * Only the names: the catalog's own loader validates the rest when the programs run.
 */
export function catalogServices(text: string): string[] {
  let data: unknown;
  try {
    data = parseYaml(text);
  } catch (error) {
    throw new Error(`${catalogFile}: not valid YAML: ${messageOf(error).split('\n')[0]}`);
  }
  if (data === null || typeof data !== 'object') return [];
  return Object.keys(data).filter((key) => key !== dataStoresKey);
}

/**
 * pipeline.yaml builds an image for each service and the catalog runs one: the two lists must be the same,
 * or a service would run with no image (or an image would be built for nothing). Each difference is one
 * line naming both files.
 */
export function catalogMismatches(pipelineFile: string, built: string[], declared: string[]): string[] {
  return [
    ...built
      .filter((service) => !declared.includes(service))
      .map(
        (service) =>
          `${pipelineFile}: services.${service}: not a service of ${catalogFile} (declare it there, or stop building it)`,
      ),
    ...declared
      .filter((service) => !built.includes(service))
      .map(
        (service) =>
          `${catalogFile}: ${service}: ${pipelineFile} builds no image for it (add services.${service} with its build context there)`,
      ),
  ];
}
