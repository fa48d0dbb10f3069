import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { parse } from 'yaml';
import { runAsGroup, runAsUser } from '../../../infra/workloads/pod';

const repoRoot = join(__dirname, '..', '..', '..');
const dockerfile = readFileSync(join(repoRoot, 'apps/sample/Dockerfile'), 'utf8');
const instructions = dockerfile
  .split('\n')
  .filter((line) => line.trim() && !line.trim().startsWith('#'))
  .map((line) => {
    const [keyword = '', ...rest] = line.trim().split(/\s+/);
    return { keyword: keyword.toUpperCase(), args: rest.join(' ') };
  });
const args = new Map(
  instructions
    .filter((i) => i.keyword === 'ARG' && i.args.includes('='))
    .map((i) => i.args.split('=', 2) as [string, string]),
);
const stages = instructions
  .filter((i) => i.keyword === 'FROM')
  .map((i) =>
    i.args.split(/\s+AS\s+/i)[0]?.replace(/^\$\{(\w+)\}$/, (_, name: string) => args.get(name) ?? ''),
  );

describe('the sample Dockerfile', () => {
  it('is multi-stage, every stage on a base image pinned by digest', () => {
    expect(stages.length).toBeGreaterThanOrEqual(2);
    for (const image of stages) expect(image).toMatch(/^node:[\w.-]+@sha256:[0-9a-f]{64}$/);
  });

  it('runs the final stage as the fixed non-root user the Deployment sets', () => {
    const lastFrom = instructions.map((i) => i.keyword).lastIndexOf('FROM');
    const users = instructions.slice(lastFrom).filter((i) => i.keyword === 'USER');
    expect(users.at(-1)?.args).toBe(`${runAsUser}:${runAsGroup}`);
    expect(runAsUser).toBeGreaterThan(0);
  });

  it('is the build context of every service in the catalog', () => {
    const catalog = parse(readFileSync(join(repoRoot, 'services.yaml'), 'utf8')) as Record<
      string,
      { build: { context: string } }
    >;
    // `dataStores` is the catalog's data stores, not a service.
    const services = Object.entries(catalog).filter(([name]) => name !== 'dataStores');
    expect(services.map(([, service]) => service.build.context)).toEqual(services.map(() => 'apps/sample'));
  });
});
