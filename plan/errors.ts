/** A problem with what the user asked for: main prints its message alone, no stack trace. */
export class PlanError extends Error {}

/** Arguments the command cannot run with: main also prints the usage. */
export class UsageError extends PlanError {}
