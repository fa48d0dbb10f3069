import { diffPlans } from '../../plan/diff';
import type { PlanResource, ResourceChange, StackPlan } from '../../plan/model';
import { planOf } from '../../plan/render';
import { renderStack } from '../support/render';

// The current side is the real prod render (shared with other tests); the base is the same plan with one
// input as it was before the change under review, so each case costs no render of its own.
let current: StackPlan;
beforeAll(async () => {
  current = planOf(await renderStack('prod'));
});

/** The plan as it was before someone changed `input` of the resource of that type and name. */
function baseWith(type: string, name: string, input: string, was: unknown): StackPlan {
  const base = structuredClone(current);
  const resource = base.resources.find((r) => r.type === type && r.name === name);
  if (!resource) throw new Error(`the prod render has no ${type} ${name}`);
  resource.inputs[input] = was;
  return base;
}

const summary = (changes: ResourceChange[]) => changes.map((c) => `${c.kind} ${c.type} ${c.name}`);
const find = (changes: ResourceChange[], type: string, name: string) =>
  changes.find((c) => c.type === type && c.name === name);

describe('a replacement in the offline plan reaches the resources that read it', () => {
  it('a private subnet with a new CIDR: its route table association and the node group are replaced', () => {
    const subnet = current.resources.find((r) => r.name === 'network-private-0');
    const subnetId = subnet?.assigned?.[0] ?? '';
    expect(subnetId).toMatch(/^subnet-[0-9a-f]{17}$/);
    const diff = diffPlans(
      baseWith('aws:ec2/subnet:Subnet', 'network-private-0', 'cidrBlock', '10.30.96.0/19'),
      current,
      'main',
    );
    expect(summary(diff.changes)).toEqual([
      'replace aws:ec2/routeTableAssociation:RouteTableAssociation network-private-rta-0',
      'replace aws:ec2/subnet:Subnet network-private-0',
      'replace aws:eks/nodeGroup:NodeGroup cluster-general',
    ]);
    expect(find(diff.changes, 'aws:eks/nodeGroup:NodeGroup', 'cluster-general')?.properties).toEqual([
      {
        path: 'subnetIds[0]',
        old: subnetId,
        new: '[known after network-private-0 is replaced]',
        forcesReplacement: true,
        after: 'aws:ec2/subnet:Subnet::network-private-0',
      },
    ]);
    expect(diff.counts).toEqual({ create: 0, update: 0, replace: 3, delete: 0 });
    // The apps stack reads the subnets through the contract: the output changes as the inputs do.
    expect(diff.outputs).toEqual([
      {
        path: 'networkPrivateSubnetIds[0]',
        old: subnetId,
        new: '[known after network-private-0 is replaced]',
        after: 'aws:ec2/subnet:Subnet::network-private-0',
      },
    ]);
  });

  it('a public subnet with a new CIDR: its NAT gateway is replaced, and so the private route through it changes', () => {
    const diff = diffPlans(
      baseWith('aws:ec2/subnet:Subnet', 'network-public-0', 'cidrBlock', '10.30.204.0/22'),
      current,
      'main',
    );
    expect(summary(diff.changes)).toEqual([
      'update aws:ec2/routeTable:RouteTable network-private-rt-0',
      'replace aws:ec2/natGateway:NatGateway network-nat-0',
      'replace aws:ec2/routeTableAssociation:RouteTableAssociation network-public-rta-0',
      'replace aws:ec2/subnet:Subnet network-public-0',
    ]);
    // Two steps away: the route reads the NAT gateway, which reads the subnet.
    expect(find(diff.changes, 'aws:ec2/routeTable:RouteTable', 'network-private-rt-0')?.properties).toEqual([
      expect.objectContaining({
        path: 'routes[0].natGatewayId',
        new: '[known after network-nat-0 is replaced]',
        forcesReplacement: false,
        after: 'aws:ec2/natGateway:NatGateway::network-nat-0',
      }),
    ]);
  });

  it('a database with a new identifier: the credential secret holding its address changes, still as [secret]', () => {
    const diff = diffPlans(
      baseWith('aws:rds/instance:Instance', 'data-app-db-instance', 'identifier', 'slipway-prod-db'),
      current,
      'main',
    );
    // And the user provisioning follows the new instance: its master reader reads the new master secret,
    // and the Job, named by a hash of the host and master secret, is a new one that creates api's user there.
    expect(summary(diff.changes)).toEqual([
      'update aws:iam/rolePolicy:RolePolicy data-users-app-db-master-reader-policy',
      'update aws:secretsmanager/secretVersion:SecretVersion data-app-db-api-value',
      'update kubernetes:external-secrets.io/v1:ExternalSecret data-users-app-db-master-secret',
      'replace aws:rds/instance:Instance data-app-db-instance',
      'replace kubernetes:batch/v1:Job data-users-app-db-job',
    ]);
    expect(
      find(diff.changes, 'aws:secretsmanager/secretVersion:SecretVersion', 'data-app-db-api-value')
        ?.properties,
    ).toEqual([
      {
        path: 'secretString',
        old: '[secret]',
        new: '[known after data-app-db-instance is replaced]',
        forcesReplacement: false,
        after: 'aws:rds/instance:Instance::data-app-db-instance',
      },
    ]);
    // The services' data endpoints the apps read: the new instance's address is not known yet.
    expect(diff.outputs).toEqual([
      expect.objectContaining({
        path: 'dataStoreEndpoints.app-db.host',
        new: '[known after data-app-db-instance is replaced]',
      }),
    ]);
  });

  it('lists no assigned value that a redaction would hide, and no computed credential', () => {
    const assigned = current.resources.flatMap((r) => r.assigned ?? []);
    expect(assigned.length).toBeGreaterThan(100);
    const password = current.resources.find((r) => r.type === 'random:index/randomPassword:RandomPassword');
    expect(password).toBeDefined();
    expect(password?.assigned?.some((value) => value.startsWith('Offline'))).not.toBe(true);
    expect(JSON.stringify(current)).not.toMatch(/"Offline[0-9a-f]{24}"/);
  });
});

