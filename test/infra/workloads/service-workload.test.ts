import * as k8s from '@pulumi/kubernetes';
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { tierDefaults } from '../../../infra/config/defaults';
import type { QuotaConfig } from '../../../infra/config/schema';
import type { ServiceSpec } from '../../../infra/config/services';
import { Workloads } from '../../../infra/workloads';
import { runOffline } from '../../../offline/engine';
import { scratchDir } from '../../support/scratch';
import { decide } from '../../support/iam';
import { configOf } from './objects';

const projectDir = scratchDir('slipway-workloads');
writeFileSync(join(projectDir, 'Pulumi.yaml'), 'name: standin\nruntime: nodejs\n');
writeFileSync(join(projectDir, 'Pulumi.t.yaml'), 'config:\n  aws:region: eu-west-1\n');

const ownSecret = (service: string) =>
  `arn:aws:secretsmanager:eu-west-1:123456789012:secret:standin-t/${service}-AbCdEf`;

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
        namespace: 'standin-t',
        kubernetesVersion: '1.33',
        rolePrefix: 'standin-t',
        services,
        quota: tierDefaults.dev.quota as QuotaConfig,
        oidcProviderArn: 'arn:aws:iam::123456789012:oidc-provider/oidc.eks.eu-west-1.amazonaws.com/id/ABC',
        oidcProviderUrl: 'https://oidc.eks.eu-west-1.amazonaws.com/id/ABC',
        images: Object.fromEntries(
          services.map((s) => [
            s.name,
            `123456789012.dkr.ecr.eu-west-1.amazonaws.com/standin-t/${s.name}@sha256:${'ab'.repeat(32)}`,
          ]),
        ),
        secretArns: Object.fromEntries(
          services.filter((s) => s.secrets.length > 0).map((s) => [s.name, ownSecret(s.name)]),
        ),
        secretsKeyArn: 'arn:aws:kms:eu-west-1:123456789012:key/standin',
        data: {
          endpoints: { 'app-db': { engine: 'postgres', port: 5432, cidrs: ['10.0.8.0/24'] } },
          queues: {},
          credentials: {
            api: {
              'app-db': {
                secretArn: 'arn:aws:secretsmanager:eu-west-1:123456789012:secret:standin-t/data/app-db/api-1',
                versionId: 'standin-version',
              },
            },
          },
        },
        network: {
          loadBalancerCidrs: ['10.0.0.0/24'],
          apiServerCidrs: ['10.0.2.0/28'],
          dataServices: { 'app-db': { cidrs: ['10.0.8.0/24'], port: 5432 } },
          aws: { endpointCidrs: [], endpointServices: [], s3Cidrs: ['52.218.0.0/17'] },
        },
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

  it("gives each service's store a reader that cannot read another service's secret", async () => {
    const api = catalog.find((s) => s.name === 'api');
    if (!api) throw new Error('no api in the catalog');
    const billing: ServiceSpec = {
      ...api,
      name: 'billing',
      secrets: ['LEDGER_KEY'],
      uses: {},
      ingress: undefined,
    };
    const run = await render([...catalog, billing]);
    const policyOf = (service: string) => {
      const policy = run.resources.find((r) => r.name === `workloads-${service}-secret-reader-policy`);
      if (!policy) throw new Error(`no secret reader policy for ${service}`);
      return JSON.parse(String(policy.inputs.policy)) as unknown;
    };
    const read = (reader: string, secret: string) =>
      decide(policyOf(reader), 'secretsmanager:GetSecretValue', ownSecret(secret));
    expect(await read('api', 'api')).toBe('Allowed');
    expect(await read('billing', 'billing')).toBe('Allowed');
    expect(await read('api', 'billing')).toBe('ImplicitlyDenied');
    expect(await read('billing', 'api')).toBe('ImplicitlyDenied');
    // Each ExternalSecret names its own service's store.
    const refs = run.resources
      .filter((r) => (r.inputs as { kind?: string }).kind === 'ExternalSecret')
      .map((r) => {
        const { metadata, spec } = r.inputs as {
          metadata: { labels: Record<string, string> };
          spec: { secretStoreRef: { kind: string; name: string } };
        };
        return [metadata.labels['app.kubernetes.io/name'], spec.secretStoreRef];
      });
    expect(refs).toEqual(
      expect.arrayContaining([
        ['api', { kind: 'SecretStore', name: 'api' }],
        ['billing', { kind: 'SecretStore', name: 'billing' }],
      ]),
    );
    for (const [service, ref] of refs) expect(ref).toEqual({ kind: 'SecretStore', name: service });
  });
});
