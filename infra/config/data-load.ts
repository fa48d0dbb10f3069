import { z } from 'zod';
import {
  dataStoresSchema,
  defaultOwnName,
  engineParts,
  engineSettingsSchemas,
  templateParts,
  type DataStore,
  type Engine,
} from './data-stores';
import { dataStoreDefaults } from './defaults';
import { keyPath } from './errors';
import { issueLines } from './issues';
import { catalogFile } from './files';
import type { ServiceSpec } from './services';
import type { Tier } from './tiers';

/** The catalog's reserved top-level key: never a service name (those are lowercase DNS labels). */
export const dataStoresKey = 'dataStores';

const stackOverridesSchema = z.record(z.string(), z.record(z.string(), z.unknown()));

/** Objects merge key by key; arrays and scalars from `override` replace the base. */
function mergeSettings(base: Record<string, unknown>, override: Record<string, unknown>) {
  const result: Record<string, unknown> = { ...base };
  for (const [key, value] of Object.entries(override)) if (value !== undefined) result[key] = value;
  return result;
}

/**
 * The stack's data stores: each declared in the catalog's `dataStores`, sized by the tier's defaults
 * for its engine merged with what the stack file says under `slipway:dataStores.<store>`. Problems
 * are pushed one line each, naming the file and key; undefined when there were any.
 */
export function loadDataStores(
  declared: unknown,
  overrides: unknown,
  tier: Tier,
  stackFile: string,
  problems: string[],
): DataStore[] | undefined {
  const before = problems.length;
  const catalog = dataStoresSchema.safeParse(declared ?? {});
  if (!catalog.success) {
    const key = (path: PropertyKey[]) => keyPath(dataStoresKey, path);
    problems.push(
      ...issueLines(
        catalog.error,
        (path) => `${catalogFile}: ${key(path)}`,
        dataStoresSchema,
        declared ?? {},
      ),
    );
  }
  const stated = stackOverridesSchema.safeParse(overrides ?? {});
  if (!stated.success) {
    const key = (path: PropertyKey[]) => keyPath('slipway:dataStores', path);
    problems.push(
      ...issueLines(
        stated.error,
        (path) => `${stackFile}: ${key(path)}`,
        stackOverridesSchema,
        overrides ?? {},
      ),
    );
  }
  if (!catalog.success || !stated.success) return undefined;

  for (const name of Object.keys(stated.data)) {
    if (!(name in catalog.data)) {
      problems.push(
        `${stackFile}: slipway:dataStores.${name}: no such data store in ${catalogFile} (${dataStoresKey}: ${Object.keys(catalog.data).join(', ') || 'none declared'})`,
      );
    }
  }
  const stores: DataStore[] = [];
  for (const [name, spec] of Object.entries(catalog.data)) {
    const engine: Engine = spec.engine;
    const merged = mergeSettings(dataStoreDefaults[tier][engine], stated.data[name] ?? {});
    const settings = engineSettingsSchemas[engine].safeParse(merged);
    if (!settings.success) {
      const key = (path: PropertyKey[]) => keyPath(`slipway:dataStores.${name}`, path);
      problems.push(
        ...issueLines(
          settings.error,
          (path) => `${stackFile}: ${key(path)}`,
          engineSettingsSchemas[engine],
          merged,
        ),
      );
      continue;
    }
    stores.push({ name, engine, spec, settings: settings.data } as DataStore);
  }
  problems.push(...checkDataStoreRules(stores, tier, stackFile));
  return problems.length > before ? undefined : stores;
}

/**
 * What a tier asks of each store whatever the stack file says: prod keeps its data through an
 * outage of one AZ, a stray delete and two weeks of mistakes, as the RDS instance always had to.
 */
