/** What the SDK's internal debuggable module exports that this file wraps (its .d.ts leaves it out). */
interface Debuggable {
  debuggablePromise: <T>(promise: Promise<T>, ctx: unknown) => Promise<T>;
}

/**
 * The Pulumi SDK records a stack trace on each of its internal promises (`debuggablePromise`, read only when
 * PULUMI_DEBUG_PROMISE_LEAKS reports a leak), several per resource. Under Jest each trace's frames (up to 100)
 * went through Jest's source-map formatter, a third of a render's CPU. Those traces are taken as Node takes
 * them outside Jest (10 frames, no source maps); every other stack keeps Jest's depth and mapping.
 */
jest.mock('@pulumi/pulumi/runtime/debuggable', () => {
  const debuggable = jest.requireActual<Debuggable>('@pulumi/pulumi/runtime/debuggable');
  const track = debuggable.debuggablePromise;
  // Node's default depth, which Jest raises to 100 for its own reports.
  const nodeStackTraceLimit = 10;
  const plain = (error: Error, frames: NodeJS.CallSite[]) =>
    `${String(error)}${frames.map((frame) => `\n    at ${String(frame)}`).join('')}`;
  debuggable.debuggablePromise = <T>(promise: Promise<T>, ctx: unknown): Promise<T> => {
    const [formatter, limit] = [Error.prepareStackTrace, Error.stackTraceLimit];
    Error.prepareStackTrace = plain;
    Error.stackTraceLimit = nodeStackTraceLimit;
    try {
      return track(promise, ctx);
    } finally {
      [Error.prepareStackTrace, Error.stackTraceLimit] = [formatter, limit];
    }
  };
  return debuggable;
});
