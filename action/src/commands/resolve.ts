import { writeSummary } from '../io/summary';
import * as core from '@actions/core';
import type { ActionContext } from '../context';
import { escapeMarkdown } from '../markdown';
import { selectedServices } from '../context';
import { buildInputsDigest } from '../io/build-inputs';
import { buildGroups } from '../resolve/builds';
import { accountsOf } from '../pipeline/accounts';
import {
  deployTargets,
  oneEnvironmentPerStack,
  previewReach,
  resolveEnvironments,
  stacksOf,
} from '../resolve/resolve';

export async function resolveCommand(ctx: ActionContext): Promise<void> {
  const baseRef = (ctx.payload.pull_request as { base?: { ref?: string } } | undefined)?.base?.ref;
  const result = resolveEnvironments(ctx.pipeline, { eventName: ctx.eventName, ref: ctx.ref, baseRef });
  core.setOutput('environments', JSON.stringify(result.environments));
  core.setOutput('preview-environments', JSON.stringify(result.previewEnvironments));
  const reach = previewReach(ctx.pipeline, result);
  core.setOutput('online-preview-environments', JSON.stringify(reach.online));
  core.setOutput('offline-preview-environments', JSON.stringify(reach.offline));
  core.setOutput('approval', JSON.stringify(result.approval));
  core.setOutput('stacks', JSON.stringify(stacksOf(ctx.pipeline)));
  // Drift reads each stack once, whichever of its environments names it.
  core.setOutput('all-environments', JSON.stringify(oneEnvironmentPerStack(ctx.pipeline)));
  core.setOutput('accounts', JSON.stringify(accountsOf(ctx.pipeline)));
  const targets = deployTargets(ctx.pipeline, result);
  core.setOutput('deploys', JSON.stringify(targets));
  // Only a push that deploys builds; the digests need the checked-out build contexts.
  const groups =
    result.environments.length > 0
      ? buildGroups(
          selectedServices(ctx).map(
            ([service, build]) => [service, buildInputsDigest(ctx.root, build)] as const,
          ),
        )
      : [];
  core.setOutput('builds', JSON.stringify(groups));
  core.setOutput('gated-deploys', JSON.stringify(targets.filter((target) => target.approval)));
  core.setOutput('image-tag', ctx.imageTag);
  const list = (names: string[]) =>
    names.length > 0
      ? names.map((n) => `${n}${result.approval[n] ? ' (approval)' : ''}`).join(' → ')
      : 'none';
  await writeSummary(
    [
      `## Slipway: ${escapeMarkdown(ctx.ref)} (${escapeMarkdown(ctx.eventName)})`,
      '',
      `- deploys to: ${list(result.environments)}`,
      `- previews: ${list(result.previewEnvironments)}`,
      `- image tag: ${escapeMarkdown(ctx.imageTag)}`,
      '',
    ].join('\n'),
  );
}
