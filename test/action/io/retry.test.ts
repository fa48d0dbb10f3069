import { withRetry } from '../../../action/src/io/retry';

test('retries a retryable failure with doubling waits, then succeeds', async () => {
  const waits: number[] = [];
  let attempts = 0;
  const result = await withRetry(
    async () => {
      attempts++;
      if (attempts < 3) throw new Error('TLS handshake timeout');
      return 'pushed';
    },
    { retries: 5, delayMs: 100, retryable: () => true, wait: async (ms) => void waits.push(ms) },
  );
  expect(result).toBe('pushed');
  expect(waits).toEqual([100, 200]);
});

test('gives up after the retries are spent, or at once on a failure that is not retryable', async () => {
  let attempts = 0;
  const failing = async () => {
    attempts++;
    throw new Error(`failure ${attempts}`);
  };
  await expect(
    withRetry(failing, { retries: 2, delayMs: 1, retryable: () => true, wait: async () => undefined }),
  ).rejects.toThrow('failure 3');
  attempts = 0;
  await expect(
    withRetry(failing, { retries: 2, delayMs: 1, retryable: () => false, wait: async () => undefined }),
  ).rejects.toThrow('failure 1');
});
