/** One build job of the fan-out: the services whose build inputs are identical, built once together. */
export interface BuildGroup {
  /** Comma-separated, as the services input takes them. */
  services: string;
  /** The first 12 hex digits of their build inputs digest (names the job and its queue). */
  inputs: string;
}

/**
 * Groups services by their build inputs digest, in pipeline.yaml order: the deploy workflow runs one build
 * job per group, in parallel, so 50 services build on 50 runners and identical ones build once.
 */
export function buildGroups(digests: readonly (readonly [service: string, digest: string])[]): BuildGroup[] {
  const groups = new Map<string, string[]>();
  for (const [service, digest] of digests) groups.set(digest, [...(groups.get(digest) ?? []), service]);
  return [...groups].map(([digest, services]) => ({
    services: services.join(','),
    inputs: digest.slice(0, 12),
  }));
}
