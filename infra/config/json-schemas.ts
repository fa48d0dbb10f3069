import { z } from 'zod';
import { dataStoresKey } from './data-load';
import { dataStoresSchema, engineSettingsSchemas, storeNameSchema } from './data-stores';
import { namespace } from './load';
import { platformSchema } from './schema';
import { catalogSchema, stackServicesSchema } from './services';

/**
 * JSON Schemas of the two files a team edits, generated from the zod schemas the program validates with,
 * for editor completion and checking (the `yaml-language-server` comment on each file's first line).
 * The program stays the judge: cross-field rules (tier minimums, quotas, calls) are not expressible here.
 */

type JsonSchema = Record<string, unknown>;

/** services.yaml: the catalog, every service in full, and the reserved `dataStores` section. */
export function catalogJsonSchema(): JsonSchema {
  const services = z.toJSONSchema(catalogSchema, { io: 'input' }) as JsonSchema;
  const ingress = (
    (services.additionalProperties as JsonSchema | undefined)?.properties as
      Record<string, JsonSchema> | undefined
  )?.ingress;
  // An ingress without a host answers on its environment's domain (slipway.yaml), filled in before the
  // program validates, so editors do not ask for one.
  if (ingress && Array.isArray(ingress.required)) {
    ingress.required = (ingress.required as string[]).filter((key) => key !== 'host');
  }
  return {
    ...services,
    title: 'Slipway service catalog (services.yaml)',
    properties: { [dataStoresKey]: withoutDialect(z.toJSONSchema(dataStoresSchema, { io: 'input' })) },
    propertyNames: { anyOf: [services.propertyNames as JsonSchema, { const: dataStoresKey }] },
  };
}

/** `slipway:dataStores`: per store, any key of its engine's settings (the program checks which engine). */
const dataStoreOverridesSchema = z
  .record(storeNameSchema, z.union(Object.values(engineSettingsSchemas).map((schema) => schema.partial())))
  .describe("per data store of the catalog, what differs from its engine's tier defaults");

/**
 * Pulumi.<stack>.yaml of the platform project. A stack file states only what differs from its tier, so
 * every object reached through keys is optional all the way down; list items (node groups, subnets) are
 * whole values that replace the default, so their own required keys stay required.
 */
export function stackJsonSchema(): JsonSchema {
  const { region, tier, ...sections } = platformSchema.shape;
  const slipwayKeys: Record<string, JsonSchema> = {
    [`${namespace}:tier`]: withoutDialect(z.toJSONSchema(tier, { io: 'input' })),
  };
  for (const [key, schema] of Object.entries(sections)) {
    slipwayKeys[`${namespace}:${key}`] = optionalThroughout(z.toJSONSchema(schema, { io: 'input' }));
  }
  slipwayKeys[`${namespace}:dataStores`] = optionalThroughout(
    z.toJSONSchema(dataStoreOverridesSchema, { io: 'input' }),
  );
  slipwayKeys[`${namespace}:services`] = optionalThroughout(
    z.toJSONSchema(stackServicesSchema, { io: 'input' }),
  );
  const known = ['aws:region', ...Object.keys(slipwayKeys)];
  return {
    $schema: 'https://json-schema.org/draft/2020-12/schema',
    title: 'Slipway platform stack file (Pulumi.<stack>.yaml)',
    type: 'object',
    properties: {
      config: {
        type: 'object',
        properties: { 'aws:region': withoutDialect(z.toJSONSchema(region, { io: 'input' })), ...slipwayKeys },
        required: ['aws:region', `${namespace}:tier`],
        // Other providers' keys are theirs; an unknown `slipway:` key is a misspelling.
        propertyNames: { anyOf: [{ enum: known }, { not: { pattern: `^${namespace}:` } }] },
      },
      // Written by `pulumi stack init --secrets-provider`.
      secretsprovider: { type: 'string' },
      encryptedkey: { type: 'string' },
      encryptionsalt: { type: 'string' },
    },
    required: ['config'],
    additionalProperties: false,
  };
}

/** A copy without the keys named: a sub-schema carries no `$schema` of its own. */
function without(schema: JsonSchema, ...keys: string[]): JsonSchema {
  return Object.fromEntries(Object.entries(schema).filter(([key]) => !keys.includes(key)));
}

const withoutDialect = (schema: JsonSchema) => without(schema, '$schema');

/** Drops `required` from every object reached through properties or map values, not through list items. */
function optionalThroughout(schema: JsonSchema): JsonSchema {
  const rest = without(schema, '$schema', 'required');
  const properties = rest.properties as Record<string, JsonSchema> | undefined;
  if (properties) {
    rest.properties = Object.fromEntries(
      Object.entries(properties).map(([key, child]) => [key, optionalThroughout(child)]),
    );
  }
  if (typeof rest.additionalProperties === 'object') {
    rest.additionalProperties = optionalThroughout(rest.additionalProperties as JsonSchema);
  }
  return rest;
}
