export const sleep = (ms: number) => new Promise<void>((resolve) => setTimeout(resolve, ms));

export interface RetryOptions {
  /** How many times to retry after the first failure. */
  retries: number;
  /** First wait in milliseconds; doubles each time. */
  delayMs: number;
  /** Whether a failure is worth retrying. */
  retryable: (error: unknown) => boolean;
  onRetry?: (error: unknown, attempt: number, waitMs: number) => void;
  wait?: (ms: number) => Promise<void>;
}

/** Runs `attempt` until it succeeds, a failure is not retryable, or the retries are spent (exponential backoff). */
export async function withRetry<T>(attempt: () => Promise<T>, options: RetryOptions): Promise<T> {
  const wait = options.wait ?? sleep;
  for (let failures = 0; ; failures++) {
    try {
      return await attempt();
    } catch (error) {
      if (failures >= options.retries || !options.retryable(error)) throw error;
      const waitMs = options.delayMs * 2 ** failures;
      options.onRetry?.(error, failures + 1, waitMs);
      await wait(waitMs);
    }
  }
}
