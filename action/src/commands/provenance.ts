import * as core from '@actions/core';
import type { ActionContext } from '../context';
import { attestationProblem } from '../io/attestation';
import { provenanceRefusal, type ExpectedBuilder } from '../images/provenance';

/** This repository's image-building workflow, as the provenance of every image must name it. */
export function expectedBuilder(ctx: ActionContext): ExpectedBuilder {
  return {
    serverUrl: ctx.serverUrl,
    repository: `${ctx.repo.owner}/${ctx.repo.repo}`,
    workflow: ctx.inputs.provenanceWorkflow,
  };
}

/** An image refused for its provenance: the one line names it and why. */
export class ProvenanceError extends Error {
  override name = 'ProvenanceError';
}

/**
 * Refuses `image` (`registry/repository@sha256:…`) unless its build provenance verifies. ECR tags are
 * first-writer-wins and the inputs tag is computable from the repository, so an image found there, or named
 * by the images input, is trusted only when this repository's workflow attested building that digest.
 */
export async function requireProvenance(ctx: ActionContext, image: string): Promise<void> {
  const expected = expectedBuilder(ctx);
  const problem = await attestationProblem(image, expected, ctx.inputs.githubToken);
  if (problem) throw new ProvenanceError(provenanceRefusal(image, problem, expected));
  core.info(`${image}: build provenance verified (${expected.workflow} of ${expected.repository})`);
}
