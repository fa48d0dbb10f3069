import { toolPins } from '../../action/src/tools/pins';
import { readWorkflow, workflowPaths, type Step } from './workflow-files';

const steps = workflowPaths.flatMap((path) =>
  Object.entries(readWorkflow(path).workflow.jobs).flatMap(([job, { steps = [] }]) =>
    steps.map((step) => ({ where: `${path}: ${job}`, step })),
  ),
);
const named = (name: string) => steps.filter(({ step }) => step.name === name);

describe('tool setup steps', () => {
  it.each([
    ['pulumi', 'PULUMI'],
    ['trivy', 'TRIVY'],
  ] as const)('install %s at the version and checksum the action requires, verified', (tool, prefix) => {
    const found = named(toolPins[tool].step);
    expect(found.length).toBeGreaterThan(0);
    for (const { step } of found) {
      expect(step.env?.[`${prefix}_VERSION`]).toBe(toolPins[tool].version);
      expect(step.env?.[`${prefix}_SHA256`]).toBe(toolPins[tool].sha256);
      expect(step.run).toContain('sha256sum --check --strict');
      // The URL the step downloads, with the version filled in, is the one the pin names.
      const url = /"(https:\/\/[^"]+)"/
        .exec(step.run ?? '')?.[1]
        ?.replaceAll(`\${${prefix}_VERSION}`, toolPins[tool].version);
      expect(url).toBe(toolPins[tool].url);
    }
  });

  it("never use Trivy's own action or a mutable tag", () => {
    const uses = steps.map(({ step }: { step: Step }) => step.uses ?? '').filter(Boolean);
    expect(uses.filter((u) => /trivy-action/.test(u))).toEqual([]);
    expect(uses.filter((u) => !u.startsWith('./') && !/@[0-9a-f]{40}$/.test(u))).toEqual([]);
  });

  it('set up buildx with the docker action wherever images are built', () => {
    for (const path of workflowPaths) {
      for (const [job, { steps: jobSteps = [] }] of Object.entries(readWorkflow(path).workflow.jobs)) {
        if (!jobSteps.some((s) => s.with?.command === 'build')) continue;
        expect([job, jobSteps.some((s) => s.uses?.startsWith('docker/setup-buildx-action@'))]).toEqual([
          job,
          true,
        ]);
      }
    }
  });
});
