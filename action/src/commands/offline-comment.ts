import { existsSync, readdirSync, readFileSync, statSync } from 'node:fs';
import { join, resolve } from 'node:path';
import * as core from '@actions/core';
import type { ActionContext } from '../context';
import { upsertStickyComment } from '../io/sticky-comment';
import { maxPlanBytes, parseOfflinePlan } from '../offline-plan/schema';
import { offlineMarker, renderOfflinePlan } from '../offline-plan/render';
import { InputError } from '../inputs';
import { programKinds, pulumiProject } from '../projects';

/**
 * Posts the offline plans a pull request run left as artifacts (`offline-plan-*` folders holding plan.json
 * and pr-number), one sticky comment per project and stack. It runs in the privileged `workflow_run` job with the base
 * repository's token and code: every file it reads was written by the pull request's code, so each is
 * size-limited and validated, the pull request must still be at the commit the run built, the stack must be
 * one of pipeline.yaml's and the project one of the repository's two, and the comment is rendered here from the plan's data, never taken as Markdown.
 */
export async function offlineCommentCommand(ctx: ActionContext): Promise<void> {
  const run = ctx.payload.workflow_run as { head_sha?: string; event?: string; id?: number } | undefined;
  if (!run?.head_sha) {
    throw new InputError('command offline-comment: runs on a workflow_run event (pull-request-comment.yml)');
  }
  if (run.event !== 'pull_request') {
    core.info(
      `The run was triggered by ${run.event ?? 'an unknown event'}, not a pull request: nothing to post`,
    );
    return;
  }
  const root = resolve(ctx.root, ctx.inputs.plansDirectory);
  const folders = existsSync(root)
    ? readdirSync(root, { withFileTypes: true }).filter(
        (e) => e.isDirectory() && e.name.startsWith('offline-plan-'),
      )
    : [];
  if (folders.length === 0) {
    core.info(`No offline plans in ${ctx.inputs.plansDirectory}`);
    return;
  }
  const stacks = new Set(Object.values(ctx.pipeline.environments).map((e) => e.stack));
  const projects = new Set(programKinds.map((kind) => pulumiProject(ctx.root, kind).name));
  const octokit = ctx.github();
  for (const folder of folders) {
    const dir = join(root, folder.name);
    const prText = readBounded(join(dir, 'pr-number'), 32).trim();
    if (!/^[1-9][0-9]{0,9}$/.test(prText))
      throw new Error(`${folder.name}/pr-number: not a pull request number`);
    const number = Number(prText);
    const plan = parseOfflinePlan(
      readBounded(join(dir, 'plan.json'), maxPlanBytes),
      `${folder.name}/plan.json`,
    );
    if (!stacks.has(plan.stack)) {
      throw new Error(
        `${folder.name}/plan.json: stack: ${plan.stack.slice(0, 80)} is not a stack of ${ctx.inputs.config}`,
      );
    }
    if (!projects.has(plan.project)) {
      throw new Error(
        `${folder.name}/plan.json: project: ${plan.project.slice(0, 80)} is neither of this repository's Pulumi projects (${[...projects].join(', ')})`,
      );
    }
    const pull = await octokit.rest.pulls.get({ ...ctx.repo, pull_number: number });
    if (pull.data.head.sha !== run.head_sha) {
      throw new Error(
        `pull request #${number} is at ${pull.data.head.sha}, not at ${run.head_sha} which run ${run.id ?? '?'} built; not commenting`,
      );
    }
    const id = await upsertStickyComment(
      octokit,
      ctx.repo,
      number,
      offlineMarker(plan.project, plan.stack),
      renderOfflinePlan(plan, plan),
    );
    core.setOutput('comment-id', String(id));
    core.info(`Posted the offline plan of ${plan.project}/${plan.stack} on pull request #${number}`);
  }
}

/** A file's text, refused when larger than `limit` bytes (it was written by the pull request's code). */
function readBounded(file: string, limit: number): string {
  const name = file.split('/').slice(-2).join('/');
  if (!existsSync(file)) throw new Error(`${name}: missing`);
  if (statSync(file).size > limit) throw new Error(`${name}: larger than ${limit} bytes`);
  return readFileSync(file, 'utf8');
}
