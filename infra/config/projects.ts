/**
 * The two Pulumi projects and which stack-file keys each owns. The platform (the repository root) owns
 * what changes rarely and behind approval; the apps project (infra/apps) owns what service teams change
 * on every merge. A key in the wrong project's file is an error that names the file it belongs in, so
 * a setting can never be silently ignored by the project that does not read it.
 */
export const projects = ['platform', 'apps'] as const;
export type ProjectName = (typeof projects)[number];

/** Where each project's Pulumi.yaml and stack files are, relative to the repository root. */
export const projectDirs: Record<ProjectName, string> = { platform: '.', apps: 'infra/apps' };

export const projectStackKeys = {
  platform: ['tier', 'network', 'cluster', 'dataStores', 'registry', 'edge'],
  apps: ['tier', 'quota', 'ingress', 'services', 'images'],
} as const satisfies Record<ProjectName, readonly string[]>;

export type StackKey = (typeof projectStackKeys)[ProjectName][number];

/** The stack file as an error line names it: relative to the repository root. */
export function projectStackFile(project: ProjectName, stack: string): string {
  const dir = projectDirs[project];
  return dir === '.' ? `Pulumi.${stack}.yaml` : `${dir}/Pulumi.${stack}.yaml`;
}
