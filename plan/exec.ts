import { execFile } from 'node:child_process';

export interface ExecResult {
  stdout: string;
  stderr: string;
}

/** Raised when an external command exits non-zero; carries its stderr, which is what explains why. */
export class CommandFailed extends Error {
  constructor(
    readonly command: string,
    readonly exitCode: number | null,
    readonly stderr: string,
  ) {
    super(`${command} failed (exit ${exitCode ?? 'signal'})${stderr.trim() ? `: ${stderr.trim()}` : ''}`);
  }
}

/** Runs a program with an argument array, never through a shell: refs and paths are passed verbatim. */
export function exec(file: string, args: string[], cwd: string): Promise<ExecResult> {
  return new Promise((resolve, reject) => {
    execFile(
      file,
      args,
      { cwd, maxBuffer: 1024 * 1024 * 1024, encoding: 'utf8' },
      (error, stdout, stderr) => {
        if (error) {
          const code = typeof error.code === 'number' ? error.code : null;
          reject(new CommandFailed([file, ...args.slice(0, 2)].join(' '), code, stderr || error.message));
        } else resolve({ stdout, stderr });
      },
    );
  });
}
