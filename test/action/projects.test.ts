import { mkdirSync, mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { InputError, readInputs } from '../../action/src/inputs';
import { bootstrapStack, pulumiProject } from '../../action/src/projects';

const repoRoot = join(__dirname, '..', '..');

/** readInputs with these INPUT_* variables, as the runner sets them, and no others. */
function inputs(values: Record<string, string>) {
  const saved = process.env;
  process.env = Object.fromEntries([
    ...Object.entries(saved).filter(([key]) => !key.startsWith('INPUT_')),
    ...Object.entries(values).map(([key, value]) => [`INPUT_${key.toUpperCase()}`, value]),
  ]);
  try {
    return readInputs('schedule');
  } finally {
    process.env = saved;
  }
}

describe('the bootstrap as a project of the action', () => {
  it('is checked for drift, and refused for anything else, naming the input', () => {
    expect(inputs({ command: 'drift', project: 'bootstrap' }).project).toBe('bootstrap');
    for (const command of ['deploy', 'preview']) {
      expect(() => inputs({ command, project: 'bootstrap' })).toThrow(InputError);
      expect(() => inputs({ command, project: 'bootstrap' })).toThrow(
        `input project: bootstrap is only checked for drift (command: drift), never ${command}`,
      );
    }
  });

  it("is infra/bootstrap's project, and its stack the one stack file there", () => {
    expect(pulumiProject(repoRoot, 'bootstrap').name).toBe('slipway-bootstrap');
    expect(bootstrapStack(repoRoot)).toBe('sample');
    const root = mkdtempSync(join(tmpdir(), 'slipway-bootstrap-stacks-'));
    mkdirSync(join(root, 'infra', 'bootstrap'), { recursive: true });
    writeFileSync(join(root, 'infra', 'bootstrap', 'Pulumi.yaml'), 'name: slipway-bootstrap\n');
    expect(() => bootstrapStack(root)).toThrow(
      'input project: bootstrap needs exactly one stack file infra/bootstrap/Pulumi.<stack>.yaml (found none)',
    );
    for (const stack of ['eu', 'us'])
      writeFileSync(join(root, 'infra', 'bootstrap', `Pulumi.${stack}.yaml`), '');
    expect(() => bootstrapStack(root)).toThrow('(found eu, us); set the stack input to choose one');
  });

  it('names a Pulumi.yaml without a project name', () => {
    const root = mkdtempSync(join(tmpdir(), 'slipway-bootstrap-unnamed-'));
    mkdirSync(join(root, 'infra', 'bootstrap'), { recursive: true });
    writeFileSync(join(root, 'infra', 'bootstrap', 'Pulumi.yaml'), 'runtime: nodejs\n');
    expect(() => pulumiProject(root, 'bootstrap')).toThrow(
      'input project: infra/bootstrap/Pulumi.yaml names no Pulumi project (its name key is missing or empty)',
    );
  });
});
