import { rehearse, type Rehearsal, type RehearsalEvent } from './rehearsal/rehearse';
import { World } from './rehearsal/world';

const push = (branch: string): RehearsalEvent => ({
  name: 'push',
  ref: `refs/heads/${branch}`,
  payload: { ref: `refs/heads/${branch}`, repository: { full_name: 'acme/slipway' } },
});

let world: World;
beforeAll(async () => {
  world = await new World().start();
});
afterAll(() => world.stop());

const summary = (r: Rehearsal) => r.jobs.map((j) => `${j.name}: ${j.result}${j.error ? `\n${j.error}` : ''}`).join('\n');

test('a push to develop', async () => {
  const r = await rehearse(world, 'workflows/deploy.yml', push('develop'));
  console.log(summary(r), r.forbidden, r.engineWarnings);
  expect(r.ok).toBe(true);
});
