import { parsePlanArgs } from '../../plan/args';

const parse = (...argv: string[]) => parsePlanArgs(argv, '/repo', '/work');

describe('parsePlanArgs', () => {
  it('defaults to text for this checkout and resolves folders from the working directory', () => {
    expect(parse('--stack', 'prod')).toEqual({
      stack: 'prod',
      project: 'platform',
      format: 'text',
      projectDir: '/repo',
      help: false,
    });
    expect(
      parse('--stack', 'dev', '--format', 'json', '--out', 'out', '--project-dir', '../p', '--base', 'main'),
    ).toEqual({
      stack: 'dev',
      project: 'platform',
      format: 'json',
      out: '/work/out',
      projectDir: '/p',
      base: 'main',
      help: false,
    });
  });

  it('renders an example from the checkout: --example names a folder under examples/', () => {
    expect(parse('--example', 'roboshop', '--stack', 'dev').projectDir).toBe('/repo/examples/roboshop');
    // An example is a repository of its own: both projects, the apps in its infra/apps.
    expect(parse('--example', 'roboshop', '--stack', 'dev', '--project', 'apps')).toMatchObject({
      projectDir: '/repo/examples/roboshop',
      project: 'apps',
    });
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
    expect(() => parse('--stack', 'prod', '--project', 'workloads')).toThrow(
      '--project: "workloads" is not one of platform, apps',
    );
  });

  it('renders the apps project when asked', () => {
    expect(parse('--stack', 'prod', '--project', 'apps')).toMatchObject({ stack: 'prod', project: 'apps' });
  });
});
