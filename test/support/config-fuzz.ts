import fc from 'fast-check';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { parse, stringify } from 'yaml';
import { awsRegions, eksLimits, engineVersions, logRetentionDays } from '../../infra/config/aws-limits';
import { ConfigError } from '../../infra/config/errors';
import { loadPlatformConfig, type PlatformConfig } from '../../infra/config/load';
import type { ProjectName } from '../../infra/config/projects';
import { readSettings } from '../../infra/settings/load';
import { repoRoot } from './render';

/**
 * Random and mutated stack files and catalogs for the loader, shared by the fuzz test (a fixed seed, a
 * few hundred cases) and the bench (thousands, timed). Each case either loads into a config that keeps
 * AWS's and the platform's limits (checked here by means of their own, not the loader's), or is refused
 * with a ConfigError whose every line names the file and the key. Anything else (a TypeError, a stack
 * trace, an accepted invalid value) fails the case.
 */

const sampleText = readFileSync(join(repoRoot, 'services.yaml'), 'utf8');
const sample = parse(sampleText) as Record<string, unknown>;
const settings = readSettings(repoRoot);

export interface LoadCase {
  project: ProjectName;
  stack: string;
  values: Record<string, string>;
  catalogText: string;
  /** The input holds a `__proto__` key somewhere: it must be refused. */
  reservedKey: boolean;
}

/** One problem line: `file: key: message`, or `file:line:col: message` for what has no key (YAML syntax). */
export const problemLine =
  /^(Pulumi\.[\w-]+\.yaml|infra\/apps\/Pulumi\.[\w-]+\.yaml|services\.yaml)(: [^\s]+|:\d+:\d+): \S[^\n]*$/;

export type Outcome = 'loaded' | 'rejected';

/** Loads the case; throws (failing the property) on a crash, a malformed line or an accepted invalid config. */
export function checkCase(input: LoadCase): Outcome {
  let config: PlatformConfig;
  try {
    config = loadPlatformConfig({ ...input, settings });
  } catch (error) {
    if (!(error instanceof ConfigError)) {
      throw new Error(`crashed: ${error instanceof Error ? (error.stack ?? error.message) : String(error)}`);
    }
    if (error.problems.length === 0) throw new Error('a ConfigError without a problem');
    for (const problem of error.problems) {
      if (!problemLine.test(problem)) throw new Error(`a problem line without file and key: ${problem}`);
    }
    return 'rejected';
  }
  const invalid = acceptedInvalid(config, input);
  if (invalid) throw new Error(`accepted an invalid config: ${invalid}`);
  return 'loaded';
}

/** What AWS or the platform would refuse, found by checks written apart from the loader's. */
function acceptedInvalid(config: PlatformConfig, input: LoadCase): string | undefined {
  if (input.reservedKey) return 'a __proto__ key was dropped silently';
  if (!(awsRegions as readonly string[]).includes(config.region)) return `region ${config.region}`;
  const retentions: readonly number[] = logRetentionDays;
  if (!retentions.includes(config.network.flowLogRetentionDays)) return 'flow log retention';
  if (!retentions.includes(config.cluster.logRetentionDays)) return 'control-plane log retention';
  if (config.cluster.nodeGroups.length > eksLimits.nodeGroupsPerCluster) return 'too many node groups';
  if (config.cluster.nodeGroups.some((group) => group.maxSize > eksLimits.nodesPerNodeGroup))
    return 'a node group over the node quota';
  for (const store of config.dataStores) {
    if (store.engine === 'sqs') continue;
    const offered: readonly string[] = engineVersions[store.engine];
    const [major = '', minor] = store.settings.engineVersion.split('.');
    const candidates = [major, `${major}.${minor}`, store.settings.engineVersion];
    if (!candidates.some((version) => offered.includes(version))) return `engine version of ${store.name}`;
  }
  if (config.ingress && config.ingress.certificateArn.split(':')[3] !== config.region)
    return 'a certificate from another region';
  if (config.tier === 'prod' && openAddresses(config.cluster.publicAccessCidrs) > 2 ** 24)
    return "prod's API endpoint open to more than a /8";
  for (const service of config.services) {
    if (!/^[a-z][a-z0-9-]{1,30}[a-z0-9]$/.test(service.name)) return `service name ${service.name}`;
    const hosts = [service.ingress?.host, ...service.egress.map((egress) => egress.host)];
    for (const host of hosts) if (host !== undefined && !validHost(host)) return `host ${host}`;
    for (const entries of [service.env, service.files]) {
      const bytes = Object.entries(entries).reduce((n, [k, v]) => n + Buffer.byteLength(k + v), 0);
      if (bytes > 1024 * 1024) return `${service.name}'s ConfigMap over 1 MiB`;
    }
    for (const grant of service.aws) {
      for (const action of grant.actions) {
        const [prefix = '', verb = ''] = action.split(':');
        if (prefix === 'iam' && !['Get', 'List', 'Simulate'].some((read) => verb.startsWith(read)))
          return `${service.name} may change IAM (${action})`;
        if (verb === '*' && grant.resources.includes('*')) return `${action} on *`;
      }
    }
  }
  return undefined;
}

