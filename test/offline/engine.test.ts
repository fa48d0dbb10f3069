import * as aws from '@pulumi/aws';
import * as eks from '@pulumi/eks';
import * as pulumi from '@pulumi/pulumi';
import { execFileSync } from 'node:child_process';
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { offlineAccountId, offlineImageDigest } from '../../offline/cloud';
import { runOffline } from '../../offline/engine';
import { scratchDir } from '../support/scratch';

class Box extends pulumi.ComponentResource {
  readonly bucketArn: pulumi.Output<string>;
  constructor(name: string, opts?: pulumi.ComponentResourceOptions) {
    super('test:index:Box', name, {}, opts);
    const bucket = new aws.s3.Bucket(`${name}-bucket`, { bucket: `${name}-bucket` }, { parent: this });
    this.bucketArn = bucket.arn;
    this.registerOutputs({ bucketArn: bucket.arn });
  }
}

const projectDir = scratchDir('slipway-engine');
writeFileSync(join(projectDir, 'Pulumi.yaml'), 'name: demo\nruntime: nodejs\n');
writeFileSync(
  join(projectDir, 'Pulumi.one.yaml'),
  'config:\n  aws:region: eu-central-1\n  demo:token:\n    secure: v1:c2VjcmV0\n  demo:label: first\n',
);

async function program() {
  const config = new pulumi.Config('demo');
  const zones = await aws.getAvailabilityZones({ state: 'available' });
  const caller = await aws.getCallerIdentity();
  const outer = new Box('outer');
  new Box('inner', { parent: outer });
  const image = aws.ecr.getImageOutput({ repositoryName: 'api', imageTag: 'abc123' });
  return {
    zones: zones.names.slice(0, 2),
    caller: caller.accountId,
    label: config.require('label'),
    token: config.requireSecret('token'),
    arn: outer.bucketArn,
    digest: image.imageDigest,
  };
}

describe('runOffline', () => {
  it('records every resource with its parent and answers invokes for the stack region', async () => {
    const run = await runOffline({ projectDir, stack: 'one', program });
    const byName = new Map(run.resources.map((r) => [r.name, r]));
    expect(byName.get('inner')?.parent).toBe('test:index:Box::outer');
    expect(byName.get('inner-bucket')).toMatchObject({
      type: 'aws:s3/bucket:Bucket',
      parent: 'test:index:Box::inner',
      custom: true,
      inputs: { bucket: 'inner-bucket' },
    });
    expect(byName.get('outer')?.parent).toBeUndefined();
    expect(run.outputs.zones).toEqual(['eu-central-1a', 'eu-central-1b']);
    expect(run.outputs.caller).toBe(offlineAccountId);
    expect(run.outputs.arn).toBe('arn:aws:s3:::outer-bucket');
    expect(run.outputs.digest).toBe(offlineImageDigest('api', 'abc123'));
  });

  it('passes secure config as the placeholder and redacts secret outputs', async () => {
    const run = await runOffline({ projectDir, stack: 'one', program });
    expect(run.outputs.token).toBe('[secret]');
    expect(JSON.stringify(run)).not.toContain('c2VjcmV0');
  });

  it('runs stacks one after another in the same process, each with its own config', async () => {
    const first = await runOffline({ projectDir, stack: 'one', program });
    const second = await runOffline({
      projectDir,
      stack: 'one',
      program,
      configOverrides: { 'demo:label': 'second' },
    });
    expect([first.outputs.label, second.outputs.label]).toEqual(['first', 'second']);
    expect(second.resources.filter((r) => r.type === 'aws:s3/bucket:Bucket')).toHaveLength(2);
  });

  // Run in a child process: the SDK also leaves an unobserved copy of the rejection, which the engine
  // absorbs, but which jest would report against the test on its own.
  it('fails on an invoke it cannot answer, naming it', () => {
    const script = join(projectDir, 'unanswered.ts');
    writeFileSync(
      script,
      [
        `import * as aws from ${JSON.stringify(require.resolve('@pulumi/aws'))};`,
        `import { runOffline } from ${JSON.stringify(join(__dirname, '../../offline/engine'))};`,
        `runOffline({ projectDir: ${JSON.stringify(projectDir)}, stack: 'one',`,
        `  program: async () => ({ ami: (await aws.ec2.getAmi({ owners: ['amazon'] })).id }) })`,
        `  .then(() => console.log('finished'), (error) => console.log('failed:', error.message));`,
      ].join('\n'),
    );
    const output = execFileSync(process.execPath, ['--import', 'tsx', script], {
      cwd: join(__dirname, '../..'),
      encoding: 'utf8',
    });
    expect(output.trim()).toBe(
      'failed: the offline engine has no answer for the invoke aws:ec2/getAmi:getAmi; add one in offline/mocks.ts',
    );
  });
});

