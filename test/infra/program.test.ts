import * as aws from '@pulumi/aws';
import * as pulumi from '@pulumi/pulumi';
import { ConfigError } from '../../infra/config/errors';
import { parsePlatformOutputs, platformOutputNames } from '../../infra/outputs';
import { asPulumiFailure, platformProgram } from '../../infra/program';
import { runOffline, type OfflineRun } from '../../offline/engine';
import { renderStack, repoRoot, stacks } from '../support/render';
import { named, ofType } from '../support/resources';

describe.each(stacks)('the %s platform stack outputs', (stack) => {
  let run: OfflineRun;
  beforeAll(async () => {
    run = await renderStack(stack);
  });

  it('are exactly the contract of infra/outputs.ts, and parse under it', () => {
    expect(Object.keys(run.outputs).sort()).toEqual([...platformOutputNames].sort());
    expect(() => parsePlatformOutputs(`organization/slipway/${stack}`, run.outputs)).not.toThrow();
  });

  it('name the VPC and the private subnets, and give every subnet tier its CIDRs', () => {
    const subnets = (tier: string) =>
      ofType(run, 'aws:ec2/subnet:Subnet').filter((subnet) => subnet.name.startsWith(`network-${tier}-`));
    expect(run.outputs).toMatchObject({
      networkVpcId: named(run, 'aws:ec2/vpc:Vpc', 'network-vpc').id,
      networkPrivateSubnetIds: subnets('private').map((subnet) => subnet.id),
      networkPublicSubnetCidrs: subnets('public').map((subnet) => subnet.inputs.cidrBlock),
      networkPrivateSubnetCidrs: subnets('private').map((subnet) => subnet.inputs.cidrBlock),
      networkDatabaseSubnetCidrs: subnets('database').map((subnet) => subnet.inputs.cidrBlock),
    });
    expect((run.outputs.networkPrivateSubnetIds as string[]).length).toBeGreaterThanOrEqual(2);
  });

  it('give what a client connects to the cluster with, and no secret', () => {
    expect(run.outputs.clusterName).toBe(`slipway-${stack}`);
    expect(run.outputs.clusterEndpoint).toMatch(
      /^https:\/\/[0-9A-F]{32}\.gr7\.eu-west-1\.eks\.amazonaws\.com$/,
    );
    expect(run.outputs.clusterCertificateAuthorityData).toBe('T0ZGTElORQ==');
    expect(run.outputs).not.toHaveProperty('kubeconfig');
    expect(Object.values(run.outputs)).not.toContain('[secret]');
  });

  it('list the ECR repository URL of every service', () => {
    const registry = `123456789012.dkr.ecr.eu-west-1.amazonaws.com/slipway-${stack}`;
    expect(run.outputs.registryRepositoryUrls).toEqual({
      web: `${registry}/web`,
      api: `${registry}/api`,
      worker: `${registry}/worker`,
    });
  });

  it('give every data store endpoint and every service credential secret, never a master secret', () => {
    expect(run.outputs.dataStoreEndpoints).toEqual({
      'app-db': {
        engine: 'postgres',
        host: expect.stringMatching(
          new RegExp(`^slipway-${stack}-app-db\\.[0-9a-f]{12}\\.eu-west-1\\.rds\\.amazonaws\\.com$`),
        ),
        port: 5432,
        cidrs: ofType(run, 'aws:ec2/subnet:Subnet')
          .filter((subnet) => subnet.name.startsWith('network-database-'))
          .map((subnet) => subnet.inputs.cidrBlock),
      },
    });
    expect(run.outputs.dataCredentials).toEqual({
      api: {
        'app-db': {
          secretArn: expect.stringMatching(
            new RegExp(
              `^arn:aws:secretsmanager:eu-west-1:123456789012:secret:slipway-${stack}/data/app-db/api-`,
            ),
          ),
          versionId: expect.any(String),
        },
      },
    });
    expect(JSON.stringify(run.outputs)).not.toContain('rds!db-');
  });

  it("deploy no workload of the apps: besides the operator's namespace and the apps role's grant, only app-db's user provisioning", () => {
    const objects = run.resources.filter(
      (r) => r.type.startsWith('kubernetes:') && !r.type.startsWith('kubernetes:helm.sh/'),
    );
    const kinds = objects.map((r) => r.type);
    expect(kinds).not.toContain('kubernetes:apps/v1:Deployment');
    // The operator's namespace, and the apps role's cluster-scoped grant; no secret store of a service: each
    // service brings its own (the apps').
    expect(
      objects
        .filter((r) => !r.name.startsWith('data-users-'))
        .map((r) => r.type)
        .sort(),
    ).toEqual([
      'kubernetes:core/v1:Namespace',
      'kubernetes:rbac.authorization.k8s.io/v1:ClusterRole',
      'kubernetes:rbac.authorization.k8s.io/v1:ClusterRoleBinding',
    ]);
    // app-db's provisioning, all in the platform's own namespace: its namespace and default deny, its two
    // readers' accounts and SecretStores, the two Secrets they sync, its script, its network policy, its Job.
    const ofProvisioning = objects.filter((r) => r.name.startsWith('data-users-'));
    expect(ofProvisioning.map((r) => r.type.replace(/^kubernetes:/, '')).sort()).toEqual(
      [
        'batch/v1:Job',
        'core/v1:ConfigMap',
        'core/v1:Namespace',
        'core/v1:ServiceAccount',
        'core/v1:ServiceAccount',
        'external-secrets.io/v1:ExternalSecret',
        'external-secrets.io/v1:ExternalSecret',
        'external-secrets.io/v1:SecretStore',
        'external-secrets.io/v1:SecretStore',
        'networking.k8s.io/v1:NetworkPolicy',
        'networking.k8s.io/v1:NetworkPolicy',
        'networking.k8s.io/v1:NetworkPolicy',
      ].sort(),
    );
    for (const r of ofProvisioning) {
      const metadata = r.inputs.metadata as { name: string; namespace?: string };
      expect(metadata.namespace ?? metadata.name).toBe(`slipway-${stack}-data`);
    }
  });
});

