/** Whether an engine failure means another update holds the stack (Pulumi Cloud 409 or a DIY backend lock). */
export function isStackLocked(message: string): boolean {
  return (
    message.includes('[409] Conflict') ||
    message.includes('update is currently in progress') ||
    message.includes('the stack is currently locked')
  );
}

/** Who holds the lock, when the backend says (`created by alice@ci-runner (pid 42) at …`). */
export function lockHolder(message: string): string | undefined {
  return /created by (.+?)(?: at |\n|$)/.exec(message)?.[1]?.trim();
}
