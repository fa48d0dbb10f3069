import type * as GitHubClient from '../../../action/src/io/github';
import { startFakeGitHub, type FakeGitHub } from '../support/fake-github';

// @actions/github reads GITHUB_API_URL when it loads: the client is loaded after the fake is up.
let github: FakeGitHub;
let createOctokit: typeof GitHubClient.createOctokit;
const warnings: string[] = [];

beforeAll(async () => {
  github = await startFakeGitHub();
  process.env.GITHUB_API_URL = github.url;
  jest.spyOn(process.stdout, 'write').mockImplementation((text) => {
    if (String(text).startsWith('::warning::')) warnings.push(String(text).trim());
    return true;
  });
  ({ createOctokit } = jest.requireActual<typeof GitHubClient>('../../../action/src/io/github'));
});
afterAll(async () => {
  jest.restoreAllMocks();
  await github.stop();
});

const comment = (octokit: ReturnType<typeof createOctokit>, body: string) =>
  octokit.rest.issues.createComment({ owner: 'acme', repo: 'shop', issue_number: 7, body });

describe('the GitHub client', () => {
  it('writes one after another without pausing between them', async () => {
    const octokit = createOctokit('ghs_faketoken');
    const started = Date.now();
    await comment(octokit, 'one');
    await comment(octokit, 'two');
    await octokit.rest.issues.updateComment({ owner: 'acme', repo: 'shop', comment_id: 1001, body: 'three' });
    // The throttling plugin's default would hold the second and third writes three seconds each.
    expect(Date.now() - started).toBeLessThan(2500);
    expect(github.comments.get(7)?.map((c) => c.body)).toEqual(['one', 'three']);
  });

  it('waits out a secondary rate limit for as long as GitHub says, warns, and writes', async () => {
    github.secondaryLimitedWrites = 1;
    const octokit = createOctokit('ghs_faketoken');
    const started = Date.now();
    await comment(octokit, 'after the limit');
    expect(Date.now() - started).toBeGreaterThanOrEqual(1000);
    expect(github.comments.get(7)?.at(-1)?.body).toBe('after the limit');
    expect(warnings).toEqual([
      expect.stringMatching(/^::warning::GitHub secondary rate limit hit for POST .*; retrying in 1s$/),
    ]);
  });

  it('gives up after one retry when the secondary limit persists', async () => {
    github.secondaryLimitedWrites = 2;
    const octokit = createOctokit('ghs_faketoken');
    await expect(comment(octokit, 'never')).rejects.toMatchObject({ status: 403 });
    expect(github.comments.get(7)?.some((c) => c.body === 'never')).toBe(false);
  });
});