describe('a bad stack file', () => {
  const badNetwork = { 'slipway:network': JSON.stringify({ azCount: 1, natGateways: 'single' }) };

  it('fails with its ConfigError before any resource is registered', async () => {
    let failure: unknown;
    const run = await runOffline({
      projectDir: repoRoot,
      stack: 'prod',
      configOverrides: badNetwork,
      program: async () => {
        try {
          return await platformProgram();
        } catch (error) {
          failure = error;
          return {};
        }
      },
    });
    expect(failure).toBeInstanceOf(ConfigError);
    expect((failure as ConfigError).problems).toEqual([
      'Pulumi.prod.yaml: slipway:network.azCount: prod needs at least 3 AZs',
      'Pulumi.prod.yaml: slipway:network.natGateways: prod needs one NAT gateway per AZ (perAz)',
    ]);
    expect(run.resources.filter((resource) => resource.type !== 'pulumi:pulumi:Stack')).toEqual([]);
  });

  it('reaches Pulumi as a RunError, which prints the lines without a stack trace', () => {
    const problems = [
      'Pulumi.prod.yaml: slipway:network.azCount: prod needs at least 3 AZs',
      'services.yaml: web.ports.http.port: out of range',
    ];
    let failure: unknown;
    try {
      asPulumiFailure(new ConfigError(problems));
    } catch (error) {
      failure = error;
    }
    expect(pulumi.RunError.isInstance(failure)).toBe(true);
    expect((failure as Error).message).toBe(problems.join('\n'));
  });

  it('lets any other failure through unchanged', () => {
    const crash = new TypeError('boom');
    expect(() => asPulumiFailure(crash)).toThrow(crash);
  });
});

describe('a region with fewer AZs than the stack asks for', () => {
  afterEach(() => jest.restoreAllMocks());

  it('fails with a config line naming azCount before any resource is registered', async () => {
    jest.spyOn(aws, 'getAvailabilityZones').mockResolvedValue({
      id: 'eu-west-1',
      region: 'eu-west-1',
      names: ['eu-west-1a', 'eu-west-1b'],
      zoneIds: ['euw1-az1', 'euw1-az2'],
      groupNames: [],
      state: 'available',
    });
    let failure: unknown;
    const run = await runOffline({
      projectDir: repoRoot,
      stack: 'staging',
      program: () =>
        platformProgram().catch((error: unknown) => {
          failure = error;
          return {};
        }),
    });
    expect((failure as ConfigError).problems).toEqual([
      'Pulumi.staging.yaml: slipway:network.azCount: eu-west-1 has only 2 AZs',
    ]);
    expect(run.resources.filter((resource) => resource.type !== 'pulumi:pulumi:Stack')).toEqual([]);
  });
});
