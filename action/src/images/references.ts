import type { ActionContext } from '../context';
import { InputError } from '../inputs';

/** A service's image as the images input names it: `<repository>@sha256:…` (push's output) or the digest. */
export interface ImageReference {
  service: string;
  repository?: string;
  digest: string;
}

const byDigest = /^(?:([^@\s]+)@)?(sha256:[0-9a-f]{64})$/;

/**
 * The images input, every entry checked the same way wherever it is read (a deploy's digests, a gated
 * stack's promotion): a service pipeline.yaml builds, and an image by digest, never by tag.
 */
export function imagesInput(ctx: ActionContext): ImageReference[] {
  return Object.entries(ctx.inputs.images).map(([service, reference]) => {
    if (!(service in ctx.pipeline.services))
      throw new InputError(`input images: ${service} is not a service of ${ctx.inputs.config}`);
    const match = byDigest.exec(reference);
    const digest = match?.[2];
    if (!digest)
      throw new InputError(
        `input images: ${service}: must be an image by digest (<repository>@sha256:<64 hex>), got "${reference}"`,
      );
    return { service, repository: match?.[1], digest };
  });
}
