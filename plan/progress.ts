import type { WriteStream } from 'node:tty';

/**
 * Tells the user what the plan is doing, on stderr so stdout stays the plan itself. On a terminal the
 * current phase rewrites one line with a live count and colours; elsewhere (CI logs, a pipe) each phase
 * is one plain line.
 */
export class Progress {
  private readonly interactive: boolean;
  private readonly colour: boolean;
  private live = false;

  constructor(
    private readonly stream: Pick<WriteStream, 'write'> & { isTTY?: boolean },
    env: NodeJS.ProcessEnv = process.env,
  ) {
    this.interactive = stream.isTTY === true;
    this.colour = this.interactive && env.NO_COLOR === undefined && env.TERM !== 'dumb';
  }

  /** A new phase: "reading Pulumi.prod.yaml", "running the program". */
  phase(text: string): void {
    this.endLive();
    this.stream.write(`${this.dim('›')} ${text}\n`);
  }

  /** A running count within the phase; shown only on a terminal, where it costs no log lines. */
  count(text: string): void {
    if (!this.interactive) return;
    this.stream.write(`\r\x1b[2K  ${this.dim(text)}`);
    this.live = true;
  }

  /** The last line: how long, how much CPU (which a busy machine does not inflate) and peak memory. */
  done(text: string): void {
    this.endLive();
    const seconds = process.uptime().toFixed(1);
    const { user, system } = process.cpuUsage();
    const cpuSeconds = ((user + system) / 1e6).toFixed(1);
    const peakMb = Math.round(process.resourceUsage().maxRSS / 1024);
    this.stream.write(
      `${this.green('✓')} ${text} in ${seconds} s (CPU ${cpuSeconds} s), peak memory ${peakMb} MB\n`,
    );
  }

  /** Lines that are findings, not failures (advisory policy violations). */
  note(lines: string[]): void {
    this.endLive();
    for (const line of lines) this.stream.write(`${this.dim('note:')} ${line}\n`);
  }

  error(lines: string[]): void {
    this.endLive();
    for (const line of lines) this.stream.write(`${this.red('error:')} ${line}\n`);
  }

  private endLive(): void {
    if (this.live) this.stream.write('\r\x1b[2K');
    this.live = false;
  }

  private paint(code: number, text: string): string {
    return this.colour ? `\x1b[${code}m${text}\x1b[0m` : text;
  }
  private dim = (text: string) => this.paint(2, text);
  private green = (text: string) => this.paint(32, text);
  private red = (text: string) => this.paint(31, text);
}
