import { roleNames } from '../bootstrap/role-names';
import type { Settings } from './schema';

/** An environment of slipway.yaml with the account and region it falls back to filled in. */
export interface ResolvedEnvironment {
  account: string;
  region: string;
  domain: string;
  certificateArn: string;
  apiAccessCidrs?: string[];
}

/** The environment as the rest of Slipway needs it; undefined when slipway.yaml does not name it. */
export function environmentOf(settings: Settings, name: string): ResolvedEnvironment | undefined {
  const environment = settings.environments[name];
  if (!environment) return undefined;
  const { domain, certificateArn, apiAccessCidrs } = environment;
  return {
    domain,
    certificateArn,
    ...(apiAccessCidrs ? { apiAccessCidrs } : {}),
    account: environment.account ?? settings.aws.account,
    region: environment.region ?? settings.aws.region,
  };
}

/** The partition of an ARN-bearing setting, so GovCloud and China accounts derive their own ARNs. */
const partitionOf = (settings: Settings) => settings.platform.adminRoleArn.split(':')[1] ?? 'aws';

/** The ARN of the role the bootstrap creates to deploy an environment's apps (pipeline.yaml's `role`). */
export function deployRoleArn(settings: Settings, project: string, environment: string): string | undefined {
  return bootstrapRoleArn(settings, environment, roleNames.deploy(project, environment));
}

/** The ARN of the role the bootstrap creates to deploy an environment's platform (`platformRole`). */
export function platformRoleArn(
  settings: Settings,
  project: string,
  environment: string,
): string | undefined {
  return bootstrapRoleArn(settings, environment, roleNames.platform(project, environment));
}

function bootstrapRoleArn(settings: Settings, environment: string, roleName: string): string | undefined {
  const resolved = environmentOf(settings, environment);
  if (!resolved) return undefined;
  return `arn:${partitionOf(settings)}:iam::${resolved.account}:role/${roleName}`;
}

/**
 * What a platform stack file would otherwise repeat by hand, as stack-file sections: the admin role, the
 * API endpoint's allowed CIDRs, the ingress certificate. The stack file still wins where it states a key.
 * `host` is the ingress host every catalog service without one of its own answers on.
 */
export function stackDefaults(
  settings: Settings,
  stack: string,
): { sections: Record<string, Record<string, unknown>>; host: string } | undefined {
  const environment = environmentOf(settings, stack);
  if (!environment) return undefined;
  const cluster: Record<string, unknown> = { adminRoleArn: settings.platform.adminRoleArn };
  if (environment.apiAccessCidrs) cluster.publicAccessCidrs = environment.apiAccessCidrs;
  return {
    sections: { cluster, ingress: { certificateArn: environment.certificateArn } },
    host: environment.domain,
  };
}
