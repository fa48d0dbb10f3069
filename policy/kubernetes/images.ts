import type { ResourceValidationPolicy } from '@pulumi/policy';
import { forTypes } from '../applies-to';
import { allContainers, podSpecOf, workloadTypes } from './workload';

const digestPinned = /@sha256:[0-9a-f]{64}$/;

/** The tag of an image reference (`repo:tag`), ignoring a registry port (`host:5000/repo`). */
function tagOf(image: string): string | undefined {
  const withoutDigest = image.split('@')[0] ?? '';
  const lastSegment = withoutDigest.slice(withoutDigest.lastIndexOf('/') + 1);
  const colon = lastSegment.indexOf(':');
  return colon === -1 ? undefined : lastSegment.slice(colon + 1);
}

/**
 * A tag can be moved; a digest cannot. Pinning by digest makes every node run the bytes that were
 * scanned and promoted, and `latest` is refused outright, even with a digest, because it says
 * nothing about which build was meant.
 */
export const imagePinnedByDigest: ResourceValidationPolicy = {
  name: 'k8s-image-pinned-by-digest',
  description: 'Every container image is pinned by its sha256 digest and never refers to `latest`.',
  enforcementLevel: 'mandatory',
  validateResource: forTypes(workloadTypes, (props, args, report) => {
    for (const { label, container } of allContainers(podSpecOf(args.type, props))) {
      const image = container.image;
      if (!image) {
        report(`${label} names no image`);
        continue;
      }
      if (tagOf(image) === 'latest') report(`${label}: image "${image}" uses the tag "latest"`);
      if (!digestPinned.test(image)) report(`${label}: image "${image}" is not pinned by digest (@sha256:…)`);
    }
  }),
};
