import { writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import * as core from '@actions/core';
import {
  publishing,
  repositoryOf,
  selectedServices,
  targetEnvironment,
  type ActionContext,
} from '../context';
import { buildInputsDigest } from '../io/build-inputs';
import { dockerCopyImage, dockerPush } from '../io/docker';
import { withRetry } from '../io/retry';
import { isTransientPushFailure } from '../images/transient';
import { findImageSource, inputsTag } from '../images/source';
import { InputError } from '../inputs';
import { messageOf } from '../errors';
import { subjectChecksums } from '../images/provenance';
import { openRegistry, type EnvironmentRegistry } from './registry-session';
import { requireProvenance } from './provenance';
import { imagesInput } from '../images/references';

const pushRetries = 3;
const pushDelayMs = 2000;

/**
 * Makes each service's image available in the repositories the publish role writes: the home environment's
 * gets the build (or the digest promoted from its promoteFrom environment), every further ungated one a copy
 * of that same digest. A gated stack's environments get the reference their own deploy job promotes from
 * (push with `images`, see promoteImages). Nothing is ever built twice.
 */
export async function pushCommand(ctx: ActionContext): Promise<void> {
  if (!ctx.inputs.push)
    throw new InputError('input push: push is false, so there is nothing to push (build made a local image)');
  if (Object.keys(ctx.inputs.images).length > 0) return promoteImages(ctx);
  const { home, copies: further, promoted } = publishing(ctx);
  const homeFrom = ctx.pipeline.environments[home]?.promoteFrom;
  const session = await openRegistry(ctx, [home, ...further, ...(homeFrom ? [homeFrom] : [])]);
  const { registry } = session.at(home);

  const byEnvironment: Record<string, Record<string, string>> = {};
  const record = (environment: string, service: string, image: string) =>
    ((byEnvironment[environment] ??= {})[service] = image);
  /** The images this job pushed from its own build: the workflow attests their provenance next. */
  const pushedHere: string[] = [];
  for (const [service, build] of selectedServices(ctx)) {
    const inputsDigest = buildInputsDigest(ctx.root, build);
    const tags = [ctx.imageTag, inputsTag(inputsDigest)];
    const source = await findImageSource(session.at, {
      pipeline: ctx.pipeline,
      service,
      environment: home,
      imageTag: ctx.imageTag,
      inputsDigest,
    });
    const { image } = source;
    if (ctx.inputs.stage) {
      // A build job of the fan-out: only the content-addressed tag of what it built, which nothing deploys;
      // the push job after every build job and scan gate tags the commit and copies it on.
      if (source.kind === 'absent') {
        await retried(service, image, () => dockerPush(`${image}:${inputsTag(inputsDigest)}`));
        const staged = await registry.digestOf(source.repository, inputsTag(inputsDigest));
        if (!staged)
          throw new Error(
            `push of ${service}: ECR has no ${source.repository}:${inputsTag(inputsDigest)} after the push`,
          );
        pushedHere.push(`${image}@${staged}`);
        core.info(`${service}: staged ${image}:${inputsTag(inputsDigest)} for the push job`);
      }
      continue;
    }
    let digest: string | undefined;
    // An image this job did not build is pushed on only when this repository's workflow attested building it.
    if (source.kind !== 'absent')
      await requireProvenance(
        ctx,
        source.kind === 'promotable' ? `${source.fromImage}@${source.digest}` : `${image}@${source.digest}`,
      );
    if (source.kind === 'present') {
      core.info(`${service}: ${image}:${ctx.imageTag} is already in ECR (reused build), not pushing`);
      digest = source.digest;
    } else if (source.kind === 'reusable') {
      await registry.addTag(source.repository, inputsTag(inputsDigest), ctx.imageTag);
      core.info(`${service}: ${image} has an image built from the same inputs; tagged it ${ctx.imageTag}`);
    } else if (source.kind === 'promotable') {
      await copyDigest(session.at(home), service, source.fromImage, source.digest, {
        repository: source.repository,
        tags,
      });
      core.info(
        `${service}: promoted ${source.digest} from ${source.from} (${source.fromRepository}:${source.tag}) to ${home} (${source.repository}); nothing built`,
      );
      digest = source.digest;
    } else {
      for (const tag of tags) await retried(service, image, () => dockerPush(`${image}:${tag}`));
    }
    const built = source.kind === 'absent';
    digest ??= await registry.digestOf(source.repository, ctx.imageTag);
    if (!digest)
      throw new Error(`push of ${service}: ECR has no ${source.repository}:${ctx.imageTag} after the push`);
    if (built) pushedHere.push(`${image}@${digest}`);
    record(home, service, `${image}@${digest}`);

    for (const environment of further) {
      const repository = repositoryOf(ctx.pipeline, environment, service);
      const target = session.at(environment);
      await copyDigest(target, service, image, digest, { repository, tags });
      core.info(`${service}: copied ${digest} from ${home} to ${environment} (${repository})`);
      record(environment, service, `${target.host}/${repository}@${digest}`);
    }
    // Not written here: the gated environment's deploy job promotes this digest from its promoteFrom's.
    for (const { environment, from } of promoted) {
      record(
        environment,
        service,
        `${session.at(from).host}/${repositoryOf(ctx.pipeline, from, service)}@${digest}`,
      );
      core.info(`${service}: ${environment}'s deploy job promotes ${digest} from ${from} after its approval`);
    }
  }
  const subjects = subjectChecksums(pushedHere);
  if (subjects) core.setOutput('subject-checksums', writeSubjects(subjects));
  if (ctx.inputs.stage) return;
  core.setOutput('images', JSON.stringify(byEnvironment[home]));
  core.setOutput('environment-images', JSON.stringify(byEnvironment));
  core.setOutput('image-tag', ctx.imageTag);
}

/**
 * The promotion step of a gated stack's deploy job, run with that stack's role after approval: copies the
 * digests `images` names (as push output them, in the promoteFrom environment's repository) into the
 * environment's own repositories, each only once its build provenance verifies. Outputs the environment's
 * references.
 */
async function promoteImages(ctx: ActionContext): Promise<void> {
  const { name } = targetEnvironment(ctx);
  const sources = imagesInput(ctx).map(({ service, repository, digest }) => {
    const build = ctx.pipeline.services[service];
    // A promotion copies from a repository: a bare digest names none.
    if (!build || !repository)
      throw new InputError(
        `input images: ${service}: must be an image by digest (<repository>@sha256:<64 hex>), got "${digest}"`,
      );
    return { service, build, source: repository, digest };
  });
  // Its own registry, and its promoteFrom's, which may be another account's (one account per environment).
  const from = ctx.pipeline.environments[name]?.promoteFrom;
  const session = await openRegistry(ctx, from ? [name, from] : [name]);
  const target = session.at(name);
  const images: Record<string, string> = {};
  for (const { service, build, source, digest } of sources) {
    await requireProvenance(ctx, `${source}@${digest}`);
    const repository = repositoryOf(ctx.pipeline, name, service);
    const tags = [ctx.imageTag, inputsTag(buildInputsDigest(ctx.root, build))];
    await copyDigest(target, service, source, digest, { repository, tags });
    core.info(`${service}: promoted ${digest} from ${source} into ${repository}`);
    images[service] = `${target.host}/${repository}@${digest}`;
  }
  core.setOutput('images', JSON.stringify(images));
  core.setOutput('environment-images', JSON.stringify({ [name]: images }));
  core.setOutput('image-tag', ctx.imageTag);
}

/**
 * Writes the images this job pushed as `<sha256 hex>  <image>` lines, for actions/attest-build-provenance's
 * subject-checksums (the provenance build, push and deploy verify); returns the file's path.
 */
function writeSubjects(subjects: string): string {
  const file = join(process.env.RUNNER_TEMP ?? tmpdir(), 'slipway-image-subjects.txt');
  writeFileSync(file, subjects);
  return file;
}

/**
 * Copies `source@digest` into `target.repository` under the tags it does not hold yet. Tags are immutable:
 * a commit tag that already names another digest there is an error, never overwritten.
 */
async function copyDigest(
  { registry, host }: EnvironmentRegistry,
  service: string,
  source: string,
  digest: string,
  target: { repository: string; tags: string[] },
): Promise<void> {
  const [commitTag = '', ...otherTags] = target.tags;
  const existing = await registry.digestOf(target.repository, commitTag);
  if (existing === digest) return;
  if (existing) {
    throw new Error(
      `push of ${service}: ${target.repository}:${commitTag} already holds ${existing}, not ${digest}; tags are immutable, so rebuild with a new image-tag`,
    );
  }
  const missing = [commitTag];
  for (const tag of otherTags) if (!(await registry.digestOf(target.repository, tag))) missing.push(tag);
  const image = `${host}/${target.repository}`;
  await retried(service, image, () =>
    dockerCopyImage(
      `${source}@${digest}`,
      missing.map((tag) => `${image}:${tag}`),
    ),
  );
  const copied = await registry.digestOf(target.repository, commitTag);
  if (copied !== digest) {
    throw new Error(
      `push of ${service}: ${target.repository}:${commitTag} is ${copied ?? 'missing'} after the copy, expected ${digest}`,
    );
  }
}

/** Runs a push or copy, retrying only failures that can succeed on retry (network, registry 5xx). */
function retried(service: string, image: string, action: () => Promise<void>): Promise<void> {
  let attempts = 1;
  return withRetry(action, {
    retries: pushRetries,
    delayMs: pushDelayMs,
    retryable: (error) => isTransientPushFailure(messageOf(error)),
    onRetry: (error, attempt, waitMs) => {
      attempts = attempt + 1;
      core.warning(`push of ${service} failed (${messageOf(error)}); retry ${attempt} in ${waitMs / 1000}s`);
    },
  }).catch((error: Error) => {
    const tries = attempts === 1 ? 'not retried: retrying cannot fix it' : `after ${attempts} attempts`;
    throw new Error(`push of ${service} to ${image} failed (${tries}): ${error.message}`);
  });
}
