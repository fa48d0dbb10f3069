import * as core from '@actions/core';
import type { ActionContext } from '../context';
import { dockerLogin } from '../io/docker';
import { Registry, type RegistryLogin } from '../io/ecr';

/**
 * Logs docker in to the pipeline's ECR registry. The password is masked before anything can log it and
 * reaches docker on stdin, never as an argument.
 */
export async function openRegistry(
  ctx: ActionContext,
): Promise<{ registry: Registry; login: RegistryLogin }> {
  const registry = new Registry(ctx.pipeline.registry.region);
  const login = await registry.login();
  core.setSecret(login.password);
  await dockerLogin(login);
  return { registry, login };
}
