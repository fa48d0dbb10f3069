import fc from 'fast-check';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { parse as parseYaml } from 'yaml';
import { catalogPeak } from '../../../infra/config/capacity';
import { logRetentionDays } from '../../../infra/config/aws-limits';
import { ConfigError } from '../../../infra/config/errors';
import { loadPlatformConfig, type PlatformConfig } from '../../../infra/config/load';
import { mebibytes, millicores } from '../../../infra/config/quantity';
import { readSettings } from '../../../infra/settings/load';
import { repoRoot } from '../../support/render';

const catalogText = readFileSync(join(repoRoot, 'services.yaml'), 'utf8');
// The repository's slipway.yaml gives each stack the ingress host the catalog leaves to it.
const settings = readSettings(repoRoot);
const certificateArn = 'arn:aws:acm:eu-west-1:123456789012:certificate/0f3c9a52-7d1e-4b8a-9c55-2e6d1b7a4f10';

/** A stack file that loads: the ingress has its certificate, prod's worker its second replica. */
function validValues(tier: string, extra: Record<string, unknown> = {}): Record<string, string> {
  const services: Record<string, unknown> = {};
  if (tier === 'prod') services.worker = { replicas: 2 };
  const values: Record<string, unknown> = {
    'aws:region': 'eu-west-1',
    'slipway:tier': tier,
    'slipway:ingress': { certificateArn },
    'slipway:services': services,
    ...extra,
  };
  return Object.fromEntries(
    Object.entries(values).map(([key, value]) => [
      key,
      typeof value === 'string' ? value : JSON.stringify(value),
    ]),
  );
}

function problemsOf(stack: string, values: Record<string, string>): string[] {
  try {
    loadPlatformConfig({ stack, values, catalogText, settings });
  } catch (error) {
    if (error instanceof ConfigError) return error.problems;
    throw error;
  }
  throw new Error('the config loaded, but problems were expected');
}

