import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';

export interface RecordedRequest {
  method: string;
  path: string;
  /** X-Amz-Target for ECR calls. */
  target?: string;
  body: unknown;
}

interface Comment {
  id: number;
  body: string;
  user: { login: string; type: 'Bot' | 'User' };
}

/** Who the workflow token posts as. */
export const actionsBot = { login: 'github-actions[bot]', type: 'Bot' } as const;
interface Issue {
  number: number;
  title: string;
  body: string;
  state: string;
  labels: { name: string }[];
  user: { login: string; type: 'Bot' | 'User' };
}

/**
 * A local stand-in for the GitHub REST API and ECR's JSON API: serves comments, environments, deployments
 * and issues from memory and records every request, so tests assert what the action asked for.
 */
export class FakeGitHub {
  readonly requests: RecordedRequest[] = [];
  comments = new Map<number, Comment[]>();
  environments = new Map<string, unknown>();
  issues: Issue[] = [];
  /** Pull requests the commit belongs to (GET /repos/{owner}/{repo}/commits/{sha}/pulls). */
  pullsForCommit: { number: number }[] = [];
  /** Pull requests by number (GET /repos/{owner}/{repo}/pulls/{number}): the commit their head is at. */
  pulls = new Map<number, { head: { sha: string } }>();
  /**
   * Artifact attestations by subject digest, as actions/attest-build-provenance stores them through the API:
   * a Sigstore bundle whose certificate names the signing workflow and source repository, and whose DSSE
   * payload is the in-toto statement (the certificate here is JSON standing in for the X.509 extensions).
   */
  attestations = new Map<string, { repository: string; bundle: unknown }[]>();
  /**
   * ECR: `repository:tag` → digest. Tags are immutable, as Slipway's repositories are. A registry of another
   * account than the caller's (123456789012) keys its repositories `<account>/<repository>`.
   */
  images = new Map<string, string>();
  /**
   * ECR repositories that exist: those the platform creates for the sample (`slipway-<stack>/<service>`).
   * Any call or push to another fails as ECR fails it; an empty account has none (clear the set). Another
   * account's are `<account>/<repository>`: a call that does not name that registry does not find them.
   */
  repositories = new Set(
    ['dev', 'staging', 'prod'].flatMap((stack) =>
      ['web', 'api', 'worker'].map((service) => `slipway-${stack}/${service}`),
    ),
  );
  /** ECR operations that fail, with the status, error type and message the real service answers. */
  ecrFailures = new Map<string, { status: number; type: string; message: string }>();
  /** Status to answer comment writes with (to test that a failed comment is only a warning). */
  commentWriteStatus = 0;
  /**
   * Job tokens and what each may do (the job's `permissions:`). A request with a token listed here is
   * answered 403 unless its scope is granted, as GitHub answers a workflow token; other tokens may do anything.
   */
  readonly tokens = new Map<string, Record<string, string>>();
  /** Every request refused for want of a permission: `<token's job> <method> <path> needs <scope>`. */
  readonly forbidden: string[] = [];
  readonly tokenOwners = new Map<string, string>();
  /**
   * Tags another run lands just before this run's first push reaches ECR (`repository:tag` → digest): an
   * overlapping run that looked up the same tag at the same time and pushed first.
   */
  landBeforePush = new Map<string, string>();
  /** Status to answer issue writes (create, update) with, e.g. 403 without `issues: write`. */
  issueWriteStatus = 0;
  /**
   * Writes (POST, PATCH, PUT, DELETE) to answer as GitHub answers a client over its secondary rate limit:
   * 403, its message, and the seconds to wait in `retry-after`.
   */
  secondaryLimitedWrites = 0;
  private nextId = 1000;
  private server?: Server;
  url = '';

  async start(): Promise<void> {
    this.server = createServer((req, res) => void this.handle(req, res));
    await new Promise<void>((resolve) => this.server?.listen(0, '127.0.0.1', resolve));
    this.url = `http://127.0.0.1:${(this.server.address() as AddressInfo).port}`;
  }

