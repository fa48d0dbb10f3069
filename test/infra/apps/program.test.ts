import type { OfflineRun, RecordedResource } from '../../../offline/engine';
import { runApps, runPlatform } from '../../../offline/projects';
import { offlineImageDigest } from '../../../offline/cloud';
import { platformOutputNames } from '../../../infra/outputs';
import { renderApps, renderStack, repoRoot } from '../../support/render';

const deployments = (run: OfflineRun) =>
  Object.fromEntries(
    run.resources
      .filter((r) => r.type === 'kubernetes:apps/v1:Deployment')
      .map((r) => [r.name, r.inputs] as const),
  );
const imageOf = (deployment: RecordedResource['inputs']) =>
  (deployment as { spec: { template: { spec: { containers: { image: string }[] } } } }).spec.template.spec
    .containers[0]?.image;
const digest = (seed: string) => offlineImageDigest('pushed', seed);

describe('the apps project', () => {
  let platform: OfflineRun;
  let apps: OfflineRun;
  beforeAll(async () => {
    [platform, apps] = await Promise.all([renderStack('prod'), renderApps('prod')]);
  });

  it('holds only Kubernetes objects and each service’s identity: no network, cluster, database, key or registry', () => {
    const types = new Set(apps.resources.map((r) => r.type));
    const allowed = (type: string) =>
      type.startsWith('kubernetes:') ||
      ['aws:iam/role:Role', 'aws:iam/rolePolicy:RolePolicy'].includes(type) ||
      ['pulumi:pulumi:Stack', 'pulumi:pulumi:StackReference', 'pulumi:providers:kubernetes'].includes(type) ||
      type.startsWith('slipway:workloads:');
    expect([...types].filter((type) => !allowed(type))).toEqual([]);
    for (const platformOnly of ['aws:ec2/', 'eks:', 'aws:eks/', 'aws:rds/', 'aws:kms/', 'aws:ecr/']) {
      expect([...types].filter((type) => type.startsWith(platformOnly))).toEqual([]);
    }
    expect(apps.resources.filter((r) => r.type === 'kubernetes:apps/v1:Deployment')).toHaveLength(3);
    // Each role is one service's (`<project>-<stack>-app-<service>`), none a platform role, so the apps' deploy
    // role manages that prefix only: its pods' (only for a service with AWS grants) and its SecretStore's
    // (`….secret-reader`, only for one that pulls secrets).
    expect(apps.resources.filter((r) => r.type === 'aws:iam/role:Role').map((r) => r.inputs.name)).toEqual([
      'slipway-prod-app-api.secret-reader',
      'slipway-prod-app-worker',
    ]);
  });

  it('reads every output of the contract from the platform stack it references, and nothing else', () => {
    const references = apps.resources.filter((r) => r.type === 'pulumi:pulumi:StackReference');
    expect(references.map((r) => r.inputs.name)).toEqual([
      'organization/slipway/prod',
      'organization/slipway-apps/prod',
    ]);
    for (const name of platformOutputNames) expect(platform.outputs).toHaveProperty(name);
  });

  it('fails naming the output when the platform stack lacks one the contract requires', async () => {
    const older = { ...platform.outputs };
    delete older.clusterOidcProviderArn;
    await expect(runApps({ repoDir: repoRoot, stack: 'prod', platformOutputs: older })).rejects.toThrow(
      'organization/slipway/prod: output clusterOidcProviderArn: missing (the platform stack predates it: run `pulumi up` for the platform)',
    );
  });

  it('builds its Kubernetes provider from the platform’s endpoint and CA, authenticating as the deploying role', () => {
    const provider = apps.resources.find((r) => r.type === 'pulumi:providers:kubernetes');
    const kubeconfig = JSON.parse(String(provider?.inputs.kubeconfig)) as {
      clusters: { cluster: { server: string; 'certificate-authority-data': string } }[];
      users: { user: { exec: { command: string; args: string[] } } }[];
    };
    expect(kubeconfig.clusters[0]?.cluster).toEqual({
      server: platform.outputs.clusterEndpoint,
      'certificate-authority-data': platform.outputs.clusterCertificateAuthorityData,
    });
    expect(kubeconfig.users[0]?.user.exec).toMatchObject({
      command: 'aws',
      args: ['eks', 'get-token', '--cluster-name', 'slipway-prod', '--region', 'eu-west-1'],
    });
  });
});