describe('loadPlatformConfig', () => {
  it.each(['dev', 'staging', 'prod'])('fills a minimal %s stack from the tier defaults', (tier) => {
    const config = loadPlatformConfig({ stack: tier, values: validValues(tier), catalogText, settings });
    expect(config.tier).toBe(tier);
    expect(config.network.azCount).toBe(tier === 'dev' ? 2 : 3);
    expect(config.network.natGateways).toBe(tier === 'dev' ? 'single' : 'perAz');
    expect(config.dataStores).toEqual([
      expect.objectContaining({
        name: 'app-db',
        engine: 'postgres',
        settings: expect.objectContaining({ multiAz: tier === 'prod' }),
      }),
    ]);
    expect(config.quota.pods).toBe({ dev: 40, staging: 80, prod: 200 }[tier]);
    expect(config.services.map((service) => service.name)).toEqual(['web', 'api', 'worker']);
  });

  it('runs WAF in staging and prod by default, and in dev when the stack asks', () => {
    const waf = (tier: string, extra: Record<string, unknown> = {}) =>
      loadPlatformConfig({ stack: tier, values: validValues(tier, extra), catalogText, settings }).edge;
    const kept = (days: number) => ({ accessLogRetentionDays: days, wafLogRetentionDays: days });
    expect(waf('dev')).toEqual({ waf: false, accessLogs: true, ...kept(14) });
    expect(waf('dev', { 'slipway:edge': { waf: true } })).toEqual({
      waf: true,
      accessLogs: true,
      ...kept(14),
    });
    expect(waf('staging').waf).toBe(true);
    expect(waf('prod')).toEqual({ waf: true, accessLogs: true, ...kept(365) });
  });

  it('merges what the stack file states over the defaults, key by key', () => {
    const config = loadPlatformConfig({
      stack: 'dev',
      values: validValues('dev', { 'slipway:dataStores': { 'app-db': { instanceClass: 'db.t4g.small' } } }),
      catalogText,
      settings,
    });
    expect(config.dataStores[0]?.settings).toMatchObject({
      instanceClass: 'db.t4g.small',
      engineVersion: '17',
    });
  });

  it.each<[string, string, Record<string, unknown>, string]>([
    [
      'too few AZs for the tier',
      'prod',
      { 'slipway:network': { azCount: 2 } },
      'Pulumi.prod.yaml: slipway:network.azCount: prod needs at least 3 AZs',
    ],
    [
      'a single NAT gateway outside dev',
      'staging',
      { 'slipway:network': { natGateways: 'single' } },
      'Pulumi.staging.yaml: slipway:network.natGateways: staging needs one NAT gateway per AZ (perAz)',
    ],
    [
      'overlapping subnets',
      'dev',
      {
        'slipway:network': {
          subnets: {
            public: ['10.10.0.0/24', '10.10.1.0/24'],
            private: ['10.10.16.0/20', '10.10.32.0/20'],
            database: ['10.10.0.0/26', '10.10.2.0/24'],
            controlPlane: ['10.10.4.0/28', '10.10.4.16/28'],
          },
        },
      },
      'Pulumi.dev.yaml: slipway:network.subnets.database[0]: 10.10.0.0/26 overlaps public.0',
    ],
    [
      'a too-small private subnet',
      'dev',
      {
        'slipway:network': {
          subnets: {
            public: ['10.10.0.0/24', '10.10.1.0/24'],
            private: ['10.10.16.0/26', '10.10.32.0/20'],
            database: ['10.10.2.0/24', '10.10.3.0/24'],
            controlPlane: ['10.10.4.0/28', '10.10.4.16/28'],
          },
        },
      },
      'Pulumi.dev.yaml: slipway:network.subnets.private[0]: 10.10.16.0/26 is too small (at most /24)',
    ],
    [
      'a too-small VPC',
      'dev',
      { 'slipway:network': { cidr: '10.10.0.0/24' } },
      'Pulumi.dev.yaml: slipway:network.cidr: must be between /16 and /20, got /24',
    ],
    [
      'a CIDR with host bits set',
      'dev',
      { 'slipway:network': { cidr: '10.10.0.1/16' } },
      'Pulumi.dev.yaml: slipway:network.cidr: has host bits set: use the network address, such as 10.0.0.0/16',
    ],
    [
      'an unknown key inside a section',
      'dev',
      { 'slipway:dataStores': { 'app-db': { multiAZ: true } } },
      'Pulumi.dev.yaml: slipway:dataStores.app-db.multiAZ: unknown key (expected one of engineVersion, instanceClass, allocatedStorageGiB, maxAllocatedStorageGiB, multiAz, deletionProtection, backupRetentionDays, skipFinalSnapshot, performanceInsights)',
    ],
    [
      'an ALB TLS policy that still accepts TLS 1.0',
      'prod',
      { 'slipway:ingress': { certificateArn, sslPolicy: 'ELBSecurityPolicy-2016-08' } },
      'Pulumi.prod.yaml: slipway:ingress.sslPolicy: must be one of ELBSecurityPolicy-TLS13-1-2-2021-06, ELBSecurityPolicy-TLS13-1-3-2021-06',
    ],
    [
      'prod without WAF',
      'prod',
      { 'slipway:edge': { waf: false } },
      'Pulumi.prod.yaml: slipway:edge.waf: prod needs AWS WAF in front of its internet-facing ALB',
    ],
    [
      'a WAF log retention CloudWatch Logs refuses',
      'staging',
      { 'slipway:edge': { wafLogRetentionDays: 10 } },
      `Pulumi.staging.yaml: slipway:edge.wafLogRetentionDays: must be a retention CloudWatch Logs accepts: ${logRetentionDays.join(', ')}`,
    ],
    [
      'prod without access logs',
      'prod',
      { 'slipway:edge': { accessLogs: false } },
      "Pulumi.prod.yaml: slipway:edge.accessLogs: prod keeps its ALB's access logs",
    ],
    [
      'an unknown top-level key',
      'dev',
      { 'slipway:databse': { multiAz: true } },
      'Pulumi.dev.yaml: slipway:databse: unknown key (expected one of tier, network, cluster, dataStores, registry, edge, quota, ingress, services, images)',
    ],
    [
      'a negative size',
      'dev',
      {
        'slipway:cluster': {
          nodeGroups: [
            {
              name: 'general',
              instanceTypes: ['t3.large'],
              capacityType: 'SPOT',
              minSize: -1,
              desiredSize: 1,
              maxSize: 2,
              diskSizeGiB: 50,
            },
          ],
        },
      },
      'Pulumi.dev.yaml: slipway:cluster.nodeGroups[0].minSize: must be at least 0',
    ],
    [
      'minSize above maxSize',
      'dev',
      {
        'slipway:cluster': {
          nodeGroups: [
            {
              name: 'general',
              instanceTypes: ['t3.large'],
              capacityType: 'SPOT',
              minSize: 5,
              desiredSize: 5,
              maxSize: 2,
              diskSizeGiB: 50,
            },
          ],
        },
      },
      'Pulumi.dev.yaml: slipway:cluster.nodeGroups[0].minSize: minSize 5 exceeds maxSize 2',
    ],
    [
      'storage above its own ceiling',
      'dev',
      { 'slipway:dataStores': { 'app-db': { allocatedStorageGiB: 200, maxAllocatedStorageGiB: 100 } } },
      'Pulumi.dev.yaml: slipway:dataStores.app-db.allocatedStorageGiB: 200 exceeds maxAllocatedStorageGiB 100',
    ],
    [
      'an invalid Kubernetes version',
      'dev',
      { 'slipway:cluster': { version: '1.19' } },
      'Pulumi.dev.yaml: slipway:cluster.version: must be a supported EKS version (1.30, 1.31, 1.32, 1.33, 1.34)',
    ],
    [
      'prod without deletion protection',
      'prod',
      { 'slipway:dataStores': { 'app-db': { deletionProtection: false } } },
      'Pulumi.prod.yaml: slipway:dataStores.app-db.deletionProtection: prod needs deletion protection',
    ],
    [
      'prod with a world-open API endpoint',
      'prod',
      { 'slipway:cluster': { publicAccessCidrs: ['0.0.0.0/0'] } },
      'Pulumi.prod.yaml: slipway:cluster.publicAccessCidrs: prod must not open the API endpoint to 0.0.0.0/0',
    ],
    [
      'prod with fewer nodes than AZs',
      'prod',
      {
        'slipway:cluster': {
          nodeGroups: [
            {
              name: 'general',
              instanceTypes: ['m6i.xlarge'],
              capacityType: 'ON_DEMAND',
              minSize: 2,
              desiredSize: 3,
              maxSize: 6,
              diskSizeGiB: 100,
            },
          ],
        },
      },
      'Pulumi.prod.yaml: slipway:cluster.nodeGroups[0].minSize: prod needs at least one node per AZ (3)',
    ],
    [
      'an unknown tier',
      'dev',
      { 'slipway:tier': 'qa' },
      'Pulumi.dev.yaml: slipway:tier: must be one of dev, staging, prod',
    ],
  ])('rejects %s with a line naming the file and key', (_, stack, extra, line) => {
    expect(problemsOf(stack, validValues(stack, extra))).toContain(line);
  });

  it('reports every problem at once', () => {
    const problems = problemsOf(
      'prod',
      validValues('prod', {
        'slipway:network': { azCount: 2 },
        'slipway:dataStores': { 'app-db': { deletionProtection: false, skipFinalSnapshot: true } },
      }),
    );
    expect(problems).toEqual([
      'Pulumi.prod.yaml: slipway:network.azCount: prod needs at least 3 AZs',
      'Pulumi.prod.yaml: slipway:dataStores.app-db.deletionProtection: prod needs deletion protection',
      'Pulumi.prod.yaml: slipway:dataStores.app-db.skipFinalSnapshot: prod must take a final snapshot',
    ]);
  });

  it('requires the region', () => {
    const values = validValues('dev');
    delete values['aws:region'];
    expect(problemsOf('dev', values)).toContain('Pulumi.dev.yaml: aws:region: is required');
  });
});