  async stop(): Promise<void> {
    await new Promise<void>((resolve) => this.server?.close(() => resolve()));
  }

  private async handle(req: IncomingMessage, res: ServerResponse): Promise<void> {
    const chunks: Buffer[] = [];
    for await (const chunk of req) chunks.push(chunk as Buffer);
    const text = Buffer.concat(chunks).toString();
    const body: unknown = text ? JSON.parse(text) : undefined;
    const url = new URL(req.url ?? '/', this.url);
    const target = req.headers['x-amz-target'] as string | undefined;
    this.requests.push({ method: req.method ?? '', path: url.pathname + url.search, target, body });
    const reply = (status: number, data: unknown, headers: Record<string, string> = {}) => {
      res.writeHead(status, { 'content-type': 'application/json', ...headers });
      res.end(JSON.stringify(data));
    };
    if (target) return this.ecr(target, body as Record<string, unknown>, reply);
    if (req.method !== 'GET' && this.secondaryLimitedWrites > 0) {
      this.secondaryLimitedWrites--;
      return reply(
        403,
        {
          message:
            'You have exceeded a secondary rate limit. Please wait a few minutes before you try again.',
          documentation_url:
            'https://docs.github.com/rest/overview/rate-limits-for-the-rest-api#about-secondary-rate-limits',
        },
        { 'retry-after': '1' },
      );
    }
    const token = /^(?:token|bearer)\s+(\S+)$/i.exec(req.headers.authorization ?? '')?.[1];
    const granted = token ? this.tokens.get(token) : undefined;
    const needed = granted ? scopeNeeded(req.method ?? 'GET', url.pathname) : undefined;
    if (granted && needed && !needed.some(([scope, level]) => allows(granted[scope], level))) {
      const need = needed.map(([scope, level]) => `${scope}: ${level}`).join(' or ');
      this.forbidden.push(
        `${this.tokenOwners.get(token ?? '') ?? '?'} ${req.method ?? ''} ${url.pathname} needs ${need}`,
      );
      return reply(403, { message: 'Resource not accessible by integration' });
    }
    if (url.pathname === '/__image') {
      // A registry client resolving repository@digest or repository:tag (the manifest GET, by any tag's digest).
      const repository = inRegistry(
        accountOfHost(url.searchParams.get('host') ?? ''),
        url.searchParams.get('repository') ?? '',
      );
      const reference = url.searchParams.get('reference') ?? '';
      const digest = reference.startsWith('sha256:')
        ? [...this.images].find(([key, d]) => d === reference && key.startsWith(`${repository}:`))?.[1]
        : this.images.get(`${repository}:${reference}`);
      return digest ? reply(200, { digest }) : reply(404, { message: 'manifest unknown' });
    }
    if (url.pathname === '/__push') {
      const { image, digest } = body as { image: string; digest: string };
      for (const [key, landed] of this.landBeforePush) this.images.set(key, landed);
      this.landBeforePush.clear();
      const account = accountOfHost(image.slice(0, image.indexOf('/')));
      const named = image.slice(image.indexOf('/') + 1);
      const key = inRegistry(account, named);
      const pushedTo = key.slice(0, key.lastIndexOf(':'));
      // docker push prints the registry's refusal as it is.
      if (!this.repositories.has(pushedTo))
        return reply(400, {
          message: `name unknown: ${repositoryNotFound(named.slice(0, named.lastIndexOf(':')), account)}`,
        });
      const held = this.images.get(key);
      if (held && held !== digest) {
        const [repository, tag] = key.split(':');
        // docker push prints ECR's refusal as it is.
        return reply(400, {
          message: `tag invalid: The image tag '${tag}' already exists in the '${repository}' repository and cannot be overwritten because the repository is immutable.`,
        });
      }
      this.images.set(key, digest);
      return reply(200, {});
    }
    const route = `${req.method} ${url.pathname}`;
    let m: RegExpExecArray | null;
    if ((m = /^GET \/repos\/([^/]+\/[^/]+)\/attestations\/(sha256:[0-9a-f]{64})$/.exec(route))) {
      // GitHub keeps attestations per repository: another repository's attestation of the digest is not here.
      const found = (this.attestations.get(m[2] ?? '') ?? []).filter((a) => a.repository === m?.[1]);
      return found.length > 0
        ? reply(200, { attestations: found.map(({ bundle }) => ({ bundle })) })
        : reply(404, { message: 'Not Found' });
    }
    if ((m = /^GET \/repos\/[^/]+\/[^/]+\/issues\/(\d+)\/comments$/.exec(route))) {
      const all = this.comments.get(Number(m[1])) ?? [];
      const perPage = Number(url.searchParams.get('per_page') ?? 30);
      const page = Number(url.searchParams.get('page') ?? 1);
      const headers: Record<string, string> = {};
      if (page * perPage < all.length) {
        headers.link = `<${this.url}${url.pathname}?per_page=${perPage}&page=${page + 1}>; rel="next"`;
      }
      return reply(200, all.slice((page - 1) * perPage, page * perPage), headers);
    }
    if ((m = /^POST \/repos\/[^/]+\/[^/]+\/issues\/(\d+)\/comments$/.exec(route))) {
      if (this.commentWriteStatus) return reply(this.commentWriteStatus, { message: 'comment refused' });
      const comment: Comment = { id: this.nextId++, body: (body as { body: string }).body, user: actionsBot };
      const issueNumber = Number(m[1]);
      this.comments.set(issueNumber, [...(this.comments.get(issueNumber) ?? []), comment]);
      return reply(201, comment);
    }
    if ((m = /^PATCH \/repos\/[^/]+\/[^/]+\/issues\/comments\/(\d+)$/.exec(route))) {
      const comment = [...this.comments.values()].flat().find((c) => c.id === Number(m?.[1]));
      if (!comment) return reply(404, { message: 'Not Found' });
      comment.body = (body as { body: string }).body;
      return reply(200, comment);
    }
    if ((m = /^GET \/repos\/[^/]+\/[^/]+\/environments\/([^/]+)$/.exec(route))) {
      const environment = this.environments.get(decodeURIComponent(m[1] ?? ''));
      return environment ? reply(200, environment) : reply(404, { message: 'Not Found' });
    }
    if ((m = /^GET \/repos\/[^/]+\/[^/]+\/pulls\/(\d+)$/.exec(route))) {
      const pull = this.pulls.get(Number(m[1]));
      return pull ? reply(200, { number: Number(m[1]), ...pull }) : reply(404, { message: 'Not Found' });
    }
    if (/^GET \/repos\/[^/]+\/[^/]+\/commits\/[0-9a-f]+\/pulls$/.test(route))
      return reply(200, this.pullsForCommit);
    if (/^POST \/repos\/[^/]+\/[^/]+\/deployments$/.test(route)) return reply(201, { id: this.nextId++ });
    if (/^POST \/repos\/[^/]+\/[^/]+\/deployments\/\d+\/statuses$/.test(route))
      return reply(201, { id: this.nextId++ });
    if (/^GET \/repos\/[^/]+\/[^/]+\/issues$/.test(route)) {
      const label = url.searchParams.get('labels');
      const state = url.searchParams.get('state');
      return reply(
        200,
        this.issues.filter(
          (i) => (!state || i.state === state) && (!label || i.labels.some((l) => l.name === label)),
        ),
      );
    }
    if (this.issueWriteStatus && /^(POST|PATCH) \/repos\/[^/]+\/[^/]+\/issues(\/\d+)?$/.test(route))
      return reply(this.issueWriteStatus, { message: 'Resource not accessible by integration' });
    if (/^POST \/repos\/[^/]+\/[^/]+\/issues$/.test(route)) {
      const input = body as { title: string; body: string; labels: string[] };
      const issue = {
        number: this.nextId++,
        title: input.title,
        body: input.body,
        state: 'open',
        labels: input.labels.map((name) => ({ name })),
        user: actionsBot,
      };
      this.issues.push(issue);
      return reply(201, issue);
    }
    if ((m = /^PATCH \/repos\/[^/]+\/[^/]+\/issues\/(\d+)$/.exec(route))) {
      const issue = this.issues.find((i) => i.number === Number(m?.[1]));
      if (!issue) return reply(404, { message: 'Not Found' });
      Object.assign(issue, body);
      return reply(200, issue);
    }
    // A workflow token is an app installation token: it has no user.
    if (route === 'GET /user') return reply(403, { message: 'Resource not accessible by integration' });
    return reply(404, { message: `no fake route for ${route}` });
  }

