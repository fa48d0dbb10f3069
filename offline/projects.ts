import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { parse as parseYaml } from 'yaml';
import { imageDigestsOutput } from '../infra/apps/images';
import { projectDirs, type ProjectName } from '../infra/config/projects';
import { platformStackName } from '../infra/outputs';
import { environmentOf } from '../infra/settings/derive';
import { readSettings } from '../infra/settings/load';
import { settingsFile } from '../infra/settings/schema';
import { offlineImageDigest } from './cloud';
import { offlineOrganization, runOffline, type OfflineRun } from './engine';
import type { RecordedResource } from './mocks';

type Program = () => Promise<Record<string, unknown>>;

/**
 * The two programs, loaded only when a stack of theirs is rendered: the AWS and Kubernetes SDKs load
 * when needed, and `--help` stays instant.
 */
const programs: Record<ProjectName, () => Program> = {
  platform: () => {
    // eslint-disable-next-line @typescript-eslint/no-require-imports
    const loaded = require('../infra/program') as typeof import('../infra/program');
    return loaded.platformProgram as Program;
  },
  apps: () => {
    // eslint-disable-next-line @typescript-eslint/no-require-imports
    const loaded = require('../infra/apps/program') as typeof import('../infra/apps/program');
    return loaded.appsProgram;
  },
};

/** A project's full stack name, as a StackReference spells it: `organization/<Pulumi.yaml name>/<stack>`. */
function fullStackName(projectDir: string, stack: string): string {
  const project = parseYaml(readFileSync(join(projectDir, 'Pulumi.yaml'), 'utf8')) as { name: string };
  return `${offlineOrganization}/${project.name}/${stack}`;
}

export interface ProjectRunOptions {
  /** The repository root: Pulumi.yaml, services.yaml, infra/apps/. */
  repoDir: string;
  stack: string;
  configOverrides?: Record<string, string>;
  onResource?: (resource: RecordedResource) => void;
}

/**
 * The account slipway.yaml places the stack in (with one account per environment, prod's own), so the plan
 * shows the ARNs the stack's credentials would make; the offline account when the repository has no
 * slipway.yaml or it does not name the stack.
 */
function accountOf(repoDir: string, stack: string): string | undefined {
  if (!existsSync(join(repoDir, settingsFile))) return undefined;
  return environmentOf(readSettings(repoDir), stack)?.account;
}

/** Renders the platform stack: the root project. */
export function runPlatform(options: ProjectRunOptions): Promise<OfflineRun> {
  return runOffline({
    projectDir: join(options.repoDir, projectDirs.platform),
    stack: options.stack,
    program: programs.platform(),
    configOverrides: options.configOverrides,
    onResource: options.onResource,
    // The platform reads no other stack.
    stackOutputs: {},
    accountId: accountOf(options.repoDir, options.stack),
  });
}

export interface AppsRunOptions extends ProjectRunOptions {
  /**
   * The platform stack's outputs, as its StackReference reads them: a platform render's outputs, `{}`
   * for a platform stack created but never deployed, undefined for one that does not exist.
   */
  platformOutputs: Record<string, unknown> | undefined;
  /**
   * What the apps stack runs now (its own previous outputs): a digest per service, or `{}` for a stack
   * never deployed. By default every repository the platform has holds a stand-in "running" image.
   */
  running?: Record<string, string>;
}

/**
 * Renders the apps stack against a platform stack's outputs, with the StackReferences answered as the
 * engine would: the platform's outputs, and the stack's own previous outputs for the images it runs.
 */
export function runApps(options: AppsRunOptions): Promise<OfflineRun> {
  const platformName = platformStackName(offlineOrganization, options.stack);
  const running = options.running ?? standInDigests(options.platformOutputs);
  const projectDir = join(options.repoDir, projectDirs.apps);
  return runOffline({
    projectDir,
    stack: options.stack,
    program: programs.apps(),
    configOverrides: options.configOverrides,
    onResource: options.onResource,
    stackOutputs: {
      ...(options.platformOutputs ? { [platformName]: options.platformOutputs } : {}),
      [fullStackName(projectDir, options.stack)]: { [imageDigestsOutput]: running },
    },
    accountId: accountOf(options.repoDir, options.stack),
  });
}

/** A stand-in digest for every repository the platform has: the offline engine's "what runs now". */
function standInDigests(platformOutputs: Record<string, unknown> | undefined): Record<string, string> {
  const urls = (platformOutputs?.registryRepositoryUrls ?? {}) as Record<string, string>;
  return Object.fromEntries(
    Object.entries(urls).map(([service, url]) => [
      service,
      offlineImageDigest(url.split('/').slice(1).join('/'), 'running'),
    ]),
  );
}