function validHost(host: string): boolean {
  const labels = host.split('.');
  return (
    host.length <= 253 &&
    labels.every(
      (label) =>
        label.length >= 1 &&
        label.length <= 63 &&
        /^[a-z0-9-]+$/.test(label) &&
        !label.startsWith('-') &&
        !label.endsWith('-'),
    )
  );
}

/** Addresses the blocks open together, counted one /24 at a time (overlaps once). */
function openAddresses(blocks: string[]): number {
  const slash8s = new Set<number>();
  let small = 0;
  for (const block of blocks) {
    const [address = '', prefix = '32'] = block.split('/');
    const bits = Number(prefix);
    const first = Number(address.split('.')[0]);
    if (bits <= 8) for (let i = 0; i < 2 ** (8 - bits); i++) slash8s.add(first + i);
    else small += 2 ** (32 - bits);
  }
  return slash8s.size * 2 ** 24 + small;
}

const certificate = (region: string) =>
  `arn:aws:acm:${region}:123456789012:certificate/0f3c9a52-7d1e-4b8a-9c55-2e6d1b7a4f10`;

const mostly = <T>(valid: fc.Arbitrary<T>, broken: fc.Arbitrary<T>) =>
  fc.oneof({ weight: 4, arbitrary: valid }, { weight: 1, arbitrary: broken });

const retention = mostly(fc.constantFrom(7, 14, 30, 90, 365), fc.constantFrom(0, 2, 4, 10, 366, 4000, -1));
const nodeGroup = (name: string, maxSize: number) => ({
  name,
  instanceTypes: ['m6i.large'],
  capacityType: 'ON_DEMAND',
  minSize: 3,
  desiredSize: 3,
  maxSize,
  diskSizeGiB: 50,
});