  /**
   * Records what actions/attest-build-provenance in `workflow` of `sourceRepository` stores: an SLSA provenance
   * attestation of `digest`, kept with the repository whose workflow ran it (`storedIn`, the same by default).
   */
  attest(
    digest: string,
    options: {
      workflow?: string;
      sourceRepository?: string;
      storedIn?: string;
      predicateType?: string;
    } = {},
  ): void {
    const {
      workflow = '.github/workflows/deploy.yml',
      sourceRepository = 'acme/shop',
      predicateType = 'https://slsa.dev/provenance/v1',
    } = options;
    const storedIn = options.storedIn ?? sourceRepository;
    const base64 = (value: unknown) => Buffer.from(JSON.stringify(value)).toString('base64');
    const certificate = {
      subjectAlternativeName: `https://github.com/${sourceRepository}/${workflow}@refs/heads/main`,
      sourceRepositoryURI: `https://github.com/${sourceRepository}`,
    };
    const statement = {
      _type: 'https://in-toto.io/Statement/v1',
      subject: [{ name: 'image', digest: { sha256: digest.replace(/^sha256:/, '') } }],
      predicateType,
      predicate: {},
    };
    const bundle = {
      mediaType: 'application/vnd.dev.sigstore.bundle.v0.3+json',
      verificationMaterial: { certificate: { rawBytes: base64(certificate) } },
      dsseEnvelope: { payloadType: 'application/vnd.in-toto+json', payload: base64(statement) },
    };
    this.attestations.set(digest, [
      ...(this.attestations.get(digest) ?? []),
      { repository: storedIn, bundle },
    ]);
  }

