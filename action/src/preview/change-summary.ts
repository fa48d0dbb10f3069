import type { EngineEvent, OpType } from '@pulumi/pulumi/automation';

/** The operations the comment and the outputs speak of; replacement steps fold into `replace`. */
export type Operation = 'create' | 'update' | 'delete' | 'replace' | 'same' | 'read' | 'refresh' | 'import';

export interface ResourceChange {
  urn: string;
  type: string;
  name: string;
  op: Operation;
  /** Changed property paths (detailed diff when the engine gives one), sorted. */
  paths: string[];
  /**
   * The inputs the resource will have (absent for a delete): what approval pins, so an approved change is
   * the values a reviewer saw, not only which properties move. Unknown values (known only during up) appear
   * as the engine's unknown marker.
   */
  inputs?: Record<string, unknown>;
}

export interface ChangeSummary {
  counts: Partial<Record<Operation, number>>;
  /** Resources that change, in engine order; unchanged ones are never listed. */
  changes: ResourceChange[];
  hasChanges: boolean;
  /** Resources whose change the engine finished (resource outputs seen): non-zero means the stack moved. */
  applied: number;
  /** Error and warning diagnostics, colour codes removed, in order. */
  diagnostics: string[];
  /** What the policy pack reported (`--policy-pack`), in order. */
  policyViolations: PolicyViolation[];
}

/** One policy finding of the engine's policy event: mandatory ones fail the operation. */
export interface PolicyViolation {
  policy: string;
  pack: string;
  level: 'mandatory' | 'advisory';
  /** The resource's name (last URN part) and type, when the finding is about one resource. */
  resource?: string;
  message: string;
}

export const folded: Partial<Record<OpType, Operation>> = {
  create: 'create',
  update: 'update',
  delete: 'delete',
  same: 'same',
  read: 'read',
  refresh: 'refresh',
  import: 'import',
  replace: 'replace',
  'create-replacement': 'replace',
  'delete-replaced': 'replace',
  'import-replacement': 'replace',
  'read-replacement': 'replace',
  discard: 'delete',
  'discard-replaced': 'replace',
};

const unchanged = new Set<Operation>(['same', 'read', 'refresh']);

/** Builds the change summary from the engine's structured events (never from the CLI's text output). */
export function summarizeEvents(events: readonly EngineEvent[]): ChangeSummary {
  const byUrn = new Map<string, ResourceChange>();
  const appliedUrns = new Set<string>();
  const diagnostics: string[] = [];
  const policyViolations: PolicyViolation[] = [];
  for (const event of events) {
    const policy = event.policyEvent;
    if (policy) {
      policyViolations.push({
        policy: policy.policyName,
        pack: policy.policyPackName,
        level: policy.enforcementLevel === 'mandatory' ? 'mandatory' : 'advisory',
        resource: policy.resourceUrn
          ? `${typeOf(policy.resourceUrn)}::${nameOf(policy.resourceUrn)}`
          : undefined,
        message: stripColour(policy.message).trim(),
      });
    }
    const pre = event.resourcePreEvent?.metadata;
    if (pre) {
      const op = folded[pre.op];
      if (op === undefined) continue;
      const previous = byUrn.get(pre.urn);
      const paths =
        Object.keys(pre.detailedDiff ?? {}).length > 0
          ? Object.keys(pre.detailedDiff ?? {})
          : (pre.diffs ?? []);
      const inputs = op === 'delete' ? undefined : pre.new?.inputs;
      if (previous && previous.op === 'replace') {
        previous.paths = unique([...previous.paths, ...paths]);
        // The replacement's new inputs come with its create step; the delete step carries none.
        if (pre.op !== 'delete-replaced' && pre.op !== 'discard-replaced' && inputs) previous.inputs = inputs;
        continue;
      }
      byUrn.set(pre.urn, {
        urn: pre.urn,
        type: pre.type,
        name: nameOf(pre.urn),
        op,
        paths: unique(paths),
        ...(inputs ? { inputs } : {}),
      });
    }
    const done = event.resOutputsEvent?.metadata;
    if (done && !unchanged.has(folded[done.op] ?? 'same')) appliedUrns.add(done.urn);
    const diagnostic = event.diagnosticEvent;
    if (diagnostic && (diagnostic.severity === 'error' || diagnostic.severity === 'warning')) {
      const text = stripColour(diagnostic.message).trim();
      if (text) diagnostics.push(text);
    }
  }
  const counts: Partial<Record<Operation, number>> = {};
  for (const resource of byUrn.values()) counts[resource.op] = (counts[resource.op] ?? 0) + 1;
  const changes = [...byUrn.values()].filter((r) => !unchanged.has(r.op));
  return {
    counts,
    changes,
    hasChanges: changes.length > 0,
    applied: appliedUrns.size,
    diagnostics,
    policyViolations,
  };
}

/** The resource's type: the last `$`-part of the URN's type chain. */
function typeOf(urn: string): string {
  const parts = urn.split('::');
  return (parts[parts.length - 2] ?? '').split('$').pop() ?? '';
}

/** The resource's name: the last `::` part of its URN. */
export function nameOf(urn: string): string {
  const index = urn.lastIndexOf('::');
  return index === -1 ? urn : urn.slice(index + 2);
}

export function stripColour(text: string): string {
  // eslint-disable-next-line no-control-regex
  return text.replace(/<\{%[a-z]*%\}>/g, '').replace(/\u001b\[[0-9;]*m/g, '');
}

function unique(paths: readonly string[]): string[] {
  return [...new Set(paths)].sort();
}
