import type { RegistryLogin } from './ecr';
import { run, tail } from './exec';

export interface BuildRequest {
  context: string;
  dockerfile: string;
  tags: string[];
  labels: Record<string, string>;
  buildArgs: Record<string, string>;
  /** Cache scope in the GitHub Actions cache. */
  cacheScope: string;
}

export async function dockerLogin(login: RegistryLogin): Promise<void> {
  const result = await run(
    'docker',
    ['login', '--username', login.username, '--password-stdin', login.host],
    {
      input: login.password,
    },
  );
  if (result.code !== 0) throw new Error(`docker login to ${login.host} failed: ${tail(result.stderr)}`);
}

export async function dockerBuild(request: BuildRequest): Promise<void> {
  const args = ['buildx', 'build', '--file', request.dockerfile, '--load'];
  for (const tag of request.tags) args.push('--tag', tag);
  for (const [name, value] of Object.entries(request.labels)) args.push('--label', `${name}=${value}`);
  for (const [name, value] of Object.entries(request.buildArgs)) args.push('--build-arg', `${name}=${value}`);
  args.push(
    '--cache-from',
    `type=gha,scope=${request.cacheScope}`,
    '--cache-to',
    `type=gha,mode=max,scope=${request.cacheScope}`,
    request.context,
  );
  const result = await run('docker', args, { stream: true });
  if (result.code !== 0)
    throw new Error(`docker buildx build exited with ${result.code}: ${tail(result.stderr)}`);
}

export async function dockerPush(image: string): Promise<void> {
  const result = await run('docker', ['push', image], { stream: true });
  if (result.code !== 0)
    throw new Error(`docker push ${image} exited with ${result.code}: ${tail(result.stderr)}`);
}

/**
 * Tags `source` (repository@digest) under each target without pulling it: within one registry the manifest
 * and layers are copied server-side, so every target has exactly the same digest.
 */
export async function dockerCopyImage(source: string, targets: readonly string[]): Promise<void> {
  const args = ['buildx', 'imagetools', 'create'];
  for (const target of targets) args.push('--tag', target);
  args.push(source);
  const result = await run('docker', args, { stream: true });
  if (result.code !== 0)
    throw new Error(`docker buildx imagetools create exited with ${result.code}: ${tail(result.stderr)}`);
}