export function checkDataStoreRules(stores: DataStore[], tier: Tier, stackFile: string): string[] {
  const problems: string[] = [];
  for (const store of stores) {
    const at = (key: string) => `${stackFile}: slipway:dataStores.${store.name}.${key}`;
    const prod = tier === 'prod';
    switch (store.engine) {
      case 'postgres':
      case 'mysql': {
        const s = store.settings;
        if (s.allocatedStorageGiB > s.maxAllocatedStorageGiB) {
          problems.push(
            `${at('allocatedStorageGiB')}: ${s.allocatedStorageGiB} exceeds maxAllocatedStorageGiB ${s.maxAllocatedStorageGiB}`,
          );
        }
        if (prod) {
          if (!s.deletionProtection)
            problems.push(`${at('deletionProtection')}: prod needs deletion protection`);
          if (!s.multiAz) problems.push(`${at('multiAz')}: prod needs a Multi-AZ database`);
          if (s.skipFinalSnapshot)
            problems.push(`${at('skipFinalSnapshot')}: prod must take a final snapshot`);
          if (s.backupRetentionDays < 14)
            problems.push(`${at('backupRetentionDays')}: prod keeps backups for at least 14 days`);
        }
        break;
      }
      case 'redis': {
        const s = store.settings;
        if (prod) {
          if (s.replicas < 1)
            problems.push(`${at('replicas')}: prod needs at least 1 replica (failover to another AZ)`);
          if (s.snapshotRetentionDays < 7)
            problems.push(`${at('snapshotRetentionDays')}: prod keeps snapshots for at least 7 days`);
          if (!s.finalSnapshot) problems.push(`${at('finalSnapshot')}: prod must take a final snapshot`);
        }
        break;
      }
      case 'rabbitmq': {
        const s = store.settings;
        if (s.deploymentMode === 'CLUSTER_MULTI_AZ' && s.instanceType.startsWith('mq.t3.')) {
          problems.push(`${at('instanceType')}: ${s.instanceType} runs single-instance brokers only`);
        }
        if (prod && s.deploymentMode !== 'CLUSTER_MULTI_AZ')
          problems.push(`${at('deploymentMode')}: prod needs a CLUSTER_MULTI_AZ broker`);
        break;
      }
      case 'documentdb': {
        const s = store.settings;
        if (prod) {
          if (s.instances < 2)
            problems.push(`${at('instances')}: prod needs at least 2 instances (a replica in another AZ)`);
          if (!s.deletionProtection)
            problems.push(`${at('deletionProtection')}: prod needs deletion protection`);
          if (s.skipFinalSnapshot)
            problems.push(`${at('skipFinalSnapshot')}: prod must take a final snapshot`);
          if (s.backupRetentionDays < 14)
            problems.push(`${at('backupRetentionDays')}: prod keeps backups for at least 14 days`);
        }
        break;
      }
      case 'sqs':
        break;
    }
  }
  return problems;
}

const ownDatabaseEngines: readonly Engine[] = ['postgres', 'mysql', 'documentdb'];

/** The database (postgres, mysql, documentdb) or vhost (rabbitmq) a service owns in a store. */
export function ownNameIn(store: DataStore, service: ServiceSpec): string | undefined {
  const use = service.uses[store.name];
  if (!use) return undefined;
  if (ownDatabaseEngines.includes(store.engine)) return use.database ?? defaultOwnName(service.name);
  if (store.engine === 'rabbitmq') return use.vhost ?? defaultOwnName(service.name);
  return undefined;
}

/** Services that use a store, in catalog order. */
export const clientsOf = (store: DataStore, services: ServiceSpec[]) =>
  services.filter((service) => store.name in service.uses);

/**
 * Each service's `uses`: the store is declared, every `{part}` of a composed variable exists for the
 * engine, each knob fits the engine, no two services own the same database or vhost, and no variable
 * is set twice.
 */
export function checkDataUses(services: ServiceSpec[], stores: DataStore[]): string[] {
  const problems: string[] = [];
  const byName = new Map(stores.map((store) => [store.name, store]));
  const declared = stores.map((store) => store.name).join(', ') || 'none';
  for (const service of services) {
    const setBy = new Map<string, string>(Object.keys(service.env).map((name) => [name, 'env']));
    for (const [storeName, use] of Object.entries(service.uses)) {
      const at = (key: string) => `${catalogFile}: ${service.name}.uses.${storeName}${key ? `.${key}` : ''}`;
      const store = byName.get(storeName);
      if (!store) {
        problems.push(`${at('')}: uses undeclared data store "${storeName}" (${dataStoresKey}: ${declared})`);
        continue;
      }
      const parts = engineParts[store.engine];
      for (const [variable, template] of Object.entries(use.env)) {
        for (const part of templateParts(template)) {
          if (!parts.includes(part)) {
            problems.push(
              `${at(`env.${variable}`)}: unknown part {${part}} (${store.engine} has ${parts.map((p) => `{${p}}`).join(', ')})`,
            );
          }
        }
        const other = setBy.get(variable);
        if (other)
          problems.push(`${at(`env.${variable}`)}: ${variable} is also set by ${service.name}.${other}`);
        else setBy.set(variable, `uses.${storeName}.env`);
      }
      const knob = (key: 'database' | 'vhost' | 'keyPrefix' | 'access', engines: readonly Engine[]) => {
        if (use[key] !== undefined && !engines.includes(store.engine))
          problems.push(`${at(key)}: only for ${engines.join(', ')} stores; ${storeName} is ${store.engine}`);
      };
      knob('database', ownDatabaseEngines);
      knob('vhost', ['rabbitmq']);
      knob('keyPrefix', ['redis']);
      knob('access', ['sqs']);
      if (store.engine === 'sqs' && use.access === undefined)
        problems.push(`${at('access')}: is required for an SQS queue (send, receive or both)`);
    }
  }
  for (const store of stores) {
    const owners = new Map<string, string>();
    for (const service of clientsOf(store, services)) {
      const own = ownNameIn(store, service);
      if (own === undefined) continue;
      const owner = owners.get(own);
      const key = store.engine === 'rabbitmq' ? 'vhost' : 'database';
      if (owner) {
        problems.push(
          `${catalogFile}: ${service.name}.uses.${store.name}.${key}: "${own}" already belongs to ${owner} (each service gets its own)`,
        );
      } else owners.set(own, service.name);
    }
  }
  return problems;
}
