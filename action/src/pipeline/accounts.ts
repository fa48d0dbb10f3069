import { iamArn, roleNames, stateBackendUrl, stateBucketName } from '../../../infra/bootstrap/role-names';
import type { Pipeline } from './schema';

/**
 * What the bootstrap made in an environment's account, for the jobs that do not run in the environment's own
 * GitHub environment (gated previews, drift checks, pull requests' previews): with one account per
 * environment each account has its own read and preview roles and its own state bucket.
 */
export interface AccountOfEnvironment {
  account: string;
  /** The read role of the account: gated previews and drift checks of its stacks. */
  readRole: string;
  /** The preview role of the account: pull requests' previews of its ungated stacks. */
  previewRole: string;
  /** The account's state bucket, as `PULUMI_BACKEND_URL`. */
  backendUrl: string;
}

/**
 * The account of each environment, from its apps role (the bootstrap's role in the stack's account). The
 * state bucket is in the registry region, the bootstrap's (slipway.yaml aws.region).
 */
export function accountsOf(pipeline: Pipeline): Record<string, AccountOfEnvironment> {
  const region = pipeline.registry.region;
  return Object.fromEntries(
    Object.entries(pipeline.environments).map(([name, { account, role }]) => {
      const partition = role.split(':')[1] ?? 'aws';
      return [
        name,
        {
          account,
          readRole: iamArn(partition, account, `role/${roleNames.read(pipeline.project)}`),
          previewRole: iamArn(partition, account, `role/${roleNames.preview(pipeline.project)}`),
          backendUrl: stateBackendUrl(stateBucketName(pipeline.project, account, region), region),
        },
      ];
    }),
  );
}
