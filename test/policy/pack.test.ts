import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { PolicyPack } from '@pulumi/policy';
import { parse } from 'yaml';
import '../../policy/index';
import { policies } from '../../policy/policies';

const packDir = join(__dirname, '..', '..', 'policy');

// The real PolicyPack starts the analyzer's gRPC server; a mock (hoisted above the imports) records what
// the entry file builds when it is loaded.
jest.mock('@pulumi/policy', () => ({ PolicyPack: jest.fn() }));

describe('the policy pack', () => {
  it('is built by its entry file from exactly the exported policies', () => {
    expect(jest.mocked(PolicyPack).mock.calls).toEqual([['slipway', expect.objectContaining({ policies })]]);
    expect(jest.mocked(PolicyPack).mock.calls[0]?.[1].policies).toBe(policies);
  });

  it('makes every policy mandatory, under a unique name', () => {
    expect(policies.filter((policy) => policy.enforcementLevel !== 'mandatory')).toEqual([]);
    const names = policies.map((policy) => policy.name);
    expect(new Set(names).size).toBe(names.length);
  });

  it('is a Node policy pack folder: PulumiPolicy.yaml, and a package.json naming the version and entry file', () => {
    const project = parse(readFileSync(join(packDir, 'PulumiPolicy.yaml'), 'utf8')) as {
      runtime: { name: string };
    };
    expect(project.runtime.name).toBe('nodejs');
    // PolicyPack reads the version from package.json in the working directory, which is the pack folder.
    const manifest = JSON.parse(readFileSync(join(packDir, 'package.json'), 'utf8')) as Record<
      string,
      unknown
    >;
    expect(manifest.version).toMatch(/^\d+\.\d+\.\d+$/);
    expect(existsSync(join(packDir, String(manifest.main)))).toBe(true);
    // Its dependencies are the repository's: one npm package, one lock file.
    expect(manifest).not.toHaveProperty('dependencies');
    expect(existsSync(join(packDir, 'package-lock.json'))).toBe(false);
  });
});
