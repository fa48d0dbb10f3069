import { parse as parseYaml } from 'yaml';
import type { z } from 'zod';
import { checkDataUses, dataStoresKey, loadDataStores } from './data-load';
import type { DataStore } from './data-stores';
import { tierDefaults } from './defaults';
import { ConfigError, keyPath } from './errors';
import { catalogFile, stackFileName } from './files';
import { checkPlatformRules } from './rules';
import { platformSchema, type PlatformSettings } from './schema';
import { catalogSchema, stackServicesSchema, type ServiceSpec } from './services';
import { checkServiceRules } from './service-rules';
import { tiers, type Tier } from './tiers';

export const namespace = 'slipway';

export interface PlatformConfig extends PlatformSettings {
  stack: string;
  services: ServiceSpec[];
  /** The catalog's data stores, sized for this stack. */
  dataStores: DataStore[];
}

/** What the loader reads: the stack's flat Pulumi config and the text of the service catalog. */
export interface ConfigSource {
  stack: string;
  /** Flat Pulumi config, `namespace:key` → value (structured values as JSON text). */
  values: Record<string, string>;
  catalogText: string;
}

const stackKeys = [
  'tier',
  'network',
  'cluster',
  'dataStores',
  'registry',
  'quota',
  'ingress',
  'services',
] as const;

/**
 * Merges the tier's defaults with what the stack file states, validates everything, and returns the
 * typed config. Any problem throws a ConfigError listing them all; nothing partial comes back.
 */
export function loadPlatformConfig(source: ConfigSource): PlatformConfig {
  const file = stackFileName(source.stack);
  const problems: string[] = [];
  const stated = readStackValues(source.values, file, problems);

  const tierResult = platformSchema.shape.tier.safeParse(stated.tier);
  if (!tierResult.success) {
    throw new ConfigError([`${file}: ${namespace}:tier: must be one of ${tiers.join(', ')}`]);
  }
  const tier: Tier = tierResult.data;
  const merged = deepMerge(tierDefaults[tier], {
    tier,
    region: source.values['aws:region'],
    network: stated.network,
    cluster: stated.cluster,
    registry: stated.registry,
    quota: stated.quota,
    ingress: stated.ingress,
  });

  const settings = platformSchema.safeParse(merged);
  if (!settings.success) problems.push(...describeIssues(settings.error, file, platformKey));
  else
    problems.push(
      ...checkPlatformRules(settings.data).map((p) => `${file}: ${platformKey(p.path)}: ${p.message}`),
    );

  const services = loadServices(source.catalogText, stated.services, file, problems);
  if (settings.success && services) {
    problems.push(...checkServiceRules(services, settings.data, file));
  }
  const dataStores = loadDataStores(
    catalogSection(source.catalogText),
    stated.dataStores,
    tier,
    file,
    problems,
  );
  if (services && dataStores) problems.push(...checkDataUses(services, dataStores));
  if (problems.length > 0 || !settings.success || !services || !dataStores) throw new ConfigError(problems);
  return { ...settings.data, stack: source.stack, services, dataStores };
}

function readStackValues(values: Record<string, string>, file: string, problems: string[]) {
  const stated: Partial<Record<(typeof stackKeys)[number], unknown>> = {};
  for (const [fullKey, text] of Object.entries(values)) {
    const [ns, key] = fullKey.split(':', 2) as [string, string];
    if (ns !== namespace) continue;
    if (key === 'database') {
      problems.push(
        `${file}: ${fullKey}: moved: declare the database in ${catalogFile} under ${dataStoresKey} and size it under ${namespace}:dataStores.<store>`,
      );
      continue;
    }
    if (!(stackKeys as readonly string[]).includes(key)) {
      problems.push(`${file}: ${fullKey}: unknown key (expected one of ${stackKeys.join(', ')})`);
      continue;
    }
    stated[key as (typeof stackKeys)[number]] = parseValue(text);
  }
  if (values['aws:region'] === undefined) problems.push(`${file}: aws:region: is required`);
  return stated;
}

function loadServices(
  catalogText: string,
  overrides: unknown,
  file: string,
  problems: string[],
): ServiceSpec[] | undefined {
  let catalogData: unknown;
  try {
    catalogData = parseYaml(catalogText);
  } catch (error) {
    problems.push(`${catalogFile}: not valid YAML: ${(error as Error).message.split('\n')[0]}`);
    return undefined;
  }
  const overridesResult = stackServicesSchema.safeParse(overrides ?? {});
  if (!overridesResult.success) {
    problems.push(
      ...describeIssues(overridesResult.error, file, (path) => keyPath(`${namespace}:services`, path)),
    );
    return undefined;
  }
  // The reserved `dataStores` key is the data stores' (loadDataStores), not a service.
  const merged: Record<string, unknown> = Object.fromEntries(
    Object.entries((catalogData ?? {}) as Record<string, unknown>).filter(([key]) => key !== dataStoresKey),
  );
  for (const [name, override] of Object.entries(overridesResult.data)) {
    if (!(name in merged)) {
      problems.push(`${file}: ${namespace}:services.${name}: no such service in ${catalogFile}`);
      continue;
    }
    merged[name] = deepMerge(merged[name] as Record<string, unknown>, override);
  }
  const catalog = catalogSchema.safeParse(merged);
  if (!catalog.success) {
    problems.push(...describeIssues(catalog.error, catalogFile, (path) => keyPath('', path)));
    return undefined;
  }
  return Object.entries(catalog.data).map(([name, spec]) => ({ name, ...spec }));
}

/** The catalog's `dataStores` section; an unreadable catalog is reported by loadServices. */
function catalogSection(catalogText: string): unknown {
  try {
    const data: unknown = parseYaml(catalogText);
    return isPlainObject(data) ? data[dataStoresKey] : undefined;
  } catch {
    return undefined;
  }
}

function platformKey(path: readonly PropertyKey[]): string {
  const [head, ...rest] = path;
  return head === 'region' ? 'aws:region' : keyPath(`${namespace}:${String(head)}`, rest);
}

function describeIssues(error: z.ZodError, file: string, key: (path: PropertyKey[]) => string): string[] {
  return error.issues.map((issue) => {
    if (issue.code === 'unrecognized_keys') {
      return issue.keys.map((k) => `${file}: ${key([...issue.path, k])}: unknown key`).join('\n');
    }
    return `${file}: ${key(issue.path)}: ${issue.message}`;
  });
}

function parseValue(text: string): unknown {
  try {
    return JSON.parse(text);
  } catch {
    return text;
  }
}

const isPlainObject = (value: unknown): value is Record<string, unknown> =>
  typeof value === 'object' && value !== null && !Array.isArray(value);

/** Objects merge key by key; arrays and scalars from `override` replace the base. */
export function deepMerge(base: Record<string, unknown>, override: unknown): Record<string, unknown> {
  if (!isPlainObject(override)) return base;
  const result: Record<string, unknown> = { ...base };
  for (const [key, value] of Object.entries(override)) {
    if (value === undefined) continue;
    result[key] = isPlainObject(value) && isPlainObject(base[key]) ? deepMerge(base[key], value) : value;
  }
  return result;
}
