import * as core from '@actions/core';
import type { ActionContext } from '../context';
import { dockerLogin } from '../io/docker';
import { Registry, type RegistryLogin } from '../io/ecr';

/** The registry of one environment: its stack's account's, in the pipeline's registry region. */
export interface EnvironmentRegistry {
  registry: Registry;
  /** `<account>.dkr.ecr.<region>.<domain>`, the host its images are named by. */
  host: string;
}

/** A registry login of the job: the registry of each environment it touches, and docker logged in to each. */
export interface RegistrySession {
  login: RegistryLogin;
  at(environment: string): EnvironmentRegistry;
}

/**
 * Logs docker in to the ECR registries of `environments` (one per account: with one account per environment,
 * staging's and prod's are apart). ECR's token is the caller's, good for every registry whose repository
 * policy lets the caller in, so one token serves them all. The password is masked before anything can log
 * it and reaches docker on stdin, never as an argument.
 */
export async function openRegistry(ctx: ActionContext, environments: string[]): Promise<RegistrySession> {
  const registry = new Registry(ctx.pipeline.registry.region);
  const login = await registry.login();
  core.setSecret(login.password);
  const at = (environment: string): EnvironmentRegistry => {
    const account = ctx.pipeline.environments[environment]?.account ?? '';
    // The token's host is the caller's registry; another account's differs only in its first label.
    return { registry: registry.of(account), host: login.host.replace(/^\d{12}(?=\.)/, account) };
  };
  const hosts = new Set(environments.map((environment) => at(environment).host));
  for (const host of hosts) await dockerLogin({ ...login, host });
  return { login, at };
}
