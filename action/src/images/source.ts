import { repositoryOf } from '../context';
import type { Registry } from '../io/ecr';
import type { Pipeline } from '../pipeline/schema';

/** An environment's registry, as the source lookup needs it: its tags, and the host its images are named by. */
export type RegistryOf = (environment: string) => { registry: Pick<Registry, 'digestOf'>; host: string };

/** The extra tag that records what went into an image, so an identical build is found and reused. */
export const inputsTag = (digest: string) => `inputs-${digest}`;

/**
 * Where a service's image for this run comes from, checked in the order that avoids the most work:
 * - present: the first environment's repository already has the commit's tag;
 * - reusable: it has an image built from the same inputs, which only needs the commit's tag;
 * - promotable: the environment it promotes from (promoteFrom) has the commit's or the inputs' image;
 * - absent: nothing to reuse, so it is built.
 */
export type ImageSource = {
  /** The repository of the environment the image is for, and the image's name there (`<host>/<repository>`). */
  repository: string;
  image: string;
} & (
  | { kind: 'present'; digest: string }
  | { kind: 'reusable'; digest: string }
  | {
      kind: 'promotable';
      from: string;
      fromRepository: string;
      /** The image's name in the promoteFrom environment's registry. */
      fromImage: string;
      tag: string;
      digest: string;
    }
  | { kind: 'absent' }
);

export interface SourceQuery {
  pipeline: Pipeline;
  service: string;
  /** The first environment the push reaches: its repository gets the image. */
  environment: string;
  imageTag: string;
  inputsDigest: string;
}

export async function findImageSource(registries: RegistryOf, query: SourceQuery): Promise<ImageSource> {
  const { registry, host } = registries(query.environment);
  const repository = repositoryOf(query.pipeline, query.environment, query.service);
  const named = { repository, image: `${host}/${repository}` };
  const inputs = inputsTag(query.inputsDigest);
  const digest = await registry.digestOf(repository, query.imageTag);
  if (digest) {
    await requireSameInputs(registry, query, repository, digest);
    return { kind: 'present', ...named, digest };
  }
  const reusable = await registry.digestOf(repository, inputs);
  if (reusable) return { kind: 'reusable', ...named, digest: reusable };
  const from = query.pipeline.environments[query.environment]?.promoteFrom;
  if (from) {
    const source = registries(from);
    const fromRepository = repositoryOf(query.pipeline, from, query.service);
    for (const tag of [query.imageTag, inputs]) {
      const found = await source.registry.digestOf(fromRepository, tag);
      if (!found) continue;
      if (tag === query.imageTag) await requireSameInputs(source.registry, query, fromRepository, found);
      const fromImage = `${source.host}/${fromRepository}`;
      return { kind: 'promotable', ...named, from, fromRepository, fromImage, tag, digest: found };
    }
  }
  return { kind: 'absent', ...named };
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
