import * as core from '@actions/core';
import { publishing, selectedServices, type ActionContext } from '../context';
import { buildInputsDigest } from '../io/build-inputs';
import { dockerBuild } from '../io/docker';
import { findImageSource, inputsTag } from '../images/source';
import { localImage } from '../images/local';
import type { ServiceBuild } from '../pipeline/schema';
import { messageOf } from '../errors';
import { openRegistry } from './registry-session';
import { requireProvenance } from './provenance';

type Outcome = 'built' | 'reused' | 'promoted';

export async function buildCommand(ctx: ActionContext): Promise<void> {
  const groups = new Map<string, { build: ServiceBuild; services: string[] }>();
  for (const [service, build] of selectedServices(ctx)) {
    const digest = buildInputsDigest(ctx.root, build);
    const group = groups.get(digest) ?? { build, services: [] };
    group.services.push(service);
    groups.set(digest, group);
  }
  const built: Record<string, Outcome> = {};

  if (!ctx.inputs.push) {
    core.info('push is false: building local images only, with no registry login');
    for (const { build, services } of groups.values()) {
      await buildImages(ctx, build, services, (service) => [localImage(service, ctx.imageTag)]);
      for (const service of services) built[service] = 'built';
    }
  } else {
    // The publish role writes no gated stack's repository: a build for prod lands in its promoteFrom's.
    const environment = publishing(ctx).home;
    const from = ctx.pipeline.environments[environment]?.promoteFrom;
    const session = await openRegistry(ctx, from ? [environment, from] : [environment]);
    const { registry } = session.at(environment);

    for (const [inputsDigest, { build, services }] of groups) {
      const toBuild = new Map<string, string>();
      for (const service of services) {
        const source = await findImageSource(session.at, {
          pipeline: ctx.pipeline,
          service,
          environment,
          imageTag: ctx.imageTag,
          inputsDigest,
        });
        // Whatever ECR already holds is used only when this repository's workflow attested building it.
        if (source.kind === 'present') {
          await requireProvenance(ctx, `${source.image}@${source.digest}`);
          core.info(`${service}: ${source.repository}:${ctx.imageTag} is already in ECR; not building`);
          built[service] = 'reused';
        } else if (source.kind === 'reusable') {
          await requireProvenance(ctx, `${source.image}@${source.digest}`);
          await registry.addTag(source.repository, inputsTag(inputsDigest), ctx.imageTag);
          core.info(
            `${service}: ${source.repository} already has an image built from the same inputs; tagged it ${ctx.imageTag}`,
          );
          built[service] = 'reused';
        } else if (source.kind === 'promotable') {
          await requireProvenance(ctx, `${source.fromImage}@${source.digest}`);
          core.info(
            `${service}: ${source.from} already has ${source.fromRepository}:${source.tag} (${source.digest}); push promotes that digest instead of building`,
          );
          built[service] = 'promoted';
        } else toBuild.set(service, source.image);
      }
      if (toBuild.size === 0) continue;
      await buildImages(ctx, build, [...toBuild.keys()], (service) => {
        const image = toBuild.get(service) ?? '';
        return [`${image}:${ctx.imageTag}`, `${image}:${inputsTag(inputsDigest)}`];
      });
      for (const service of toBuild.keys()) built[service] = 'built';
    }
  }
  core.setOutput('built', JSON.stringify(built));
  core.setOutput('image-tag', ctx.imageTag);
}

/** One docker build for services that share their build inputs, tagged with each service's names. */
async function buildImages(
  ctx: ActionContext,
  build: ServiceBuild,
  services: string[],
  tagsOf: (service: string) => string[],
): Promise<void> {
  core.info(`Building ${services.join(', ')} from ${build.context} (one build for identical inputs)`);
  try {
    await dockerBuild({
      context: `${ctx.root}/${build.context}`,
      dockerfile: `${ctx.root}/${build.context}/${build.dockerfile}`,
      tags: services.flatMap(tagsOf),
      labels: {
        'org.opencontainers.image.source': `${process.env.GITHUB_SERVER_URL ?? 'https://github.com'}/${ctx.repo.owner}/${ctx.repo.repo}`,
        'org.opencontainers.image.revision': ctx.sha,
      },
      buildArgs: build.buildArgs,
      cacheScope: services[0] ?? 'default',
    });
  } catch (error) {
    throw new Error(
      `build of ${services.join(', ')} failed: ${messageOf(error)}\nFix the Dockerfile or build context (${build.context}) and push again.`,
    );
  }
}
