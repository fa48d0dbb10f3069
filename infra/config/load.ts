import { parse as parseYaml } from 'yaml';
import { z } from 'zod';
import { checkDataUses, dataStoresKey, loadDataStores } from './data-load';
import type { DataStore } from './data-stores';
import { tierDefaults } from './defaults';
import { ConfigError, keyPath, reservedKeyProblems, yamlErrorLine } from './errors';
import { issueLines } from './issues';
import { catalogFile } from './files';
import { projects, projectStackFile, projectStackKeys, type ProjectName, type StackKey } from './projects';
import { checkPlatformRules } from './rules';
import { platformSchema, type PlatformSettings } from './schema';
import { catalogSchema, overridableIngressKeys, overridableKeys, type ServiceSpec } from './services';
import { checkServiceRules } from './service-rules';
import { tiers, type Tier } from './tiers';
import { stackDefaults } from '../settings/derive';
import type { Settings } from '../settings/schema';

export const namespace = 'slipway';

export interface PlatformConfig extends PlatformSettings {
  stack: string;
  services: ServiceSpec[];
  /**
   * Image digest per service that the pipeline passed for this run (apps only, never in a committed
   * file): the services it names roll to it, the others keep the digest they run.
   */
  images: Record<string, string>;
  /** The catalog's data stores, sized for this stack. */
  dataStores: DataStore[];
}

/** What the loader reads: the stack's flat Pulumi config and the text of the service catalog. */
export interface ConfigSource {
  stack: string;
  /** Flat Pulumi config, `namespace:key` → value (structured values as JSON text). */
  values: Record<string, string>;
  catalogText: string;
  /**
   * Whose stack file this is: it decides the keys the file may hold and how errors name it. Without
   * one, the values are a whole environment's (both projects' keys in one `Pulumi.<stack>.yaml`), as a
   * check of the config model alone reads them.
   */
  project?: ProjectName;
  /**
   * slipway.yaml, when the repository has one: the admin role, API access ranges, certificate and ingress
   * host of the stack's environment, under what the stack file states.
   */
  settings?: Settings;
  /** The platform's Pulumi project (`pulumi.getProject()` of the platform program): it names the pipeline's roles. */
  platformProject?: string;
}

const imageDigest = z.string().regex(/^sha256:[0-9a-f]{64}$/, 'must be an image digest (sha256:<64 hex>)');

/**
 * Merges the tier's defaults with what the stack file states, validates everything, and returns the
 * typed config. Any problem throws a ConfigError listing them all; nothing partial comes back.
 */
export function loadPlatformConfig(source: ConfigSource): PlatformConfig {
  const project = source.project;
  const file = projectStackFile(project ?? 'platform', source.stack);
  const problems: string[] = [];
  const stated = readStackValues(source.values, file, project, source.stack, problems);
  const derived = source.settings
    ? stackDefaults(source.settings, source.stack, source.platformProject)
    : undefined;
  for (const [key, value] of Object.entries(derived?.sections ?? {})) {
    (stated as Record<string, unknown>)[key] = deepMerge(value, stated[key as keyof typeof stated]);
  }

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
    edge: stated.edge,
    quota: stated.quota,
    ingress: stated.ingress,
  });

  const settings = platformSchema.safeParse(merged);
  if (!settings.success)
    problems.push(
      ...issueLines(settings.error, (path) => `${file}: ${platformKey(path)}`, platformSchema, merged),
    );
  else
    problems.push(
      ...checkPlatformRules(settings.data).map((p) => `${file}: ${platformKey(p.path)}: ${p.message}`),
    );

  const services = loadServices(
    source.catalogText,
    stated.services,
    source.stack,
    file,
    problems,
    derived?.host,
  );
  // The service rules are about how the services run (replicas, quota, ingress): the apps' concern.
  if (settings.success && services && project !== 'platform') {
    problems.push(...checkServiceRules(services.running, settings.data, file, services.absent));
  }
  const dataStores = loadDataStores(
    catalogSection(source.catalogText),
    stated.dataStores,
    tier,
    file,
    problems,
  );
  if (services && dataStores) problems.push(...checkDataUses(services.running, dataStores));
  const images = services ? loadImages(stated.images, services.running, file, problems) : {};
  if (problems.length > 0 || !settings.success || !services || !dataStores) throw new ConfigError(problems);
  return { ...settings.data, stack: source.stack, services: services.running, dataStores, images };
}

