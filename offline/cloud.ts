import { createHash } from 'node:crypto';

/** The pretend account the offline engine answers for: fixed, so every render is reproducible. */
export const offlineAccountId = '123456789012';

/** A stable hex string derived from the parts: the same resource always gets the same ID. */
export function stableHex(length: number, ...parts: string[]): string {
  return createHash('sha256').update(parts.join('\u0000')).digest('hex').slice(0, length);
}

/** The image digest the offline ECR "has" for a repository and tag. */
export function offlineImageDigest(repositoryName: string, imageTag: string): string {
  return `sha256:${stableHex(64, 'image', repositoryName, imageTag)}`;
}

/** The addresses the offline engine answers for S3's AWS-managed prefix list: a few of S3's public ranges. */
export const offlineS3Cidrs = ['3.5.64.0/21', '3.5.72.0/23', '52.92.0.0/17', '52.218.0.0/17'];

/**
 * The numeric ID GitHub would answer for a user login or a team slug: stable per name, so a test can say
 * which reviewer ID a login becomes. The offline engine cannot know who exists; any name resolves.
 */
export const offlineGitHubId = (kind: 'user' | 'team', name: string): number =>
  Number.parseInt(stableHex(7, 'github', kind, name), 16);
