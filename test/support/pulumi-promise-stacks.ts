/** What the SDK's internal debuggable module exports that this file wraps (its .d.ts leaves it out). */
interface Debuggable {
  debuggablePromise: <T>(promise: Promise<T>, ctx: unknown) => Promise<T>;
}

/**
 * The Pulumi SDK records a stack trace on each of its internal promises (`debuggablePromise`, read only when
 * PULUMI_DEBUG_PROMISE_LEAKS reports a leak), several per resource. Under Jest each trace's frames (up to 100)
 * went through Jest's source-map formatter, a third of a render's CPU. Those traces are formatted as Node
 * formats them without source maps; every other stack keeps Jest's mapping to the TypeScript sources.
 */
jest.mock('@pulumi/pulumi/runtime/debuggable', () => {
  const debuggable = jest.requireActual<Debuggable>('@pulumi/pulumi/runtime/debuggable');
  const track = debuggable.debuggablePromise;
  const plain = (error: Error, frames: NodeJS.CallSite[]) =>
    `${String(error)}${frames.map((frame) => `\n    at ${String(frame)}`).join('')}`;
  debuggable.debuggablePromise = <T>(promise: Promise<T>, ctx: unknown): Promise<T> => {
    const formatter = Error.prepareStackTrace;
    Error.prepareStackTrace = plain;
    try {
      return track(promise, ctx);
    } finally {
      Error.prepareStackTrace = formatter;
    }
  };
  return debuggable;
});
