import { cpSync, existsSync, mkdtempSync, readFileSync, readdirSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { parse, stringify } from 'yaml';
import { runPlanCommand, type PlanRun } from '../../bench/cli';
import { ConfigError } from '../../infra/config/errors';
import { loadPlatformConfig } from '../../infra/config/load';
import type { ProjectName } from '../../infra/config/projects';
import { editYaml } from '../../offline/project-copy';
import { readStackFiles } from '../../offline/stack-files';
import { exampleDir, exampleFolders, examples } from '../support/examples';

/**
 * A new user's mistakes in the keys the seed applications brought in, made on the examples themselves:
 * each stops the load with one line naming the file and the key, and nothing else.
 */

type Catalog = Record<string, Record<string, unknown>>;

/** The problems of loading an example with `edit` applied to its catalog, as one project loads it. */
function problemsOf(
  example: string,
  edit: (catalog: Catalog) => void,
  project: ProjectName = 'apps',
): string[] {
  const dir = exampleDir(example);
  const catalog = parse(readFileSync(join(dir, 'services.yaml'), 'utf8')) as Catalog;
  edit(catalog);
  try {
    loadPlatformConfig({
      stack: 'dev',
      values: readStackFiles(project === 'apps' ? join(dir, 'infra', 'apps') : dir, 'dev').config,
      catalogText: stringify(catalog),
      project,
    });
  } catch (error) {
    if (error instanceof ConfigError) return error.problems;
    throw error;
  }
  return [];
}

const service = (catalog: Catalog, name: string) => catalog[name] as Record<string, unknown>;
const uses = (catalog: Catalog, name: string) =>
  service(catalog, name).uses as Record<string, { env: Record<string, string> }>;

// Each example has its test file beside this one (describeExample in suite.ts); a new folder needs one.
it('covers every folder under examples/', () => {
  expect(exampleFolders()).toEqual([...examples].sort());
});

describe('bad input in the keys the examples use', () => {
  it('loads every example untouched, in both projects', () => {
    for (const example of examples) {
      expect(problemsOf(example, () => undefined)).toEqual([]);
      expect(problemsOf(example, () => undefined, 'platform')).toEqual([]);
    }
  });

  it.each<[string, string, (catalog: Catalog) => void, string]>([
    [
      'a service using an undeclared data store',
      'roboshop',
      (c) => {
        const shipping = service(c, 'shipping');
        shipping.uses = { mariadb: (shipping.uses as Record<string, unknown>).mysql };
      },
      'services.yaml: shipping.uses.mariadb: uses undeclared data store "mariadb" (dataStores: mongodb, mysql, redis, rabbitmq)',
    ],
    [
      'a probe on a port the service does not declare',
      'ecommerce',
      (c) => {
        const probes = service(c, 'user-service').probes as Record<string, { http: { port: string } }>;
        (probes.readiness as { http: { port: string } }).http.port = 'admin';
      },
      'services.yaml: user-service.probes.readiness.http.port: names no declared port "admin" (declared: http, management)',
    ],
    [
      'a CronJob with an invalid schedule',
      'flask-umbrella',
      (c) => {
        const cron = service(c, 'worker').cronJobs as Record<string, { schedule: string }>;
        (cron.cleanup as { schedule: string }).schedule = '0 25 * * *';
      },
      'services.yaml: worker.cronJobs.cleanup.schedule: "25" is not a valid hour (0-23)',
    ],
    [
      'a composed variable referencing an unknown part',
      'ecommerce',
      (c) => {
        (uses(c, 'order-service').postgresql as { env: Record<string, string> }).env.DATABASE_URL =
          'postgresql://{user}:{password}@{host}:{port}/{db}';
      },
      'services.yaml: order-service.uses.postgresql.env.DATABASE_URL: unknown part {db} (postgres has {host}, {port}, {user}, {password}, {database})',
    ],
  ])('%s: one line naming the file and the key', (_, example, edit, line) => {
    expect(problemsOf(example, edit)).toEqual([line]);
  });

  it('a disabled service that others call: one line per caller, naming both and why', () => {
    const callers = (reason: string) => [
      `services.yaml: web.calls[1]: calls "cart", which the dev stack leaves out (${reason})`,
      `services.yaml: shipping.calls[0]: calls "cart", which the dev stack leaves out (${reason})`,
      `services.yaml: payment.calls[0]: calls "cart", which the dev stack leaves out (${reason})`,
    ];
    expect(problemsOf('roboshop', (c) => (service(c, 'cart').enabled = false))).toEqual(
      callers('services.yaml: cart.enabled is false'),
    );
    expect(problemsOf('roboshop', (c) => (service(c, 'cart').stacks = ['staging', 'prod']))).toEqual(
      callers('services.yaml: cart.stacks does not list dev'),
    );
    // The platform reads the same catalog, so it refuses the same way (it would make cart's repository).
    expect(problemsOf('roboshop', (c) => (service(c, 'cart').enabled = false), 'platform')).toEqual(
      callers('services.yaml: cart.enabled is false'),
    );
  });
});

describe('plan on an example with a bad catalog', () => {
  let run: PlanRun;
  let out: string;
  let project: string;
  beforeAll(async () => {
    project = mkdtempSync(join(tmpdir(), 'slipway-example-'));
    cpSync(exampleDir('roboshop'), project, { recursive: true });
    editYaml(join(project, 'services.yaml'), (catalog) => {
      const cart = catalog.cart as { uses: Record<string, unknown> };
      cart.uses = { 'redis-cache': cart.uses.redis };
    });
    out = join(project, 'out');
    run = await runPlanCommand([
      '--project-dir',
      project,
      '--stack',
      'dev',
      '--project',
      'apps',
      '--out',
      out,
    ]);
  }, 120_000);
  afterAll(() => rmSync(project, { recursive: true, force: true }));

  it('exits 1 with the one line, and writes nothing', () => {
    expect(run.code).toBe(1);
    expect(run.stderr).toContain(
      'services.yaml: cart.uses.redis-cache: uses undeclared data store "redis-cache" (dataStores: mongodb, mysql, redis, rabbitmq)',
    );
    expect(run.stderr).not.toMatch(/^\s+at /m);
    expect(run.stdout).toBe('');
    expect(existsSync(out) ? readdirSync(out) : []).toEqual([]);
  });
});