function readStackValues(
  values: Record<string, string>,
  file: string,
  project: ProjectName | undefined,
  stack: string,
  problems: string[],
) {
  const keys: readonly string[] = project
    ? projectStackKeys[project]
    : [...new Set(projects.flatMap((each) => projectStackKeys[each]))];
  const stated: Partial<Record<StackKey, unknown>> = {};
  for (const [fullKey, text] of Object.entries(values)) {
    const [ns, key] = fullKey.split(':', 2) as [string, string];
    if (ns !== namespace) continue;
    if (key === 'database') {
      problems.push(
        `${file}: ${fullKey}: moved: declare the database in ${catalogFile} under ${dataStoresKey} and size it under ${namespace}:dataStores.<store>`,
      );
      continue;
    }
    if (!keys.includes(key)) {
      const owner = projects.find((other) => (projectStackKeys[other] as readonly string[]).includes(key));
      problems.push(
        owner && project
          ? `${file}: ${fullKey}: belongs to the ${owner} project (${projectStackFile(owner, stack)}), not the ${project}`
          : `${file}: ${fullKey}: unknown key (expected one of ${keys.join(', ')})`,
      );
      continue;
    }
    const value = parseValue(text);
    const reserved = reservedKeyProblems(value, file, fullKey);
    if (reserved.length > 0) {
      problems.push(...reserved);
      continue;
    }
    stated[key as StackKey] = value;
  }
  if (values['aws:region'] === undefined) problems.push(`${file}: aws:region: is required`);
  return stated;
}

/**
 * The catalog with the stack's overrides merged in, validated as one, then cut to the services this
 * stack runs. A problem names the file that holds the bad value: the stack file for a key it sets,
 * the catalog otherwise.
 */
function loadServices(
  catalogText: string,
  overrides: unknown,
  stack: string,
  file: string,
  problems: string[],
  defaultHost?: string,
): { running: ServiceSpec[]; absent: string[] } | undefined {
  let catalogData: unknown;
  try {
    catalogData = parseYaml(catalogText);
  } catch (error) {
    problems.push(yamlErrorLine(catalogFile, error));
    return undefined;
  }
  if (!isPlainObject(catalogData)) {
    const found = Array.isArray(catalogData)
      ? 'a list'
      : catalogData === null || catalogData === undefined
        ? 'an empty file'
        : `the ${typeof catalogData} ${JSON.stringify(catalogData).slice(0, 40)}`;
    problems.push(`${catalogFile}:1:1: must map service names to their settings, got ${found}`);
    return undefined;
  }
  const reserved = reservedKeyProblems(catalogData, catalogFile, '');
  if (reserved.length > 0) {
    problems.push(...reserved);
    return undefined;
  }
  const stackKey = (path: readonly PropertyKey[]) => keyPath(`${namespace}:services`, path);
  const stated = checkOverrideKeys(overrides ?? {}, file, stackKey, problems);
  if (!stated) return undefined;
  // The reserved `dataStores` key is the data stores' (loadDataStores), not a service.
  const merged: Record<string, unknown> = withDefaultHost(
    Object.fromEntries(Object.entries(catalogData).filter(([key]) => key !== dataStoresKey)),
    defaultHost,
  );
  for (const [name, override] of Object.entries(stated)) {
    if (!(name in merged)) {
      problems.push(`${file}: ${stackKey([name])}: no such service in ${catalogFile}`);
      continue;
    }
    // A service the catalog leaves empty (`worker:` alone) is reported as such by the catalog schema.
    const declared = merged[name];
    if (isPlainObject(declared)) merged[name] = deepMerge(declared, override);
  }
  const catalog = catalogSchema.safeParse(merged);
  if (!catalog.success) {
    // An ingress names no host when neither the catalog nor slipway.yaml does: say where it would come from.
    const noHost = `(the catalog names none, and slipway.yaml gives no ${stack} environment a domain)`;
    problems.push(
      ...issueLines(
        catalog.error,
        (path) =>
          setBy(stated, path) ? `${file}: ${stackKey(path)}` : `${catalogFile}: ${keyPath('', path)}`,
        catalogSchema,
        merged,
      ).map((line) =>
        defaultHost === undefined && /^[^:]+: [\w-]+\.ingress\.host: is required$/.test(line)
          ? `${line} ${noHost}`
          : line,
      ),
    );
    return undefined;
  }
  const all = Object.entries(catalog.data).map(([name, spec]) => ({ name, ...spec }));
  const runs = (service: ServiceSpec) =>
    service.enabled && (service.stacks === undefined || service.stacks.includes(stack));
  const absent = new Set(all.filter((service) => !runs(service)).map((service) => service.name));
  const services = all.filter((service) => !absent.has(service.name));
  for (const service of services) {
    service.calls.forEach((callee, index) => {
      if (absent.has(callee)) {
        problems.push(
          `${catalogFile}: ${service.name}.calls[${index}]: calls "${callee}", which the ${stack} stack leaves out (${leftOutBecause(all, callee, stack)})`,
        );
      }
    });
  }
  return { running: services, absent: [...absent] };
}

