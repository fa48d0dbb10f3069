import { repositoryOf } from '../context';
import type { Registry } from '../io/ecr';
import type { Pipeline } from '../pipeline/schema';

/** The extra tag that records what went into an image, so an identical build is found and reused. */
export const inputsTag = (digest: string) => `inputs-${digest}`;

/**
 * Where a service's image for this run comes from, checked in the order that avoids the most work:
 * - present: the first environment's repository already has the commit's tag;
 * - reusable: it has an image built from the same inputs, which only needs the commit's tag;
 * - promotable: the environment it promotes from (promoteFrom) has the commit's or the inputs' image;
 * - absent: nothing to reuse, so it is built.
 */
export type ImageSource =
  | { kind: 'present'; repository: string; digest: string }
  | { kind: 'reusable'; repository: string; digest: string }
  | {
      kind: 'promotable';
      repository: string;
      from: string;
      fromRepository: string;
      tag: string;
      digest: string;
    }
  | { kind: 'absent'; repository: string };

export interface SourceQuery {
  pipeline: Pipeline;
  service: string;
  /** The first environment the push reaches: its repository gets the image. */
  environment: string;
  imageTag: string;
  inputsDigest: string;
}

export async function findImageSource(
  registry: Pick<Registry, 'digestOf'>,
  query: SourceQuery,
): Promise<ImageSource> {
  const repository = repositoryOf(query.pipeline, query.environment, query.service);
  const inputs = inputsTag(query.inputsDigest);
  const digest = await registry.digestOf(repository, query.imageTag);
  if (digest) {
    await requireSameInputs(registry, query, repository, digest);
    return { kind: 'present', repository, digest };
  }
  const reusable = await registry.digestOf(repository, inputs);
  if (reusable) return { kind: 'reusable', repository, digest: reusable };
  const from = query.pipeline.environments[query.environment]?.promoteFrom;
  if (from) {
    const fromRepository = repositoryOf(query.pipeline, from, query.service);
    for (const tag of [query.imageTag, inputs]) {
      const found = await registry.digestOf(fromRepository, tag);
      if (!found) continue;
      if (tag === query.imageTag) await requireSameInputs(registry, query, fromRepository, found);
      return { kind: 'promotable', repository, from, fromRepository, tag, digest: found };
    }
  }
  return { kind: 'absent', repository };
}

/**
 * A commit tag already in a repository is this build only if the same repository's inputs tag names the
 * same digest. Otherwise the tag was pushed from other code (an explicit image-tag reused on a changed
 * commit, a tag pushed by hand), and taking it would deploy that code in this commit's name.
 */
async function requireSameInputs(
  registry: Pick<Registry, 'digestOf'>,
  query: SourceQuery,
  repository: string,
  digest: string,
): Promise<void> {
  const inputs = inputsTag(query.inputsDigest);
  const built = await registry.digestOf(repository, inputs);
  if (built === digest) return;
  throw new ImageTagConflict(
    `${query.service}: ${repository}:${query.imageTag} holds ${digest}, which was not built from this commit's inputs (${inputs} ${built ? `holds ${built}` : 'is not in that repository'}); tags are immutable, so run again with a new image-tag (the default is the commit SHA)`,
  );
}

/** A tag names an image built from other inputs than this run's: using it would deploy other code. */
export class ImageTagConflict extends Error {}