  private ecr(
    target: string,
    body: Record<string, unknown>,
    reply: (status: number, data: unknown) => void,
  ): void {
    const operation = target.split('.').pop() ?? '';
    const failure = this.ecrFailures.get(operation);
    if (failure) return reply(failure.status, { __type: failure.type, message: failure.message });
    const registryId = (body.registryId as string | undefined) ?? callerAccount;
    const named = body.repositoryName as string;
    const repository = inRegistry(registryId, named);
    if (operation !== 'GetAuthorizationToken' && !this.repositories.has(repository))
      return reply(400, {
        __type: 'RepositoryNotFoundException',
        message: repositoryNotFound(named, registryId),
      });
    const tag = (body.imageIds as { imageTag: string }[] | undefined)?.[0]?.imageTag;
    const digest = this.images.get(`${repository}:${tag}`);
    const notFound = () =>
      reply(400, { __type: 'ImageNotFoundException', message: `no image ${repository}:${tag}` });
    switch (operation) {
      case 'GetAuthorizationToken':
        return reply(200, {
          authorizationData: [
            {
              authorizationToken: Buffer.from('AWS:ecr-password-do-not-log').toString('base64'),
              proxyEndpoint: 'https://123456789012.dkr.ecr.eu-west-1.amazonaws.com',
              expiresAt: 1900000000,
            },
          ],
        });
      case 'DescribeImages':
        return digest
          ? reply(200, {
              imageDetails: [{ repositoryName: repository, imageDigest: digest, imageTags: [tag] }],
            })
          : notFound();
      case 'BatchGetImage':
        return digest
          ? reply(200, {
              images: [
                {
                  repositoryName: repository,
                  imageId: { imageDigest: digest, imageTag: tag },
                  imageManifest: JSON.stringify({ schemaVersion: 2, digest }),
                  imageManifestMediaType: 'application/vnd.oci.image.manifest.v1+json',
                },
              ],
              failures: [],
            })
          : reply(200, { images: [], failures: [{ failureCode: 'ImageNotFound' }] });
      case 'PutImage': {
        const manifest = JSON.parse(body.imageManifest as string) as { digest: string };
        const held = this.images.get(`${repository}:${body.imageTag as string}`);
        if (held === manifest.digest) {
          return reply(400, {
            __type: 'ImageAlreadyExistsException',
            message: `Image with digest '${held}' and tag '${body.imageTag as string}' already exists in the repository with name '${repository}'`,
          });
        }
        if (held) {
          return reply(400, {
            __type: 'ImageTagAlreadyExistsException',
            message: `The image tag '${body.imageTag as string}' already exists in the '${repository}' repository and cannot be overwritten because the repository is immutable.`,
          });
        }
        this.images.set(`${repository}:${body.imageTag as string}`, manifest.digest);
        return reply(200, {
          image: { repositoryName: repository, imageId: { imageDigest: manifest.digest } },
        });
      }
      default:
        return reply(400, { __type: 'InvalidParameterException', message: `fake ECR has no ${operation}` });
    }
  }
}

