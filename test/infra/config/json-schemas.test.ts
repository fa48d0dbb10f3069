import Ajv2020 from 'ajv/dist/2020';
import { execFileSync } from 'node:child_process';
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { parse as parseYaml } from 'yaml';
import { catalogJsonSchema, stackJsonSchema } from '../../../infra/config/json-schemas';

const repoRoot = join(__dirname, '..', '..', '..');
const ajv = new Ajv2020({ allErrors: true, strict: false });
ajv.addFormat('cidrv4', true); // the pattern beside it does the checking
const validateCatalog = ajv.compile(catalogJsonSchema());
const validateStack = ajv.compile(stackJsonSchema());
const readYaml = (file: string) => parseYaml(readFileSync(join(repoRoot, file), 'utf8')) as unknown;
const stackFiles = readdirSync(repoRoot).filter((file) => /^Pulumi\.[\w-]+\.yaml$/.test(file));
const errorsOf = (validate: typeof validateStack) =>
  (validate.errors ?? []).map((e) => `${e.instancePath} ${e.message ?? ''}`);

describe('the committed JSON Schemas', () => {
  it('accept the committed catalog', () => {
    expect(validateCatalog(readYaml('services.yaml'))).toBe(true);
  });

  it.each(stackFiles)('accept %s', (file) => {
    const valid = validateStack(readYaml(file));
    expect(errorsOf(validateStack)).toEqual([]);
    expect(valid).toBe(true);
  });

  it('are wired into each file through the yaml-language-server comment', () => {
    for (const [file, schema] of [
      ['services.yaml', 'services.schema.json'],
      ...stackFiles.map((f) => [f, 'stack.schema.json']),
    ] as const) {
      expect(readFileSync(join(repoRoot, file), 'utf8').split('\n')[0]).toBe(
        `# yaml-language-server: $schema=./${schema}`,
      );
    }
  });

  it('refuse a misspelt slipway key, a misspelt nested key and a value of the wrong kind', () => {
    const stack = readYaml('Pulumi.dev.yaml') as { config: Record<string, unknown> };
    expect(validateStack({ config: { ...stack.config, 'slipway:netwrok': {} } })).toBe(false);
    expect(validateStack({ config: { ...stack.config, 'slipway:network': { azcount: 2 } } })).toBe(false);
    expect(validateStack({ config: { ...stack.config, 'slipway:network': { azCount: 'two' } } })).toBe(false);
    expect(validateStack({ config: { ...stack.config, 'kubernetes:context': 'other' } })).toBe(true);
    const catalog = readYaml('services.yaml') as Record<string, Record<string, unknown>>;
    expect(validateCatalog({ ...catalog, web: { ...catalog.web, prot: 8080 } })).toBe(false);
    expect(validateCatalog({ ...catalog, Web_2: catalog.web })).toBe(false);
  });

  it('take a partial override in a stack file but a whole node group in a list', () => {
    const base = { 'aws:region': 'eu-west-1', 'slipway:tier': 'dev' };
    expect(
      validateStack({ config: { ...base, 'slipway:dataStores': { 'app-db': { multiAz: true } } } }),
    ).toBe(true);
    expect(validateStack({ config: { ...base, 'slipway:cluster': { nodeGroups: [{ name: 'x' }] } } })).toBe(
      false,
    );
  });

  it('are what the schemas generate, with the generated reference (npm run docs -- --check)', () => {
    expect(() =>
      execFileSync(join(repoRoot, 'node_modules', '.bin', 'tsx'), ['scripts/docs.ts', '--check'], {
        cwd: repoRoot,
        stdio: 'pipe',
      }),
    ).not.toThrow();
  });
});
