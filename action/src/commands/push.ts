import * as core from '@actions/core';
import { repositoryOf, selectedServices, type ActionContext } from '../context';
import { buildInputsDigest } from '../io/build-inputs';
import { dockerLogin, dockerPush } from '../io/docker';
import { Registry } from '../io/ecr';
import { withRetry } from '../io/retry';
import { inputsTag } from './build';
import { messageOf } from '../errors';

const pushRetries = 3;
const pushDelayMs = 2000;

export async function pushCommand(ctx: ActionContext): Promise<void> {
  const registry = new Registry(ctx.pipeline.registry.region);
  const login = await registry.login();
  core.setSecret(login.password);
  await dockerLogin(login);

  const images: Record<string, string> = {};
  for (const [service, build] of selectedServices(ctx)) {
    const repository = repositoryOf(ctx, service, build);
    const image = `${login.host}/${repository}`;
    let digest = await registry.digestOf(repository, ctx.imageTag);
    if (digest)
      core.info(`${service}: ${image}:${ctx.imageTag} is already in ECR (reused build), not pushing`);
    else {
      for (const tag of [ctx.imageTag, inputsTag(buildInputsDigest(ctx.root, build))]) {
        await withRetry(() => dockerPush(`${image}:${tag}`), {
          retries: pushRetries,
          delayMs: pushDelayMs,
          retryable: () => true,
          onRetry: (error, attempt, waitMs) =>
            core.warning(
              `push of ${service} failed (${messageOf(error)}); retry ${attempt} in ${waitMs / 1000}s`,
            ),
        }).catch((error: Error) => {
          throw new Error(
            `push of ${service} to ${image} failed after ${pushRetries} retries: ${error.message}`,
          );
        });
      }
      digest = await registry.digestOf(repository, ctx.imageTag);
      if (!digest)
        throw new Error(`push of ${service}: ECR has no ${repository}:${ctx.imageTag} after the push`);
    }
    images[service] = `${image}@${digest}`;
  }
  core.setOutput('images', JSON.stringify(images));
  core.setOutput('image-tag', ctx.imageTag);
}