/** The shape of every problem line: the file, the key path, what is wrong. */
const problemLine = /^(Pulumi\.[a-z]+\.yaml|services\.yaml): [\w:.[\]-]+: \S.*$/;
const minimumAzs: Record<string, number> = { dev: 2, staging: 3, prod: 3 };

const octet = fc.integer({ min: 0, max: 255 });
/** Mostly a valid value, sometimes a broken one: both halves of the property get exercised. */
const mostly = <T, U>(valid: fc.Arbitrary<T>, broken: fc.Arbitrary<U>) =>
  fc.oneof({ weight: 5, arbitrary: valid }, { weight: 1, arbitrary: broken });
const rarely = (arbitrary: fc.Arbitrary<boolean>) =>
  fc.oneof({ weight: 5, arbitrary: fc.constant(false) }, arbitrary);
const cidrText = mostly(
  fc.constantFrom('10.10.0.0/16', '10.20.0.0/20', '10.10.0.0/24', '10.10.16.0/20', '10.10.1.0/26'),
  fc.oneof(
    fc
      .tuple(octet, octet, octet, octet, fc.integer({ min: 0, max: 33 }))
      .map(([a, b, c, d, p]) => `${a}.${b}.${c}.${d}/${p}`),
    fc.constantFrom('10.10.0.1/16', '0.0.0.0/0', 'not-a-cidr', ''),
  ),
);
/** Quantities around what the sample catalog needs at its peak, so budgets both fit and fall short. */
const cpuText = mostly(
  fc.constantFrom('250m', '1', '2', '4', '8', '16'),
  fc.constantFrom('-1', 'lots', '2cores'),
);
const memoryText = mostly(
  fc.constantFrom('512Mi', '2Gi', '4Gi', '8Gi', '32Gi'),
  fc.constantFrom('8GB', '1.5Gi', 'big'),
);
const size = mostly(fc.integer({ min: 1, max: 12 }), fc.integer({ min: -3, max: 0 }));
const maybe = <T>(arbitrary: fc.Arbitrary<T>) => fc.option(arbitrary, { nil: undefined });
const section = <T extends Record<string, fc.Arbitrary<unknown>>>(fields: T) =>
  fc.record(fields, { requiredKeys: [] });

