import type { Octokit } from './github';

/** Anything GitHub records an author for: a comment, an issue. */
export interface Authored {
  user?: { login: string; type: string } | null;
}

/**
 * The first of `items` the action could have written itself. Anyone can paste a hidden marker and a
 * label into a comment or issue of their own, so the marker alone proves nothing: what the action wrote
 * is a bot's (the workflow token writes as github-actions[bot], an app's token as its bot) or, with a
 * personal token, that token's user's.
 */
export async function firstOwn<T extends Authored>(
  octokit: Octokit,
  items: readonly T[],
): Promise<T | undefined> {
  const byBot = items.find((item) => item.user?.type === 'Bot');
  if (byBot || items.length === 0) return byBot;
  const login = await tokenLogin(octokit);
  return login === undefined ? undefined : items.find((item) => item.user?.login === login);
}

/** The user a personal token acts as; an app or workflow token has none (GitHub answers 403). */
async function tokenLogin(octokit: Octokit): Promise<string | undefined> {
  try {
    return (await octokit.rest.users.getAuthenticated()).data.login;
  } catch {
    return undefined;
  }
}
