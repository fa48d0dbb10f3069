import { boundRoles } from '../../infra/boundary';
import { offlineAccountId } from '../../offline/cloud';
import { renderApps, renderStack } from '../support/render';

// The bootstrap lets the platform role create and write roles only with the environment's boundary, and the
// apps role its service roles only with the services' boundary (test/infra/bootstrap/isolation.test.ts): a
// role either program made without it would fail to deploy, and one with it cannot leave its environment.
const boundary = (name: string) => `arn:aws:iam::${offlineAccountId}:policy/${name}`;

describe('boundRoles, the transform that gives roles the boundary (the program and @pulumi/eks alike)', () => {
  const bound = boundRoles(boundary('slipway-boundary-dev'));
  const opts = { protect: true };

  it('bounds an IAM role, keeping its other inputs and options', () => {
    const props = { assumeRolePolicy: '{}', tags: { stack: 'dev' } };
    expect(bound({ type: 'aws:iam/role:Role', props, opts })).toEqual({
      props: { ...props, permissionsBoundary: boundary('slipway-boundary-dev') },
      opts,
    });
  });

  it('leaves every other resource type alone, and a role that names its own boundary', () => {
    for (const type of [
      'aws:iam/rolePolicy:RolePolicy',
      'aws:ec2/securityGroup:SecurityGroup',
      'eks:index:Cluster',
    ])
      expect([type, bound({ type, props: { name: 'x' }, opts })]).toEqual([type, undefined]);
    const own = { assumeRolePolicy: '{}', permissionsBoundary: boundary('other') };
    expect(bound({ type: 'aws:iam/role:Role', props: own, opts })).toBeUndefined();
  });
});

describe.each(['dev', 'prod'])('the %s stacks in a shared account', (stack) => {
  it("give every IAM role the platform creates the environment's boundary from the bootstrap", async () => {
    const roles = (await renderStack(stack)).resources.filter((r) => r.type === 'aws:iam/role:Role');
    expect(roles.length).toBeGreaterThan(3);
    expect(roles.map((role) => [role.name, role.inputs.permissionsBoundary])).toEqual(
      roles.map((role) => [role.name, boundary(`slipway-boundary-${stack}`)]),
    );
  });

  it("give @pulumi/eks's own cluster role the boundary through the component's transforms, tagged with the stack", async () => {
    // The offline engine registers the roles @pulumi/eks makes inside its component with the component's transforms
    // applied, as the engine does (offline/mocks.ts): without the Cluster's transform this role is unbounded.
    const run = await renderStack(stack);
    const eksRoles = run.resources.filter(
      (r) => r.type === 'aws:iam/role:Role' && r.parent === 'eks:index:Cluster::cluster-eks',
    );
    expect(
      eksRoles.map((role) => [
        role.name,
        role.inputs.permissionsBoundary,
        (role.inputs.tags as Record<string, string>).stack,
      ]),
    ).toEqual([['cluster-eks-eksRole-role', boundary(`slipway-boundary-${stack}`), stack]]);
  });

  it("give every IAM role the apps create for a service the services' boundary, tagged with the stack", async () => {
    const roles = (await renderApps(stack)).resources.filter((r) => r.type === 'aws:iam/role:Role');
    expect(roles.length).toBeGreaterThan(0);
    expect(
      roles.map((role) => [
        role.name,
        role.inputs.permissionsBoundary,
        (role.inputs.tags as Record<string, string>).stack,
      ]),
    ).toEqual(roles.map((role) => [role.name, boundary(`slipway-services-boundary-${stack}`), stack]));
  });
});
