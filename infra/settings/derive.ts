import { iamArn, roleNames } from '../bootstrap/role-names';
import type { Settings } from './schema';

/**
 * A stack's entry in slipway.yaml (`environments.<stack>`) with the account and region it falls back to
 * filled in. Every pipeline.yaml environment that deploys the stack shares it.
 */
export interface ResolvedEnvironment {
  account: string;
  region: string;
  domain: string;
  certificateArn: string;
  apiAccessCidrs?: string[];
}

/** The stack's entry as the rest of Slipway needs it; undefined when slipway.yaml does not name the stack. */
export function environmentOf(settings: Settings, stack: string): ResolvedEnvironment | undefined {
  const environment = settings.environments[stack];
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

/** The ARN of the role the bootstrap creates to deploy a stack's apps (pipeline.yaml's `role`). */
export function deployRoleArn(settings: Settings, project: string, stack: string): string | undefined {
  return bootstrapRoleArn(settings, stack, roleNames.deploy(project, stack));
}

/** The ARN of the role the bootstrap creates to deploy a stack's platform (`platformRole`). */
export function platformRoleArn(settings: Settings, project: string, stack: string): string | undefined {
  return bootstrapRoleArn(settings, stack, roleNames.platform(project, stack));
}

function bootstrapRoleArn(settings: Settings, stack: string, roleName: string): string | undefined {
  const resolved = environmentOf(settings, stack);
  if (!resolved) return undefined;
  return iamArn(partitionOf(settings), resolved.account, `role/${roleName}`);
}

/**
 * What a platform stack file would otherwise repeat by hand, as stack-file sections: the admin role, the
 * API endpoint's allowed CIDRs, the ingress certificate. The stack file still wins where it states a key.
 * `host` is the ingress host every catalog service without one of its own answers on.
 */
export function stackDefaults(
  settings: Settings,
  stack: string,
  /** The platform's Pulumi project, which names the pipeline's roles: given, the registry's grants too. */
  project?: string,
): { sections: Record<string, Record<string, unknown>>; host: string } | undefined {
  const environment = environmentOf(settings, stack);
  if (!environment) return undefined;
  const cluster: Record<string, unknown> = { adminRoleArn: settings.platform.adminRoleArn };
  if (environment.apiAccessCidrs) cluster.publicAccessCidrs = environment.apiAccessCidrs;
  const otherAccounts = project ? registryGrants(settings, project, environment.account) : undefined;
  return {
    sections: {
      cluster,
      ingress: { certificateArn: environment.certificateArn },
      ...(otherAccounts ? { registry: { otherAccounts } } : {}),
    },
    host: environment.domain,
  };
}

/**
 * Who of another account may use a stack's repositories, when slipway.yaml spreads the stacks over several
 * accounts: the home account's publish role pushes (builds, copies), and every other account's stack's
 * apps role pulls (a gated stack promotes from here). A cross-account call needs the repository's leave and
 * the caller's own policy, which names only the stacks it may use (infra/bootstrap/permissions.ts).
 */
function registryGrants(
  settings: Settings,
  project: string,
  account: string,
): { pushers: string[]; pullers: string[] } | undefined {
  const partition = partitionOf(settings);
  const elsewhere = Object.keys(settings.environments).filter(
    (other) => environmentOf(settings, other)?.account !== account,
  );
  const home = settings.aws.account;
  if (elsewhere.length === 0 && home === account) return undefined;
  return {
    pushers: home === account ? [] : [iamArn(partition, home, `role/${roleNames.publish(project)}`)],
    pullers: elsewhere.flatMap((other) => deployRoleArn(settings, project, other) ?? []),
  };
}
