import { createHash } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { bootstrapProgram } from '../../../infra/bootstrap/program';
import { runOffline, type OfflineRun, type RecordedResource } from '../../../offline/engine';
import { sharedRender } from '../../support/render';

/** A trust policy's statement as IAM reads it. */
export interface TrustStatement {
  Principal?: { Federated?: string };
  Condition: {
    StringEquals?: Record<string, string | string[]>;
    StringLike?: Record<string, string | string[]>;
  };
}

/** A GitHub environment as the bootstrap's `up` leaves it. */
export interface BootstrappedEnvironment {
  /** Required reviewers' GitHub IDs (users and teams), empty when the environment is not gated. */
  users: number[];
  teams: number[];
  preventSelfReview: boolean;
  /** Deployment branch policies: only refs matching one of these may run a job in the environment. */
  branchPatterns: string[];
  /** The environment's own Actions variables, which a job running there reads in place of the repository's. */
  variables: Record<string, string>;
}

/**
 * What a bootstrap `up` leaves behind, read from the bootstrap program's own offline render (never written by
 * hand in a test): the GitHub repository's Actions variables and environments, and the account's roles with
 * the trust policies the program wrote.
 */
export interface BootstrapUp {
  run: OfflineRun;
  /** `owner/name`: the provider's owner and the repository its resources name. */
  repository: string;
  accountId: string;
  variables: Record<string, string>;
  environments: Map<string, BootstrappedEnvironment>;
  /** Role name → its trust policy's statements. */
  trust: Map<string, TrustStatement[]>;
}

const ofType = (run: OfflineRun, type: string) => run.resources.filter((r) => r.type === type);
const text = (value: unknown) => (typeof value === 'string' ? value : '');

/**
 * One render per distinct input: rehearsal worlds share it, those of one test file in memory and those of
 * the run's other test files through the shared render cache.
 */
const renders = new Map<string, Promise<OfflineRun>>();

/**
 * Runs the bootstrap of a checkout (its slipway.yaml, pipeline.yaml and infra/bootstrap) under the offline
 * engine, as `pulumi up` in infra/bootstrap would, and reads what it set up.
 */
export async function bootstrapUp(checkout: string): Promise<BootstrapUp> {
  const inputs = ['slipway.yaml', 'pipeline.yaml', 'infra/bootstrap/Pulumi.sample.yaml'];
  const key = createHash('sha256');
  for (const file of inputs)
    key
      .update(file)
      .update('\0')
      .update(readFileSync(join(checkout, file)));
  const digest = key.digest('hex');
  let render = renders.get(digest);
  if (!render) {
    render = sharedRender('bootstrap-sample', `bootstrap/${digest}`, () =>
      runOffline({
        projectDir: join(checkout, 'infra', 'bootstrap'),
        stack: 'sample',
        program: bootstrapProgram,
      }),
    );
    renders.set(digest, render);
  }
  return readBootstrap(await render);
}

function readBootstrap(run: OfflineRun): BootstrapUp {
  const provider = ofType(run, 'pulumi:providers:github')[0];
  const variableResources = ofType(run, 'github:index/actionsVariable:ActionsVariable');
  const repositoryName = text(variableResources[0]?.inputs.repository);
  const variables = Object.fromEntries(
    variableResources.map((r) => [text(r.inputs.variableName), text(r.inputs.value)]),
  );

  const environments = new Map<string, BootstrappedEnvironment>();
  for (const resource of ofType(run, 'github:index/repositoryEnvironment:RepositoryEnvironment')) {
    const reviewers = (
      resource.inputs.reviewers as { users?: number[]; teams?: number[] }[] | undefined
    )?.[0];
    environments.set(text(resource.inputs.environment), {
      users: reviewers?.users ?? [],
      teams: reviewers?.teams ?? [],
      preventSelfReview: resource.inputs.preventSelfReview === true,
      branchPatterns: [],
      variables: {},
    });
  }
  for (const variable of ofType(run, 'github:index/actionsEnvironmentVariable:ActionsEnvironmentVariable')) {
    const environment = environments.get(text(variable.inputs.environment));
    if (environment) environment.variables[text(variable.inputs.variableName)] = text(variable.inputs.value);
  }
  for (const policy of ofType(
    run,
    'github:index/repositoryEnvironmentDeploymentPolicy:RepositoryEnvironmentDeploymentPolicy',
  ))
    environments.get(text(policy.inputs.environment))?.branchPatterns.push(text(policy.inputs.branchPattern));

  const trust = new Map<string, TrustStatement[]>();
  for (const role of ofType(run, 'aws:iam/role:Role') as RecordedResource[]) {
    const policy = JSON.parse(text(role.inputs.assumeRolePolicy) || '{"Statement":[]}') as {
      Statement: TrustStatement[];
    };
    trust.set(text(role.inputs.name), policy.Statement);
  }
  const accountId = /^arn:[^:]+:iam::(\d{12}):/.exec(text(run.outputs.githubOidcProviderArn))?.[1] ?? '';
  return {
    run,
    repository: `${text(provider?.inputs.owner)}/${repositoryName}`,
    accountId,
    variables,
    environments,
    trust,
  };
}
