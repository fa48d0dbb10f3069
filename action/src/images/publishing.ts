import { InputError } from '../inputs';
import { gatedStack } from '../pipeline/stacks';

/**
 * Which repositories a push writes with the publish role, and which a gated stack's own deploy job fills.
 * A stack some environment deploys with approval (prod) is written only by the promotion step of its own
 * deploy job, with that stack's role, after its reviewers approved: the branch-trusted publish role never
 * writes it, so no branch can put an image where prod pulls from.
 */
export interface Publishing {
  /**
   * The environment whose repository receives the build (or the image reused or promoted for it): the first
   * environment of the push whose stack nobody gates, else the `promoteFrom` of the first gated one.
   */
  home: string;
  /** Further environments of the push, of ungated stacks, that the publish role copies the digest into. */
  copies: string[];
  /** Environments of gated stacks, each with the environment whose repository its deploy job promotes from. */
  promoted: { environment: string; from: string }[];
}

/** Splits the environments a push reaches (in promotion order) by who writes their repositories. */
export function publishingOf(
  // pipeline.yaml's environments, as loaded or (at load, checking each branch rule) as written.
  pipeline: { environments: Record<string, { stack?: string; approval?: boolean; promoteFrom?: string }> },
  environments: string[],
  file: string,
): Publishing {
  const gated = (name: string) => gatedStack(pipeline.environments, name);
  const published = environments.filter((name) => !gated(name));
  const promotedNames = environments.filter(gated);
  const sources = promotedNames.map((environment) => {
    const from = pipeline.environments[environment]?.promoteFrom;
    if (!from)
      throw new InputError(
        `${file}: environments.${environment}.promoteFrom: required: ${environment}'s stack is deployed with approval, so the publish role never writes its repositories and its deploy job promotes the digest from another environment's repository`,
      );
    if (gated(from))
      throw new InputError(
        `${file}: environments.${environment}.promoteFrom: ${from}'s stack is deployed with approval too; promote from an environment the publish role writes`,
      );
    return { environment, from };
  });
  const home = published[0] ?? sources[0]?.from ?? '';
  const reached = new Set([home, ...published]);
  for (const { environment, from } of sources)
    if (!reached.has(from))
      throw new InputError(
        `${file}: environments.${environment}.promoteFrom: ${from} does not receive this push's images (it reaches ${environments.join(', ')}), so ${environment} would have nothing to promote`,
      );
  return { home, copies: published.filter((name) => name !== home), promoted: sources };
}
