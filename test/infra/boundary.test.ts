import { offlineAccountId } from '../../offline/cloud';
import { renderApps, renderStack } from '../support/render';

// The bootstrap lets the platform role create and write roles only with the environment's boundary, and the
// apps role its service roles only with the services' boundary (test/infra/bootstrap/isolation.test.ts): a
// role either program made without it would fail to deploy, and one with it cannot leave its environment.
const boundary = (name: string) => `arn:aws:iam::${offlineAccountId}:policy/${name}`;

describe.each(['dev', 'prod'])('the %s stacks in a shared account', (stack) => {
  it("give every IAM role the platform creates the environment's boundary from the bootstrap", async () => {
    const roles = (await renderStack(stack)).resources.filter((r) => r.type === 'aws:iam/role:Role');
    expect(roles.length).toBeGreaterThan(3);
    expect(roles.map((role) => [role.name, role.inputs.permissionsBoundary])).toEqual(
      roles.map((role) => [role.name, boundary(`slipway-boundary-${stack}`)]),
    );
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
