import type { Format } from '../args';
import type { PlanDiff, StackPlan } from '../model';
import { diffJson, stackJson } from './json';
import { diffMarkdown, stackMarkdown } from './markdown';
import { diffText, stackText } from './text';

export const renderStackAs: Record<Format, (plan: StackPlan) => string> = {
  text: stackText,
  json: stackJson,
  markdown: stackMarkdown,
};

export const renderDiffAs: Record<Format, (diff: PlanDiff) => string> = {
  text: diffText,
  json: diffJson,
  markdown: diffMarkdown,
};
