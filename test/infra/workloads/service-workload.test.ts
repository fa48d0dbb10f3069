import * as k8s from '@pulumi/kubernetes';
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { tierDefaults } from '../../../infra/config/defaults';
import type { QuotaConfig } from '../../../infra/config/schema';
import type { ServiceSpec } from '../../../infra/config/services';
import { Workloads } from '../../../infra/workloads';
import { imageTagOf } from '../../../infra/workloads/service-workload';
import { runOffline } from '../../../offline/engine';
import { scratchDir } from '../../support/scratch';
import { configOf } from './objects';

const projectDir = scratchDir('slipway-workloads');
writeFileSync(join(projectDir, 'Pulumi.yaml'), 'name: standin\nruntime: nodejs\n');
writeFileSync(join(projectDir, 'Pulumi.t.yaml'), 'config:\n  aws:region: eu-west-1\n');

/** The Workloads component alone, on stand-in inputs, for a catalog of our choosing. */
function render(services: ServiceSpec[]) {
  return runOffline({
    projectDir,
    stack: 't',
    program: async () => {
      new Workloads('workloads', {
        provider: new k8s.Provider('k8s', { kubeconfig: '{}' }),
        environment: 't',
        tier: 'dev',
        region: 'eu-west-1',
        partition: 'aws',
        accountId: '123456789012',
        namespace: 'standin-t',
        kubernetesVersion: '1.33',
        rolePrefix: 'standin-t',
        services,
        quota: tierDefaults.dev.quota as QuotaConfig,
        oidcProviderArn: 'arn:aws:iam::123456789012:oidc-provider/oidc.eks.eu-west-1.amazonaws.com/id/ABC',
        oidcProviderUrl: 'https://oidc.eks.eu-west-1.amazonaws.com/id/ABC',
        repositoryUrls: Object.fromEntries(
          services.map((s) => [s.name, `123456789012.dkr.ecr.eu-west-1.amazonaws.com/standin-t/${s.name}`]),
        ),
        secretArns: { api: 'arn:aws:secretsmanager:eu-west-1:123456789012:secret:standin-t/api-AbCdEf' },
        secretsKeyArn: 'arn:aws:kms:eu-west-1:123456789012:key/standin',
        database: {
          address: 'db.standin',
          port: 5432,
          secretArn: 'arn:aws:secretsmanager:eu-west-1:123456789012:secret:rds!db-1',
        },
        network: {
          loadBalancerCidrs: ['10.0.0.0/24'],
          databaseCidrs: ['10.0.8.0/24'],
          databasePort: 5432,
          apiServerCidrs: ['10.0.16.0/20'],
        },
        secretStoreName: 'store',
        tags: {},
      });
      return {};
    },
  });
}

describe('Workloads on stand-in inputs', () => {
  const catalog = configOf('dev').services;

  it('renders the catalog against inputs other than the platform program', async () => {
    const run = await render(catalog);
    const deployments = run.resources.filter((r) => r.type === 'kubernetes:apps/v1:Deployment');
    expect(deployments.map((d) => (d.inputs.metadata as { namespace: string }).namespace)).toEqual(
      catalog.map(() => 'standin-t'),
    );
  });

  // The components call this before registering anything; tested directly because a program that
  // throws leaves the SDK's unobserved copy of the rejection, which jest would pin on the test.
  it('refuses a service without an image tag rather than deploy whatever `latest` is', () => {
    const worker = catalog.find((s) => s.name === 'worker') as ServiceSpec;
    expect(() => imageTagOf({ ...worker, imageTag: undefined }, 't')).toThrow('no imageTag for worker in t');
    expect(imageTagOf(worker, 't')).toBe(worker.imageTag);
  });
});
