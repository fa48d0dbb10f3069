import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { eventLog } from './run-action';

/**
 * A recorded event log followed by engine diagnostics, as the engine writes them when an operation fails
 * part-way (the recorded logs in test/fixtures all succeed).
 */
export function logWithDiagnostics(dir: string, fixture: string, messages: string[]): string {
  const lines = readFileSync(eventLog(fixture), 'utf8').trimEnd().split('\n');
  let sequence = 1000;
  for (const message of messages) {
    lines.push(
      JSON.stringify({
        sequence: sequence++,
        timestamp: 1648796930,
        diagnosticEvent: {
          prefix: 'error: ',
          message: `<{%reset%}>${message}<{%reset%}>\n`,
          color: 'raw',
          severity: 'error',
        },
      }),
    );
  }
  const file = join(dir, `${fixture}-with-diagnostics.json`);
  writeFileSync(file, lines.join('\n') + '\n');
  return file;
}