function leftOutBecause(all: ServiceSpec[], name: string, stack: string): string {
  const service = all.find((s) => s.name === name);
  if (service && !service.enabled) return `${catalogFile}: ${name}.enabled is false`;
  return `${catalogFile}: ${name}.stacks does not list ${stack}`;
}

/**
 * A stack may set only some keys of a service (`overridableKeys`); everything else is the catalog's.
 * Checked before merging, so a misplaced key is named in the stack file rather than lost.
 */
function checkOverrideKeys(
  overrides: unknown,
  file: string,
  stackKey: (path: readonly PropertyKey[]) => string,
  problems: string[],
): Record<string, Record<string, unknown>> | undefined {
  if (!isPlainObject(overrides)) {
    problems.push(`${file}: ${stackKey([])}: must map service names to their settings`);
    return undefined;
  }
  const before = problems.length;
  for (const [name, override] of Object.entries(overrides)) {
    if (!isPlainObject(override)) {
      problems.push(`${file}: ${stackKey([name])}: must be an object of settings`);
      continue;
    }
    for (const [key, value] of Object.entries(override)) {
      if (key === 'enabled') {
        problems.push(
          `${file}: ${stackKey([name, key])}: not a key a stack sets: the stacks a service runs in are the catalog's (${catalogFile}: ${name}.stacks), which both projects read`,
        );
      } else if (key === 'imageTag') {
        problems.push(
          `${file}: ${stackKey([name, key])}: not a key a stack sets: images come from the pipeline, by digest (${namespace}:images, never committed)`,
        );
      } else if (!(overridableKeys as readonly string[]).includes(key)) {
        problems.push(
          `${file}: ${stackKey([name, key])}: not a key a stack sets (a stack sets ${overridableKeys.join(', ')})`,
        );
      } else if (key === 'ingress' && isPlainObject(value)) {
        for (const inner of Object.keys(value)) {
          if (!(overridableIngressKeys as readonly string[]).includes(inner)) {
            problems.push(
              `${file}: ${stackKey([name, key, inner])}: not a key a stack sets (the route is the catalog's; a stack sets the host)`,
            );
          }
        }
      }
    }
  }
  return problems.length === before ? (overrides as Record<string, Record<string, unknown>>) : undefined;
}

/** Whether the stack's overrides hold the value at `path` (or replace an array or scalar above it). */
function setBy(overrides: Record<string, unknown>, path: readonly PropertyKey[]): boolean {
  let node: unknown = overrides;
  for (const part of path) {
    if (!isPlainObject(node) || !(String(part) in node)) return false;
    node = node[String(part)];
    if (!isPlainObject(node)) return true;
  }
  return true;
}

/** The digests the pipeline passed: each for a catalog service, each a digest, never a tag. */
function loadImages(
  stated: unknown,
  services: ServiceSpec[],
  file: string,
  problems: string[],
): Record<string, string> {
  const schema = z.record(z.string(), imageDigest);
  const result = schema.safeParse(stated ?? {});
  if (!result.success) {
    const where = (path: PropertyKey[]) => `${file}: ${keyPath(`${namespace}:images`, path)}`;
    problems.push(...issueLines(result.error, where, schema, stated ?? {}));
    return {};
  }
  const names = new Set(services.map((service) => service.name));
  for (const name of Object.keys(result.data)) {
    if (!names.has(name))
      problems.push(`${file}: ${namespace}:images.${name}: no such service in ${catalogFile}`);
  }
  return result.data;
}

/**
 * The catalog with the environment's domain (slipway.yaml) as the host of every ingress that names none, so
 * the catalog says which services are public and on what path, and slipway.yaml says under which name.
 */
function withDefaultHost(catalogData: unknown, host: string | undefined): Record<string, unknown> {
  const catalog = { ...(catalogData as Record<string, unknown>) };
  if (host === undefined) return catalog;
  for (const [name, spec] of Object.entries(catalog)) {
    if (!isPlainObject(spec) || !isPlainObject(spec.ingress) || spec.ingress.host !== undefined) continue;
    catalog[name] = { ...spec, ingress: { host, ...spec.ingress } };
  }
  return catalog;
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