const stackValues = fc
  .record(
    {
      stack: fc.constantFrom('dev', 'staging', 'prod'),
      tier: mostly(fc.constantFrom('dev', 'staging', 'prod'), fc.string({ maxLength: 6 })),
      network: maybe(
        section({
          cidr: cidrText,
          azCount: fc.integer({ min: -1, max: 7 }),
          natGateways: mostly(fc.constantFrom('single', 'perAz'), fc.constant('none')),
          interfaceEndpoints: mostly(fc.boolean(), fc.constant('yes')),
          flowLogRetentionDays: size,
          subnets: fc.record({
            public: fc.array(cidrText, { maxLength: 4 }),
            private: fc.array(cidrText, { maxLength: 4 }),
            database: fc.array(cidrText, { maxLength: 4 }),
            controlPlane: fc.array(cidrText, { maxLength: 4 }),
            endpoints: fc.array(cidrText, { maxLength: 4 }),
          }),
        }),
      ),
      cluster: maybe(
        section({
          version: mostly(fc.constantFrom('1.33', '1.34'), fc.constantFrom('1.29', '2.0', 'latest')),
          publicAccessCidrs: fc.array(cidrText, { maxLength: 3 }),
          adminRoleArn: mostly(fc.constant('arn:aws:iam::123456789012:role/admin'), fc.constant('admin')),
          nodeGroups: fc.array(
            section({
              name: mostly(fc.constantFrom('general', 'spot'), fc.constantFrom('Bad Name', '')),
              instanceTypes: fc.array(
                mostly(fc.constantFrom('m6i.large', 't4g.medium'), fc.constant('large')),
                {
                  maxLength: 2,
                },
              ),
              capacityType: mostly(fc.constantFrom('ON_DEMAND', 'SPOT'), fc.constant('RESERVED')),
              minSize: size,
              desiredSize: size,
              maxSize: size,
              diskSizeGiB: fc.integer({ min: 0, max: 200 }),
            }),
            { maxLength: 3 },
          ),
        }),
      ),
      dataStores: maybe(
        section({
          engineVersion: mostly(fc.constantFrom('17', '16.4'), fc.constant('seventeen')),
          allocatedStorageGiB: fc.integer({ min: -10, max: 2000 }),
          maxAllocatedStorageGiB: fc.integer({ min: -10, max: 2000 }),
          multiAz: fc.boolean(),
          deletionProtection: fc.boolean(),
          backupRetentionDays: fc.integer({ min: -1, max: 40 }),
          skipFinalSnapshot: fc.boolean(),
          performanceInsights: fc.boolean(),
        }),
      ),
      registry: maybe(section({ untaggedExpiryDays: size, keepTaggedImages: size })),
      quota: maybe(
        section({
          pods: fc.integer({ min: -1, max: 60 }),
          requestsCpu: cpuText,
          requestsMemory: memoryText,
          limitsCpu: cpuText,
          limitsMemory: memoryText,
          containerMaxCpu: cpuText,
          containerMaxMemory: memoryText,
        }),
      ),
      unknown: mostly(
        fc.constant({}),
        fc.dictionary(fc.stringMatching(/^[a-z][a-zA-Z]{0,8}$/), fc.integer(), { maxKeys: 2 }),
      ),
      brokenJson: rarely(fc.boolean()),
      withoutImageTags: rarely(fc.boolean()),
    },
    { requiredKeys: ['stack', 'tier', 'unknown', 'brokenJson', 'withoutImageTags'] },
  )
  .map((draw) => {
    const extra: Record<string, unknown> = { 'slipway:tier': draw.tier };
    for (const key of ['network', 'cluster', 'registry', 'quota'] as const) {
      if (draw[key] !== undefined) extra[`slipway:${key}`] = draw[key];
    }
    if (draw.dataStores !== undefined) extra['slipway:dataStores'] = { 'app-db': draw.dataStores };
    for (const [key, value] of Object.entries(draw.unknown)) extra[`slipway:${key}`] = value;
    const values = validValues(draw.stack, extra);
    if (draw.withoutImageTags) delete values['slipway:services'];
    if (draw.brokenJson) values['slipway:registry'] = '{"untaggedExpiryDays": ';
    return { stack: draw.stack, values };
  });

