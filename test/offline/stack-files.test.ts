import { mkdtempSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { ConfigError } from '../../infra/config/errors';
import { readStackFiles, secretPlaceholder } from '../../offline/stack-files';
import { scratchDir } from '../support/scratch';

const scratch = scratchDir('slipway-stack-files');

function projectWith(stackYaml: string, projectYaml = 'name: demo\nruntime: nodejs\n'): string {
  const dir = mkdtempSync(join(scratch, 'project-'));
  writeFileSync(join(dir, 'Pulumi.yaml'), projectYaml);
  writeFileSync(join(dir, 'Pulumi.test.yaml'), stackYaml);
  return dir;
}

describe('readStackFiles', () => {
  it('qualifies bare keys with the project name and encodes structured values as JSON', () => {
    const dir = projectWith(
      'config:\n  aws:region: eu-west-1\n  tier: prod\n  demo:network:\n    azCount: 3\n',
    );
    const files = readStackFiles(dir, 'test');
    expect(files.project).toBe('demo');
    expect(files.config).toEqual({
      'aws:region': 'eu-west-1',
      'demo:tier': 'prod',
      'demo:network': '{"azCount":3}',
    });
    expect(files.secretKeys).toEqual([]);
  });

  it('replaces secure values, top-level and nested, with the placeholder and marks their keys secret', () => {
    const dir = projectWith(
      'config:\n  demo:token:\n    secure: v1:AAAA\n  demo:db:\n    user: app\n    password:\n      secure: v1:BBBB\n',
    );
    const files = readStackFiles(dir, 'test');
    expect(files.config['demo:token']).toBe(secretPlaceholder);
    expect(JSON.parse(files.config['demo:db'] ?? '')).toEqual({ user: 'app', password: secretPlaceholder });
    expect(files.secretKeys.sort()).toEqual(['demo:db', 'demo:token']);
    expect(JSON.stringify(files)).not.toMatch(/v1:/);
  });

  it('applies project defaults under the stack values', () => {
    const dir = projectWith(
      'config:\n  demo:size: large\n',
      'name: demo\nruntime: nodejs\nconfig:\n  demo:size:\n    default: small\n  demo:color:\n    default: blue\n',
    );
    expect(readStackFiles(dir, 'test').config).toEqual({ 'demo:size': 'large', 'demo:color': 'blue' });
  });

  it('names the missing stack file', () => {
    const dir = projectWith('config: {}\n');
    expect(() => readStackFiles(dir, 'nope')).toThrow(/^Pulumi\.nope\.yaml: no such stack file/);
  });

  it('reports a stack file that is not YAML as a config problem naming the file and the line', () => {
    const dir = projectWith('config:\n  demo:network: [\n');
    let thrown: unknown;
    try {
      readStackFiles(dir, 'test');
    } catch (error) {
      thrown = error;
    }
    expect(thrown).toBeInstanceOf(ConfigError);
    expect((thrown as ConfigError).problems).toEqual([
      expect.stringMatching(/^Pulumi\.test\.yaml:\d+:\d+: not valid YAML: [^:]*[^:\n]$/),
    ]);
  });
});
