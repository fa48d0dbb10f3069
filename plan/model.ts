/** One resource of a rendered stack, as the plan shows and stores it: inputs already redacted. */
export interface PlanResource {
  type: string;
  name: string;
  /** `type::name` of the parent resource; absent for children of the stack. */
  parent?: string;
  /** True for resources a provider manages, false for components that only group them. */
  custom: boolean;
  inputs: Record<string, unknown>;
  /**
   * The values the provider assigns (ID, ARN, endpoint) that no input states: unknown again when the
   * resource is replaced, so `--base` marks every input that holds one as changing too. Absent when none.
   */
  assigned?: string[];
  /**
   * Resources (`type::name`) whose assigned values a secret input holds (a credential secret holding the
   * database's address), by the input's path: the plan shows the secret as `[secret]`, so `--base` cannot
   * find them in it. Absent when none.
   */
  secretReads?: Record<string, string[]>;
}

/** A whole stack rendered offline. This is what `--format json` prints, and what `--base` reads back. */
export interface StackPlan {
  /** Bumped when the shape changes, so a newer plan can refuse an older revision's output it can't read. */
  formatVersion: typeof planFormatVersion;
  project: string;
  stack: string;
  resources: PlanResource[];
  outputs: Record<string, unknown>;
}

export const planFormatVersion = 1;

export type ChangeKind = 'create' | 'update' | 'replace' | 'delete';

/** One changed property: a path into the inputs, with values already redacted. */
export interface PropertyChange {
  path: string;
  old?: unknown;
  new?: unknown;
  /** True when this property cannot change in place on that type, so the resource is replaced. */
  forcesReplacement: boolean;
  /**
   * When the value changes only because a resource it reads is replaced (`type::name` of that one): the
   * new value is unknown until the engine has replaced it, as `pulumi preview` shows it.
   */
  after?: string;
}

export interface ResourceChange {
  kind: ChangeKind;
  type: string;
  name: string;
  /** For update and replace: the changed properties. Empty for create and delete. */
  properties: PropertyChange[];
}

/** A stack output that changes: what the apps stack (or anyone reading the outputs) sees differently. */
export interface OutputChange {
  path: string;
  old?: unknown;
  new?: unknown;
  /** As for a property: set when it changes only because that resource (`type::name`) is replaced. */
  after?: string;
}

/** What changes between the stack at a base revision and the stack as it is now. */
export interface PlanDiff {
  project: string;
  stack: string;
  base: string;
  /** Said above the changes when the comparison is not the usual one: the stack is new at the base. */
  note?: string;
  changes: ResourceChange[];
  counts: Record<ChangeKind, number>;
  /** The stack outputs that change; absent when none do. */
  outputs?: OutputChange[];
}

/** The identity of a resource across revisions: Pulumi's URN is built from the same two parts. */
export const resourceKey = (resource: { type: string; name: string }) => `${resource.type}::${resource.name}`;
