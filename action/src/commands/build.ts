import * as core from '@actions/core';
import { repositoryOf, selectedServices, type ActionContext } from '../context';
import { buildInputsDigest } from '../io/build-inputs';
import { dockerBuild, dockerLogin } from '../io/docker';
import { Registry } from '../io/ecr';
import type { ServiceBuild } from '../pipeline/schema';
import { messageOf } from '../errors';

/** The extra tag that records what went into an image, so an identical build is found and reused. */
export const inputsTag = (digest: string) => `inputs-${digest}`;

export async function buildCommand(ctx: ActionContext): Promise<void> {
  const registry = new Registry(ctx.pipeline.registry.region);
  const login = await registry.login();
  core.setSecret(login.password);
  await dockerLogin(login);

  const groups = new Map<string, { build: ServiceBuild; services: string[] }>();
  for (const [service, build] of selectedServices(ctx)) {
    const digest = buildInputsDigest(ctx.root, build);
    const group = groups.get(digest) ?? { build, services: [] };
    group.services.push(service);
    groups.set(digest, group);
  }

  const built: Record<string, 'built' | 'reused'> = {};
  for (const [digest, { build, services }] of groups) {
    const toBuild: string[] = [];
    for (const service of services) {
      const repository = repositoryOf(ctx, service, build);
      if (await registry.digestOf(repository, inputsTag(digest))) {
        await registry.addTag(repository, inputsTag(digest), ctx.imageTag);
        core.info(
          `${service}: ${repository} already has an image built from the same inputs; tagged it ${ctx.imageTag}`,
        );
        built[service] = 'reused';
      } else toBuild.push(service);
    }
    if (toBuild.length === 0) continue;
    core.info(`Building ${toBuild.join(', ')} from ${build.context} (one build for identical inputs)`);
    try {
      await dockerBuild({
        context: `${ctx.root}/${build.context}`,
        dockerfile: `${ctx.root}/${build.context}/${build.dockerfile}`,
        tags: toBuild.flatMap((service) => {
          const image = `${login.host}/${repositoryOf(ctx, service, build)}`;
          return [`${image}:${ctx.imageTag}`, `${image}:${inputsTag(digest)}`];
        }),
        labels: {
          'org.opencontainers.image.source': `${process.env.GITHUB_SERVER_URL ?? 'https://github.com'}/${ctx.repo.owner}/${ctx.repo.repo}`,
          'org.opencontainers.image.revision': ctx.sha,
        },
        buildArgs: build.buildArgs,
        cacheScope: toBuild[0] ?? 'default',
      });
    } catch (error) {
      throw new Error(
        `build of ${toBuild.join(', ')} failed: ${messageOf(error)}\nFix the Dockerfile or build context (${build.context}) and push again.`,
      );
    }
    for (const service of toBuild) built[service] = 'built';
  }
  core.setOutput('built', JSON.stringify(built));
  core.setOutput('image-tag', ctx.imageTag);
}
