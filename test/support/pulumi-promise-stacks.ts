/** What the SDK's internal debuggable module exports that this file wraps (its .d.ts leaves it out). */
interface Debuggable {
  debugPromiseLeaks: boolean;
  debuggablePromise: <T>(promise: Promise<T>, ctx: unknown) => Promise<T>;
}

/**
 * The Pulumi SDK records a stack trace on each of its internal promises (`debuggablePromise`), several per
 * resource, and prints them only when PULUMI_DEBUG_PROMISE_LEAKS is set and a promise leaks. Under Jest each
 * trace took up to 100 frames through Jest's source-map formatter: a third of a render's CPU, for text nothing
 * read. Without PULUMI_DEBUG_PROMISE_LEAKS the traces are taken empty; with it, as before.
 */
jest.mock('@pulumi/pulumi/runtime/debuggable', () => {
  const debuggable = jest.requireActual<Debuggable>('@pulumi/pulumi/runtime/debuggable');
  if (debuggable.debugPromiseLeaks) return debuggable;
  const track = debuggable.debuggablePromise;
  debuggable.debuggablePromise = <T>(promise: Promise<T>, ctx: unknown): Promise<T> => {
    const limit = Error.stackTraceLimit;
    Error.stackTraceLimit = 0;
    try {
      return track(promise, ctx);
    } finally {
      Error.stackTraceLimit = limit;
    }
  };
  return debuggable;
});