describe('images', () => {
  let platform: OfflineRun;
  let first: OfflineRun;
  beforeAll(async () => {
    platform = await renderStack('dev');
    const passed = { web: digest('web-1'), api: digest('api-1'), worker: digest('worker-1') };
    first = await runApps({
      repoDir: repoRoot,
      stack: 'dev',
      platformOutputs: platform.outputs,
      running: {},
      configOverrides: { 'slipway:images': JSON.stringify(passed) },
    });
  });

  it('a first deploy runs exactly the digests the pipeline passed, and records them', () => {
    const repository = (service: string) =>
      `123456789012.dkr.ecr.eu-west-1.amazonaws.com/slipway-dev/${service}`;
    const images = Object.fromEntries(
      Object.entries(deployments(first)).map(([name, deployment]) => [name, imageOf(deployment)]),
    );
    expect(images).toEqual({
      'workloads-web-deployment': `${repository('web')}@${digest('web-1')}`,
      'workloads-api-deployment': `${repository('api')}@${digest('api-1')}`,
      'workloads-worker-deployment': `${repository('worker')}@${digest('worker-1')}`,
    });
    expect(first.outputs.appsImageDigests).toEqual({
      web: digest('web-1'),
      api: digest('api-1'),
      worker: digest('worker-1'),
    });
  });

  it('a run with no new images changes no Deployment image: each service keeps what the stack runs', async () => {
    const again = await runApps({
      repoDir: repoRoot,
      stack: 'dev',
      platformOutputs: platform.outputs,
      running: first.outputs.appsImageDigests as Record<string, string>,
    });
    expect(deployments(again)).toEqual(deployments(first));
    expect(again.outputs.appsImageDigests).toEqual(first.outputs.appsImageDigests);
  });

  it('a run that passes one new digest rolls that service alone', async () => {
    const next = await runApps({
      repoDir: repoRoot,
      stack: 'dev',
      platformOutputs: platform.outputs,
      running: first.outputs.appsImageDigests as Record<string, string>,
      configOverrides: { 'slipway:images': JSON.stringify({ api: digest('api-2') }) },
    });
    const before = deployments(first);
    const after = deployments(next);
    const changed = Object.keys(after).filter(
      (name) => JSON.stringify(after[name]) !== JSON.stringify(before[name]),
    );
    expect(changed).toEqual(['workloads-api-deployment']);
    expect(imageOf(after['workloads-api-deployment'] ?? {})).toMatch(new RegExp(`@${digest('api-2')}$`));
  });

  it('a service with no image yet, neither running nor passed, is an error naming it', async () => {
    const running = { ...(first.outputs.appsImageDigests as Record<string, string>) };
    delete running.worker;
    await expect(
      runApps({ repoDir: repoRoot, stack: 'dev', platformOutputs: platform.outputs, running }),
    ).rejects.toThrow(
      'infra/apps/Pulumi.dev.yaml: slipway:images.worker: worker has no image yet: the stack runs none and this run passes none',
    );
  });
});

describe('the two lifecycles', () => {
  it('a platform change (a node group resized, a bigger database) changes no Deployment at all', async () => {
    const resized = await runPlatform({
      repoDir: repoRoot,
      stack: 'staging',
      configOverrides: {
        'slipway:dataStores': JSON.stringify({ 'app-db': { instanceClass: 'db.m7g.xlarge' } }),
        'slipway:cluster': JSON.stringify({
          adminRoleArn: 'arn:aws:iam::123456789012:role/platform-admin',
          publicAccessCidrs: ['203.0.113.0/24'],
          nodeGroups: [
            {
              name: 'general',
              instanceTypes: ['m7i.xlarge'],
              capacityType: 'ON_DEMAND',
              minSize: 3,
              desiredSize: 4,
              maxSize: 12,
              diskSizeGiB: 100,
            },
          ],
        }),
      },
    });
    const [platform, apps] = await Promise.all([renderStack('staging'), renderApps('staging')]);
    const nodeGroup = (run: OfflineRun) =>
      run.resources.find((r) => r.type === 'aws:eks/nodeGroup:NodeGroup')?.inputs.instanceTypes;
    expect(nodeGroup(resized)).not.toEqual(nodeGroup(platform));
    expect(resized.resources.filter((r) => r.type === 'kubernetes:apps/v1:Deployment')).toEqual([]);

    const after = await runApps({ repoDir: repoRoot, stack: 'staging', platformOutputs: resized.outputs });
    expect(deployments(after)).toEqual(deployments(apps));
  });

  it('the apps cannot deploy before the platform has: its stack has no outputs yet', async () => {
    await expect(
      runApps({ repoDir: repoRoot, stack: 'dev', platformOutputs: {}, running: {} }),
    ).rejects.toThrow(
      'organization/slipway/dev: the platform stack has no outputs yet: deploy the platform first (`pulumi up --stack dev` at the repository root), then the apps',
    );
  });
});