/** Stack files of either project with the values the fuzzing found accepted though AWS refuses them. */
export const stackFileCases: fc.Arbitrary<LoadCase> = fc
  .record({
    project: fc.constantFrom<ProjectName>('platform', 'apps'),
    stack: fc.constantFrom('dev', 'staging', 'prod'),
    region: mostly(
      fc.constantFrom('eu-west-1', 'us-east-1', 'ap-southeast-2'),
      fc.constantFrom('zz-fake-9', 'eu-west-10', 'EU-WEST-1', '', 'eu-west'),
    ),
    flowLogRetentionDays: fc.option(retention, { nil: undefined }),
    logRetentionDays: fc.option(retention, { nil: undefined }),
    publicAccessCidrs: fc.option(
      fc.subarray(['0.0.0.0/1', '128.0.0.0/1', '10.0.0.0/8', '11.0.0.0/8', '0.0.0.0/2', '203.0.113.0/24']),
      { nil: undefined },
    ),
    nodeGroups: fc.option(fc.tuple(fc.constantFrom(1, 2, 30, 31), fc.constantFrom(3, 12, 450, 451, 1000)), {
      nil: undefined,
    }),
    engineVersion: fc.option(fc.constantFrom('17', '16.4', '13', '12', '99', '17.5', '18', 'seventeen', ''), {
      nil: undefined,
    }),
    certificateRegion: fc.option(fc.constantFrom('eu-west-1', 'us-east-1', 'us-east-1', 'ap-southeast-2'), {
      nil: undefined,
    }),
    reservedKey: fc.oneof({ weight: 6, arbitrary: fc.constant(false) }, fc.constant(true)),
    otherProjectKey: fc.boolean(),
  })
  .map((draw) => {
    const values: Record<string, unknown> = { 'aws:region': draw.region, 'slipway:tier': draw.stack };
    if (draw.project === 'platform') {
      const network: Record<string, unknown> = {};
      if (draw.flowLogRetentionDays !== undefined) network.flowLogRetentionDays = draw.flowLogRetentionDays;
      const cluster: Record<string, unknown> = {};
      if (draw.logRetentionDays !== undefined) cluster.logRetentionDays = draw.logRetentionDays;
      if (draw.publicAccessCidrs !== undefined) cluster.publicAccessCidrs = draw.publicAccessCidrs;
      if (draw.nodeGroups !== undefined) {
        const [count, maxSize] = draw.nodeGroups;
        cluster.nodeGroups = Array.from({ length: count }, (_, i) => nodeGroup(`group-${i}`, maxSize));
      }
      values['slipway:network'] = network;
      values['slipway:cluster'] = cluster;
      if (draw.engineVersion !== undefined)
        values['slipway:dataStores'] = { 'app-db': { engineVersion: draw.engineVersion } };
      if (draw.otherProjectKey) values['slipway:quota'] = { pods: 100 };
    } else {
      if (draw.stack === 'prod') values['slipway:services'] = { worker: { replicas: 2 } };
      if (draw.certificateRegion !== undefined)
        values['slipway:ingress'] = { certificateArn: certificate(draw.certificateRegion) };
      if (draw.otherProjectKey) values['slipway:registry'] = { keepTaggedImages: 5 };
    }
    const flat = Object.fromEntries(
      Object.entries(values).map(([key, value]) => [
        key,
        typeof value === 'string' ? value : JSON.stringify(value),
      ]),
    );
    if (draw.reservedKey) {
      const key = draw.project === 'platform' ? 'slipway:network' : 'slipway:quota';
      flat[key] = '{"__proto__": {"azCount": 1, "pods": 1}}';
    }
    return {
      project: draw.project,
      stack: draw.stack,
      values: flat,
      catalogText: sampleText,
      reservedKey: draw.reservedKey,
    };
  });

// Where a mutation lands in the catalog: a service's keys, nested ones, and the data stores.
const catalogPaths = [
  'ports',
  'ports.http.port',
  'ports.http.servicePort',
  'probes.liveness.http.path',
  'probes.readiness.http.port',
  'probes.startup',
  'replicas',
  'build',
  'build.context',
  'resources',
  'resources.limits.cpu',
  'resources.requests.memory',
  'autoscaling.minReplicas',
  'autoscaling.maxReplicas',
  'minAvailable',
  'env',
  'env.LOG_LEVEL',
  'secrets[0]',
  'calls',
  'calls[0]',
  'egress[0].host',
  'egress[0].port',
  'uses.app-db.env.DB_HOST',
  'uses.app-db.database',
  'ingress',
  'ingress.host',
  'ingress.path',
  'aws[0].actions[0]',
  'aws[0].resources[0]',
  'critical',
  'unknownKey',
  'resources.limits.gpu',
] as const;

const oddValues = fc.oneof(
  fc.constantFrom(
    null,
    '',
    'x',
    -1,
    0,
    1.5,
    99999,
    [],
    {},
    true,
    'a..b',
    '-web.example.com',
    `${'a'.repeat(64)}.example.com`,
    'iam:*',
    's3:*',
    'iam:PassRole',
    '*',
    '/',
    '{host}',
    '{nothing}',
    'NOT_A_NAME',
    'Bad Name',
  ),
  fc.string({ maxLength: 8 }),
  fc.integer({ min: -5, max: 70_000 }),
);

type Mutation =
  | { kind: 'set'; target: string; path: string; value: unknown }
  | { kind: 'delete'; target: string; path: string }
  | { kind: 'rename'; target: string; to: string }
  | { kind: 'empty'; target: string }
  | { kind: 'reserved'; target: string }
  | { kind: 'huge'; target: string };

