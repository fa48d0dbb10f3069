/**
 * The tools the action runs, at the versions the workflows install, and the workflow step that installs
 * each (named here so a refusal can point at it). The workflows pin the same versions and checksums; a
 * test keeps the two in step.
 *
 * Checksums are the SHA-256 of the linux-x64 release archives as the projects publish them (Pulumi's in
 * `pulumi-<version>-checksums.txt` on its GitHub release; see docs/workflows.md, "Tool pins", for where each
 * was read).
 */
export const toolPins = {
  pulumi: {
    version: '3.253.0',
    url: 'https://get.pulumi.com/releases/sdk/pulumi-v3.253.0-linux-x64.tar.gz',
    sha256: '33161e521280e6c77395a46344dba5ff9c118a90df254801e662087143b4d1ac',
    step: 'Install the Pulumi CLI',
  },
  // 0.69.3 is the last release published before the March 2026 compromise of Trivy's release tooling.
  trivy: {
    version: '0.69.3',
    url: 'https://github.com/aquasecurity/trivy/releases/download/v0.69.3/trivy_0.69.3_Linux-64bit.tar.gz',
    sha256: '1816b632dfe529869c740c0913e36bd1629cb7688bd5634f4a858c1d57c88b75',
    step: 'Install Trivy',
  },
  buildx: { step: 'Set up Docker Buildx' },
} as const;

export type Tool = keyof typeof toolPins;
