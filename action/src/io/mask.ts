import * as core from '@actions/core';

/**
 * Masks a secret in the log: the whole value and each of its lines, so a log line that holds only part of a
 * multi-line secret (a key, a certificate) is masked too.
 */
export function maskSecret(value: string): void {
  for (const part of new Set([value, ...value.split(/\r?\n/)])) {
    if (part.trim() !== '') core.setSecret(part);
  }
}
