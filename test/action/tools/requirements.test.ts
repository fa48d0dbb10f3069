import { toolPins } from '../../../action/src/tools/pins';
import {
  backendProblem,
  builderProblem,
  missingTool,
  versionProblem,
} from '../../../action/src/tools/requirements';

describe('tool requirements', () => {
  it('accepts the pinned versions as the tools print them', () => {
    expect(versionProblem('pulumi', 'v3.253.0\n')).toBeUndefined();
    expect(versionProblem('trivy', 'Version: 0.69.3\nVulnerability DB:\n  Version: 2\n')).toBeUndefined();
  });

  it('refuses another version in one line naming the step that installs the pinned one', () => {
    const problem = versionProblem('trivy', 'Version: 0.69.4\n');
    expect(problem).toBe(
      'trivy 0.69.4 is installed, Slipway needs 0.69.3: the workflow step "Install Trivy" installs it (docs/workflows.md)',
    );
    expect(versionProblem('pulumi', 'v3.200.0')).toContain(`"${toolPins.pulumi.step}"`);
    expect(versionProblem('pulumi', 'garbage')).toMatch(/^pulumi \(unknown version\) is installed/);
  });

  it('names the missing tool and its setup step', () => {
    expect(missingTool('buildx', 'build')).toBe(
      'build needs docker buildx, which is not installed on this runner: the workflow step "Set up Docker Buildx" installs it (docs/workflows.md)',
    );
  });

  it('refuses the default docker driver, which cannot export a gha cache', () => {
    expect(builderProblem('Name: default\nDriver: docker\n')).toMatch(/uses the docker driver/);
    expect(builderProblem('Name: builder\nDriver: docker-container\n')).toBeUndefined();
    expect(builderProblem('')).toMatch(/unknown driver/);
  });

  it('needs a backend URL unless a Pulumi Cloud token is there', () => {
    expect(backendProblem({})).toMatch(/^PULUMI_BACKEND_URL is not set.*SLIPWAY_BACKEND_URL/);
    expect(backendProblem({ PULUMI_BACKEND_URL: '  ' })).toBeDefined();
    expect(backendProblem({ PULUMI_BACKEND_URL: 's3://state?region=eu-west-1' })).toBeUndefined();
    expect(backendProblem({ PULUMI_ACCESS_TOKEN: 'pul-x' })).toBeUndefined();
  });
});
