import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { buildInputsDigest } from '../../../action/src/io/build-inputs';

const root = mkdtempSync(join(tmpdir(), 'slipway-build-inputs-'));
afterAll(() => rmSync(root, { recursive: true, force: true }));

const build = { context: 'app', dockerfile: 'Dockerfile', buildArgs: { NODE_ENV: 'production' } };
function write(path: string, text: string): void {
  mkdirSync(join(root, path, '..'), { recursive: true });
  writeFileSync(join(root, path), text);
}

test('the digest covers the context files, the Dockerfile and the build args, and nothing else', () => {
  write('app/Dockerfile', 'FROM node:20-alpine\n');
  write('app/src/server.js', 'listen(8080)\n');
  const base = buildInputsDigest(root, build);
  expect(base).toMatch(/^[0-9a-f]{40}$/);
  expect(buildInputsDigest(root, build)).toBe(base);

  write('app/node_modules/left-pad/index.js', 'ignored\n');
  write('app/.git/HEAD', 'ref: refs/heads/main\n');
  write('elsewhere.txt', 'outside the context\n');
  expect(buildInputsDigest(root, build)).toBe(base);

  expect(buildInputsDigest(root, { ...build, buildArgs: { NODE_ENV: 'development' } })).not.toBe(base);
  write('app/src/server.js', 'listen(9090)\n');
  const changedFile = buildInputsDigest(root, build);
  expect(changedFile).not.toBe(base);
  write('app/Dockerfile', 'FROM node:22-alpine\n');
  expect(buildInputsDigest(root, build)).not.toBe(changedFile);
});

test('moving content between files changes the digest', () => {
  write('app/a', 'xy');
  write('app/b', '');
  const before = buildInputsDigest(root, build);
  write('app/a', 'x');
  write('app/b', 'y');
  expect(buildInputsDigest(root, build)).not.toBe(before);
});