describe('stack references', () => {
  const reader = async () => {
    const other = new pulumi.StackReference('other', { name: 'organization/base/one' });
    const details = await other.getOutputDetails('vpcId');
    return { vpcId: details.value };
  };

  it('read the outputs the run was given for that stack', async () => {
    const run = await runOffline({
      projectDir,
      stack: 'one',
      program: reader,
      stackOutputs: { 'organization/base/one': { vpcId: 'vpc-0abc' } },
    });
    expect(run.outputs).toEqual({ vpcId: 'vpc-0abc' });
    expect(run.resources.filter((r) => r.type === 'pulumi:pulumi:StackReference')).toEqual([
      expect.objectContaining({
        name: 'other',
        id: 'organization/base/one',
        inputs: { name: 'organization/base/one' },
      }),
    ]);
  });

  it('read no outputs from a stack that exists but was never deployed', async () => {
    const run = await runOffline({
      projectDir,
      stack: 'one',
      program: reader,
      stackOutputs: { 'organization/base/one': {} },
    });
    expect(run.outputs).toEqual({});
  });

  // In a child process: a failed read leaves unobserved rejections on every Output derived from it.
  it('fail on a stack that does not exist, as the engine does', () => {
    const script = join(projectDir, 'no-stack.ts');
    writeFileSync(
      script,
      [
        `import * as pulumi from ${JSON.stringify(require.resolve('@pulumi/pulumi'))};`,
        `import { runOffline } from ${JSON.stringify(join(__dirname, '../../offline/engine'))};`,
        `process.on('unhandledRejection', () => undefined);`,
        `runOffline({ projectDir: ${JSON.stringify(projectDir)}, stack: 'one', stackOutputs: {},`,
        `  program: async () => ({ v: (await new pulumi.StackReference('other', { name: 'organization/base/one' })`,
        `    .getOutputDetails('vpcId')).value }) })`,
        `  .then(() => console.log('finished'), (error) => console.log('failed:', error.message));`,
      ].join('\n'),
    );
    const output = execFileSync(process.execPath, ['--import', 'tsx', script], {
      cwd: join(__dirname, '../..'),
      encoding: 'utf8',
    });
    expect(output.trim()).toMatch(/^failed: .*unknown stack "organization\/base\/one"$/);
  });
});

describe("@pulumi/eks's own roles", () => {
  // The engine applies a packaged component's `transforms` to the children its provider registers; the offline
  // engine registers the roles @pulumi/eks v4 makes for the arguments given, with those transforms applied.
  const described = (props: Record<string, unknown>) => ({ ...props, description: 'transformed' });
  async function clusters() {
    const role = new aws.iam.Role('own', { assumeRolePolicy: '{}' });
    new eks.Cluster(
      'plain',
      {},
      {
        transforms: [
          ({ type, props, opts }) =>
            type === 'aws:iam/role:Role' ? { props: described(props), opts } : undefined,
        ],
      },
    );
    new eks.Cluster('given', { serviceRole: role, skipDefaultNodeGroup: true });
    return {};
  }

  it('are the cluster role and the default instance role, as the arguments ask, through the transforms', async () => {
    const run = await runOffline({ projectDir, stack: 'one', program: clusters });
    const roles = run.resources
      .filter((r) => r.type === 'aws:iam/role:Role' && r.parent?.startsWith('eks:index:Cluster::'))
      .map((r) => [r.parent, r.name, r.inputs.description]);
    // A given service role and no default node group: the component makes no role of its own.
    expect(roles).toEqual([
      ['eks:index:Cluster::plain', 'plain-eksRole-role', 'transformed'],
      ['eks:index:Cluster::plain', 'plain-instanceRole-role', 'transformed'],
    ]);
  });
});
