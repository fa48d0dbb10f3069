import { execFile } from 'node:child_process';
import { join } from 'node:path';

const repoRoot = join(__dirname, '..');

export interface PlanRun {
  code: number;
  stdout: string;
  stderr: string;
  /** Process start to exit, as the user waits for it. */
  seconds: number;
  /** What the plan reports on its last progress line: CPU time of the rendering process, peak memory. */
  cpuSeconds?: number;
  peakMb?: number;
}

/** Runs the plan command as `npm run plan` does (tsx plan/main.ts), timing it from start to exit. */
export function runPlanCommand(args: string[], cwd = repoRoot): Promise<PlanRun> {
  const tsx = join(repoRoot, 'node_modules', '.bin', 'tsx');
  const started = process.hrtime.bigint();
  return new Promise((resolve) => {
    execFile(
      tsx,
      [join(cwd, 'plan', 'main.ts'), ...args],
      { cwd, maxBuffer: 1 << 30 },
      (error, stdout, stderr) => {
        const seconds = Number(process.hrtime.bigint() - started) / 1e9;
        const peak = /peak memory (\d+) MB/.exec(stderr);
        const cpu = /\(CPU ([\d.]+) s\)/.exec(stderr);
        resolve({
          // A child killed by a signal has no exit code: never read that as a success.
          code: error ? (typeof error.code === 'number' ? error.code : -1) : 0,
          stdout,
          stderr,
          seconds,
          cpuSeconds: cpu ? Number(cpu[1]) : undefined,
          peakMb: peak ? Number(peak[1]) : undefined,
        });
      },
    );
  });
}

export function median(values: number[]): number {
  const sorted = [...values].sort((a, b) => a - b);
  const middle = Math.floor(sorted.length / 2);
  return sorted.length % 2
    ? (sorted[middle] as number)
    : ((sorted[middle - 1] as number) + (sorted[middle] as number)) / 2;
}
