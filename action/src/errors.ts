/** The message of whatever was thrown: SDKs and child processes do not always throw Error objects. */
export function messageOf(error: unknown): string {
  return error instanceof Error ? error.message : String(error);
}
