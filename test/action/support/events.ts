import examples from '@octokit/webhooks-examples';

type Payload = Record<string, unknown>;

/** A real webhook payload from @octokit/webhooks-examples, with the given fields changed. */
export function webhook(name: string, pick: (payload: Payload) => boolean = () => true): Payload {
  const group = (examples as { name: string; examples: Payload[] }[]).find((g) => g.name === name);
  const payload = group?.examples.find(pick);
  if (!payload) throw new Error(`no ${name} example`);
  return structuredClone(payload);
}

/** A pull_request `opened` payload whose base and head branches and title are the given ones. */
export function pullRequestEvent(options: {
  number: number;
  base: string;
  head: string;
  title?: string;
}): Payload {
  const payload = webhook('pull_request', (p) => p.action === 'opened');
  const pr = payload.pull_request as {
    number: number;
    title: string;
    base: { ref: string };
    head: { ref: string };
  };
  pr.number = options.number;
  pr.base.ref = options.base;
  pr.head.ref = options.head;
  if (options.title) pr.title = options.title;
  payload.number = options.number;
  return payload;
}

/** A push payload for refs/heads/<branch>. */
export function pushEvent(branch: string): Payload {
  const payload = webhook('push', (p) => typeof p.ref === 'string' && p.ref.startsWith('refs/heads/'));
  payload.ref = `refs/heads/${branch}`;
  return payload;
}
