import type { PlanResource } from './model';
import { resourceKey } from './model';

/** A component and what it owns: counts of its own resources by type, and its child components. */
export interface ComponentNode {
  type: string;
  name: string;
  counts: Map<string, number>;
  children: ComponentNode[];
}

export interface StackSummary {
  resources: number;
  components: number;
  /** Managed resources by provider package: aws, kubernetes, eks… */
  byProvider: Record<string, number>;
}

/** Groups the resources under the components that registered them; the root stands for the stack. */
export function componentTree(resources: PlanResource[]): ComponentNode {
  const root: ComponentNode = { type: 'pulumi:pulumi:Stack', name: '', counts: new Map(), children: [] };
  const nodes = new Map<string, ComponentNode>();
  for (const resource of resources) {
    if (!resource.custom) {
      nodes.set(resourceKey(resource), {
        type: resource.type,
        name: resource.name,
        counts: new Map(),
        children: [],
      });
    }
  }
  const nodeOf = (parent: string | undefined) => (parent && nodes.get(parent)) || root;
  for (const resource of resources) {
    const owner = nodeOf(resource.parent);
    if (resource.custom) owner.counts.set(resource.type, (owner.counts.get(resource.type) ?? 0) + 1);
    else owner.children.push(nodes.get(resourceKey(resource)) as ComponentNode);
  }
  return root;
}

export function summarize(resources: PlanResource[]): StackSummary {
  const byProvider: Record<string, number> = {};
  for (const resource of resources.filter((r) => r.custom)) {
    const [pkg = resource.type] = resource.type.split(':');
    const provider = resource.type.startsWith('pulumi:providers:') ? 'provider' : pkg;
    byProvider[provider] = (byProvider[provider] ?? 0) + 1;
  }
  return {
    resources: resources.length,
    components: resources.filter((r) => !r.custom).length,
    byProvider,
  };
}

export function summaryLine(summary: StackSummary): string {
  const providers = Object.entries(summary.byProvider)
    .sort(([, a], [, b]) => b - a)
    .map(([provider, count]) => `${count} ${provider}`);
  return `${summary.resources} resources: ${[`${summary.components} components`, ...providers].join(', ')}`;
}
