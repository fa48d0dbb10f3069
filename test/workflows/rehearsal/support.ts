import type { Job, Step, Workflow } from '../workflow-files';
import type { Rehearsal, RehearsalEvent } from './rehearse';
import { World } from './world';

// Shared by the rehearsal tests: the events, what to print when one fails, and ways to break a workflow.

// A rehearsal runs every job of a workflow, each action step a Node process: about 15 s for a full deploy on
// an idle machine, several times that on a loaded one.
jest.setTimeout(240_000);

export const push = (branch: string): RehearsalEvent => ({
  name: 'push',
  ref: `refs/heads/${branch}`,
  payload: { ref: `refs/heads/${branch}`, repository: { full_name: 'acme/slipway' } },
});

export const pullRequest = (from: string, base: string): RehearsalEvent => ({
  name: 'pull_request',
  ref: 'refs/pull/7/merge',
  payload: {
    number: 7,
    pull_request: {
      number: 7,
      title: 'Faster checkout',
      head: { ref: 'feature-checkout', sha: 'a'.repeat(40), repo: { full_name: from } },
      base: { ref: base, sha: 'b'.repeat(40), repo: { full_name: 'acme/slipway' } },
    },
    repository: { full_name: 'acme/slipway' },
  },
});

/** What went wrong, readable in a failed assertion. */
export const failures = (r: Rehearsal) => [
  ...r.jobs.filter((j) => j.error).map((j) => `${j.name}: ${j.error ?? ''}`),
  ...r.forbidden.map((f) => `403: ${f}`),
  ...r.engineWarnings.map((w) => `EBADENGINE: ${w}`),
];
export const roles = (r: Rehearsal) =>
  r.jobs.flatMap((j) =>
    j.roles.map(({ role, subject }) => `${j.name}: ${role.split('/').pop()} as ${subject}`),
  );

const worlds: World[] = [];
export const newWorld = async (options: Parameters<World['start']>[0] = {}) => {
  const world = await new World().start(options);
  worlds.push(world);
  return world;
};
/** Stops every world this test file started (jest's afterAll in each file). */
afterAll(async () => {
  await Promise.all(worlds.splice(0).map((w) => w.stop()));
});

/** Removes steps (by name or action) from one job of a copy of the workflow. */
export const without =
  (jobName: string, match: (step: Step) => boolean) =>
  (workflow: Workflow): void => {
    const job = workflow.jobs[jobName] as Job;
    job.steps = (job.steps ?? []).filter((step) => !match(step));
  };
export const named = (name: string) => (step: Step) => step.name === name;
