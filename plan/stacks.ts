import { existsSync, readdirSync } from 'node:fs';
import { PlanError } from './errors';

/** Checks the stack file is there before any SDK loads; the error lists the stacks that are. */
export function assertStackExists(projectDir: string, stack: string): void {
  if (!existsSync(projectDir)) throw new PlanError(`${projectDir}: no such project folder`);
  const stackFiles = readdirSync(projectDir).filter((file) => /^Pulumi\.[^.]+\.yaml$/.test(file));
  if (stackFiles.includes(`Pulumi.${stack}.yaml`)) return;
  const stacks = stackFiles.map((file) => file.slice('Pulumi.'.length, -'.yaml'.length)).sort();
  throw new PlanError(
    `Pulumi.${stack}.yaml: no such stack file in ${projectDir} (stacks: ${stacks.join(', ') || 'none'})`,
  );
}