/** The account whose credentials call the fake (its GetAuthorizationToken's registry). */
const callerAccount = '123456789012';
/** The account of a registry host, `<account>.dkr.ecr.<region>.amazonaws.com`. */
const accountOfHost = (host: string) => /^(\d{12})\./.exec(host)?.[1] ?? callerAccount;
/** How the fake keys a repository (and its tags): bare in the caller's registry, `<account>/` in another's. */
const inRegistry = (account: string, repository: string) =>
  account === callerAccount ? repository : `${account}/${repository}`;

/** ECR's words for a repository that is not there, in its API errors and in docker push's output. */
const repositoryNotFound = (repository: string, registryId = callerAccount) =>
  `The repository with name '${repository}' does not exist in the registry with id '${registryId}'`;

const allows = (granted: string | undefined, level: 'read' | 'write') =>
  granted === 'write' || (level === 'read' && granted === 'read');

/** The permission a workflow token needs for each route the action uses (any one of them suffices). */
function scopeNeeded(method: string, path: string): [string, 'read' | 'write'][] | undefined {
  const write = method !== 'GET';
  if (/\/environments\//.test(path)) return [['actions', 'read']];
  if (/\/issues\/(\d+\/)?comments/.test(path) || /\/issues\/comments\//.test(path))
    return write
      ? [
          ['pull-requests', 'write'],
          ['issues', 'write'],
        ]
      : [
          ['pull-requests', 'read'],
          ['issues', 'read'],
        ];
  if (/\/deployments/.test(path)) return [['deployments', write ? 'write' : 'read']];
  if (/\/attestations/.test(path)) return [['attestations', write ? 'write' : 'read']];
  if (/\/issues/.test(path)) return [['issues', write ? 'write' : 'read']];
  if (/\/commits\/[^/]+\/pulls$/.test(path)) return [['contents', 'read']];
  if (/\/pulls\/\d+$/.test(path)) return [['pull-requests', 'read']];
  return undefined;
}

const started: FakeGitHub[] = [];

/** A started fake of its own for one test, so tests run concurrently; stopped by `stopFakeGitHubs`. */
export async function startFakeGitHub(): Promise<FakeGitHub> {
  const github = new FakeGitHub();
  await github.start();
  started.push(github);
  return github;
}

/** Stops every fake this test file started (call it in afterAll). */
export async function stopFakeGitHubs(): Promise<void> {
  await Promise.all(started.splice(0).map((github) => github.stop()));
}