const targets = fc.constantFrom('web', 'api', 'worker');
const mutation: fc.Arbitrary<Mutation> = fc.oneof(
  {
    weight: 6,
    arbitrary: fc.record({
      kind: fc.constant('set' as const),
      target: targets,
      path: fc.constantFrom(...catalogPaths),
      value: oddValues,
    }),
  },
  {
    weight: 2,
    arbitrary: fc.record({
      kind: fc.constant('delete' as const),
      target: targets,
      path: fc.constantFrom(...catalogPaths),
    }),
  },
  {
    weight: 1,
    arbitrary: fc.record({
      kind: fc.constant('rename' as const),
      target: targets,
      to: fc.constantFrom('Web', 'a', 'web_2', '9lives', 'billing'),
    }),
  },
  {
    weight: 1,
    arbitrary: fc.record({
      kind: fc.constant('empty' as const),
      target: fc.constantFrom('web', 'api', 'worker', 'dataStores'),
    }),
  },
  { weight: 1, arbitrary: fc.record({ kind: fc.constant('reserved' as const), target: targets }) },
  { weight: 1, arbitrary: fc.record({ kind: fc.constant('huge' as const), target: targets }) },
);

/** The sample catalog with one to three mutations, as text; now and then cut short mid-file. */
export const catalogCases: fc.Arbitrary<LoadCase> = fc
  .record({
    mutations: fc.array(mutation, { minLength: 1, maxLength: 3 }),
    cut: fc.option(fc.integer({ min: 1, max: sampleText.length - 1 }), { nil: undefined, freq: 8 }),
    stack: fc.constantFrom('dev', 'prod'),
  })
  .map(({ mutations, cut, stack }) => {
    const catalog = structuredClone(sample);
    let reservedKey = false;
    for (const change of mutations) reservedKey = apply(catalog, change) || reservedKey;
    let catalogText = stringify(catalog);
    if (cut !== undefined) {
      catalogText = catalogText.slice(0, Math.min(cut, catalogText.length));
      // A cut can drop the __proto__ key with the rest of the file.
      reservedKey = reservedKey && catalogText.includes('__proto__');
    }
    const values: Record<string, string> = { 'aws:region': 'eu-west-1', 'slipway:tier': stack };
    if (stack === 'prod') values['slipway:services'] = JSON.stringify({ worker: { replicas: 2 } });
    return { project: 'apps' as const, stack, values, catalogText, reservedKey };
  });

/** Applies one mutation; true when it planted a reserved key. */
function apply(catalog: Record<string, unknown>, change: Mutation): boolean {
  const service = catalog[change.target];
  switch (change.kind) {
    case 'empty':
      catalog[change.target] = null;
      return false;
    case 'rename':
      if (service === undefined) return false;
      Reflect.deleteProperty(catalog, change.target);
      catalog[change.to] = service;
      return false;
    case 'reserved':
      if (!isObject(service)) return false;
      Object.defineProperty(service, '__proto__', {
        value: { port: 1 },
        enumerable: true,
        writable: true,
        configurable: true,
      });
      return true;
    case 'huge':
      if (!isObject(service)) return false;
      if (change.target === 'api') service.files = { '/etc/app/blob.txt': 'x'.repeat(1024 * 1024) };
      else service.env = { ...(isObject(service.env) ? service.env : {}), BLOB: 'x'.repeat(1024 * 1024) };
      return false;
    case 'set':
    case 'delete': {
      if (!isObject(service)) return false;
      const parts = change.path.split(/\.|\[(\d+)\]/).filter((part) => part !== undefined && part !== '');
      let node: unknown = service;
      for (const part of parts.slice(0, -1)) {
        if (!isObject(node) && !Array.isArray(node)) return false;
        const container = node as Record<string, unknown>;
        if (container[part] === undefined || container[part] === null) container[part] = {};
        node = container[part];
      }
      const last = parts[parts.length - 1] ?? '';
      if (!isObject(node) && !Array.isArray(node)) return false;
      if (change.kind === 'delete') Reflect.deleteProperty(node, last);
      else (node as Record<string, unknown>)[last] = change.value;
      return false;
    }
  }
}

const isObject = (value: unknown): value is Record<string, unknown> =>
  typeof value === 'object' && value !== null && !Array.isArray(value);
