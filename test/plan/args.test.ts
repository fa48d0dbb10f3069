import { parsePlanArgs } from '../../plan/args';

const parse = (...argv: string[]) => parsePlanArgs(argv, '/repo', '/work');

describe('parsePlanArgs', () => {
  it('defaults to text for this checkout and resolves folders from the working directory', () => {
    expect(parse('--stack', 'prod')).toEqual({
      stack: 'prod',
      format: 'text',
      projectDir: '/repo',
      help: false,
    });
    expect(
      parse('--stack', 'dev', '--format', 'json', '--out', 'out', '--project-dir', '../p', '--base', 'main'),
    ).toEqual({
      stack: 'dev',
      format: 'json',
      out: '/work/out',
      projectDir: '/p',
      base: 'main',
      help: false,
    });
  });

  it('renders an example from the checkout: --example names a folder under examples/', () => {
    expect(parse('--example', 'roboshop', '--stack', 'dev').projectDir).toBe('/repo/examples/roboshop');
    expect(() => parse('--example', '../secrets', '--stack', 'dev')).toThrow(
      '--example: "../secrets" is not an example name',
    );
    expect(() => parse('--example', 'roboshop', '--project-dir', '.', '--stack', 'dev')).toThrow(
      '--example and --project-dir: give one or the other',
    );
  });

  it('rejects what it cannot run with, naming the option', () => {
    expect(() => parse()).toThrow('--stack is required');
    expect(() => parse('--stack', '../etc')).toThrow('--stack: "../etc" is not a stack name');
    expect(() => parse('--stack', 'prod', '--format', 'xml')).toThrow(
      '--format: "xml" is not one of text, json, markdown',
    );
    expect(() => parse('--stack', 'prod', '--base', '--upload-pack=x')).toThrow(/--base/);
    expect(() => parse('--stack', 'prod', '--colour')).toThrow(/--colour/);
  });
});
