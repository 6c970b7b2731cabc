// Progress goes to stderr through this small interface, so stages stay testable and quiet in
// tests: one line per stage or job ("ingest run-1 (1/5) → [loaded] in 1.20 s"), and on a
// terminal a live bar for the job in flight, redrawn in place and cleared by the next line.
export interface Logger {
  info(line: string): void;
  warn(line: string): void;
  /** The job now running, as step `done + 1` of `total`; a no-op unless on a terminal. */
  progress?(done: number, total: number, label: string): void;
}

const BAR = 24;

function makeStderrLogger(tty: boolean): Logger {
  let live = false;
  const clear = (): void => {
    if (live) process.stderr.write('\r\x1b[K');
    live = false;
  };
  return {
    info: (line) => {
      clear();
      process.stderr.write(`${line}\n`);
    },
    warn: (line) => {
      clear();
      process.stderr.write(`warning: ${line}\n`);
    },
    progress: (done, total, label) => {
      if (!tty || total <= 0) return;
      const filled = Math.round((BAR * done) / total);
      process.stderr.write(`\r\x1b[K[${'#'.repeat(filled)}${' '.repeat(BAR - filled)}] ${done}/${total} ${label}`);
      live = true;
    },
  };
}

export const stderrLogger: Logger = makeStderrLogger(Boolean(process.stderr.isTTY));

export const silentLogger: Logger = { info: () => undefined, warn: () => undefined };

export function seconds(startMs: number): string {
  return `${((performance.now() - startMs) / 1000).toFixed(2)} s`;
}