describe('replacement effects on small plans', () => {
  const plan = (resources: PlanResource[]): StackPlan => ({
    formatVersion: 1,
    project: 'demo',
    stack: 'dev',
    resources,
    outputs: {},
  });
  const key = (name: string, assigned: string[], inputs: Record<string, unknown>): PlanResource => ({
    type: 'aws:kms/key:Key',
    name,
    custom: true,
    inputs,
    assigned,
  });
  const alias = (targetKeyId: string): PlanResource => ({
    type: 'aws:kms/alias:Alias',
    name: 'alias',
    custom: true,
    inputs: { name: 'alias/data', targetKeyId },
  });

  it('leaves a resource that is created anyway as a create', () => {
    const keyId = 'f00dfeed-0000-4000-8000-f00dfeed0000';
    const diff = diffPlans(
      plan([key('data', [keyId], { keySpec: 'SYMMETRIC_DEFAULT' })]),
      plan([key('data', [keyId], { keySpec: 'RSA_2048' }), alias(keyId)]),
      'main',
    );
    expect(summary(diff.changes)).toEqual([
      'create aws:kms/alias:Alias alias',
      'replace aws:kms/key:Key data',
    ]);
  });

  it('does not follow an update in place: the ID stays', () => {
    const keyId = 'f00dfeed-0000-4000-8000-f00dfeed0000';
    const diff = diffPlans(
      plan([key('data', [keyId], { description: 'old' }), alias(keyId)]),
      plan([key('data', [keyId], { description: 'new' }), alias(keyId)]),
      'main',
    );
    expect(summary(diff.changes)).toEqual(['update aws:kms/key:Key data']);
  });
});
