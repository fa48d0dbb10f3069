import * as pulumi from '@pulumi/pulumi';
import { z } from 'zod';
import { ConfigError } from '../config/errors';
import { namespace } from '../config/load';

/**
 * Which image each service runs. Images never come from a file in git: the pipeline passes the digests
 * it built or promoted for this run (`slipway:images`, written into the runner's copy of the stack
 * file, never committed), and every service it does not name keeps the digest the stack runs now, which
 * the stack reads from its own previous outputs through a StackReference to itself. So a config-only
 * change, a catalog change or someone's `pulumi up` by hand rolls no service to an older image, and
 * the state is the one record of what runs.
 */

/** The apps stack's output that records the digest every service runs; the next run starts from it. */
export const imageDigestsOutput = 'appsImageDigests';

const digestsSchema = z.record(z.string(), z.string().regex(/^sha256:[0-9a-f]{64}$/));

export interface ImageChoice {
  /** Service names in catalog order. */
  services: string[];
  /** Digests this run was given, by service. */
  passed: Record<string, string>;
  /** Digests the stack runs now (its previous outputs), by service; empty on a first deploy. */
  running: Record<string, string>;
  /** The apps stack file, which errors name. */
  stackFile: string;
}

/**
 * The digest each catalog service runs after this run: the one passed, else the one it runs. A service
 * with neither (new in the catalog, never pushed) is an error naming it: there is nothing to keep and
 * nothing to roll out. Services no longer in the catalog drop out.
 */
export function chooseImageDigests(choice: ImageChoice): Record<string, string> {
  const chosen: Record<string, string> = {};
  const problems: string[] = [];
  for (const service of choice.services) {
    const digest = choice.passed[service] ?? choice.running[service];
    if (digest) chosen[service] = digest;
    else
      problems.push(
        `${choice.stackFile}: ${namespace}:images.${service}: ${service} has no image yet: the stack runs none and this run passes none (build and push it through the pipeline, which passes its digest)`,
      );
  }
  if (problems.length > 0) throw new ConfigError(problems);
  return chosen;
}

/**
 * The digests the running stack records, read through a StackReference to the stack itself: the last
 * successful update's outputs. Nothing (a stack never deployed) reads as no digests.
 */
export async function runningImageDigests(): Promise<Record<string, string>> {
  const self = `${pulumi.getOrganization()}/${pulumi.getProject()}/${pulumi.getStack()}`;
  const reference = new pulumi.StackReference('running', { name: self });
  const details = await reference.getOutputDetails(imageDigestsOutput);
  const recorded = details.value ?? details.secretValue;
  if (recorded === undefined) return {};
  const parsed = digestsSchema.safeParse(recorded);
  if (!parsed.success) {
    throw new ConfigError([`${self}: output ${imageDigestsOutput}: is not a digest per service`]);
  }
  return parsed.data;
}