describe('loadPlatformConfig on random stack files', () => {
  it('either returns a config that keeps the rules or throws a ConfigError of file: key: message lines', () => {
    const outcomes = { loaded: 0, rejected: 0 };
    fc.assert(
      fc.property(stackValues, ({ stack, values }) => {
        let config: PlatformConfig;
        try {
          config = loadPlatformConfig({ stack, values, catalogText, settings });
        } catch (error) {
          expect(error).toBeInstanceOf(ConfigError);
          const problems = (error as ConfigError).problems.flatMap((problem) => problem.split('\n'));
          expect(problems.length).toBeGreaterThan(0);
          for (const problem of problems) expect(problem).toMatch(problemLine);
          expect((error as Error).message).not.toMatch(/\n\s+at /);
          outcomes.rejected += 1;
          return;
        }
        expect(config.network.azCount).toBeGreaterThanOrEqual(minimumAzs[config.tier] ?? Infinity);
        for (const group of config.cluster.nodeGroups) {
          expect(group.minSize).toBeLessThanOrEqual(group.desiredSize);
          expect(group.desiredSize).toBeLessThanOrEqual(group.maxSize);
        }
        const database = config.dataStores.find((store) => store.name === 'app-db');
        if (database?.engine !== 'postgres')
          throw new Error('the sample catalog declares app-db, a postgres store');
        expect(database.settings.allocatedStorageGiB).toBeLessThanOrEqual(
          database.settings.maxAllocatedStorageGiB,
        );
        const peak = catalogPeak(config.services);
        expect(peak.pods).toBeLessThanOrEqual(config.quota.pods);
        expect(peak.requestsCpu).toBeLessThanOrEqual(millicores(config.quota.requestsCpu));
        expect(peak.requestsMemory).toBeLessThanOrEqual(mebibytes(config.quota.requestsMemory));
        expect(peak.limitsCpu).toBeLessThanOrEqual(millicores(config.quota.limitsCpu));
        expect(peak.limitsMemory).toBeLessThanOrEqual(mebibytes(config.quota.limitsMemory));
        for (const { resources } of config.services) {
          expect(millicores(resources.limits.cpu)).toBeLessThanOrEqual(
            millicores(config.quota.containerMaxCpu),
          );
          expect(mebibytes(resources.limits.memory)).toBeLessThanOrEqual(
            mebibytes(config.quota.containerMaxMemory),
          );
        }
        if (config.tier === 'prod') {
          expect(config.cluster.publicAccessCidrs).not.toContain('0.0.0.0/0');
          expect(database.settings).toMatchObject({
            deletionProtection: true,
            multiAz: true,
            skipFinalSnapshot: false,
          });
          expect(config.network.natGateways).toBe('perAz');
        }
        outcomes.loaded += 1;
      }),
      { numRuns: 400 },
    );
    // Both branches ran, so the property says something about valid and invalid files alike.
    expect(outcomes.loaded).toBeGreaterThan(0);
    expect(outcomes.rejected).toBeGreaterThan(0);
  });

  it('accepts any AZ count from the tier minimum up', () => {
    fc.assert(
      fc.property(fc.constantFrom('dev', 'staging'), fc.integer({ min: 3, max: 6 }), (tier, azCount) => {
        const config = loadPlatformConfig({
          stack: tier,
          values: validValues(tier, { 'slipway:network': { azCount } }),
          catalogText,
          settings,
        });
        expect(config.network.azCount).toBe(azCount);
      }),
      { numRuns: 30 },
    );
  });
});

describe("docs/platform.md's stack-file example", () => {
  it('is a stack file that loads', () => {
    const platform = readFileSync(join(repoRoot, 'docs', 'platform.md'), 'utf8');
    const example = /```yaml\n# Pulumi\.(\w+)\.yaml\n([\s\S]*?)```/.exec(platform);
    expect(example).not.toBeNull();
    const [, stack = '', text = ''] = example ?? [];
    const { config } = parseYaml(text) as { config: Record<string, unknown> };
    const values = Object.fromEntries(
      Object.entries(config).map(([key, value]) => [
        key,
        typeof value === 'string' ? value : JSON.stringify(value),
      ]),
    );
    expect(
      loadPlatformConfig({ stack, values, catalogText, settings, project: 'platform' }).dataStores[0]
        ?.settings,
    ).toMatchObject({ instanceClass: 'db.r6g.xlarge' });
  });
});
