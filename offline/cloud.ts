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
