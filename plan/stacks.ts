import { readdirSync } from 'node:fs';
import { join } from 'node:path';
import { projectDirs, projectStackFile, type ProjectName } from '../infra/config/projects';
import { PlanError } from './errors';

/**
 * Checks the stack file is there before any SDK loads; the error lists the stacks that are. An apps
 * stack needs the platform stack of the same name too: its outputs are what the apps render against.
 */
export function assertStackExists(repoDir: string, stack: string, project: ProjectName = 'platform'): void {
  for (const needed of project === 'apps' ? (['platform', 'apps'] as const) : (['platform'] as const)) {
    const dir = join(repoDir, projectDirs[needed]);
    let stackFiles: string[];
    try {
      stackFiles = readdirSync(dir).filter((file) => /^Pulumi\.[^.]+\.yaml$/.test(file));
    } catch {
      throw new PlanError(`${projectDirs[needed]}: no ${needed} project in ${repoDir}`);
    }
    if (stackFiles.includes(`Pulumi.${stack}.yaml`)) continue;
    const stacks = stackFiles.map((file) => file.slice('Pulumi.'.length, -'.yaml'.length)).sort();
    throw new PlanError(
      `${projectStackFile(needed, stack)}: no such stack file in ${dir} (stacks: ${stacks.join(', ') || 'none'})`,
    );
  }
}
