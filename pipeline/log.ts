// Progress goes to stderr, one line per stage or job ("ingest node-run-1 → [fresh] 1.2 s"),
// through this small interface so stages stay testable and quiet in tests.
export interface Logger {
  info(line: string): void;
  warn(line: string): void;
}

export const stderrLogger: Logger = {
  info: (line) => process.stderr.write(`${line}\n`),
  warn: (line) => process.stderr.write(`warning: ${line}\n`),
};

export const silentLogger: Logger = { info: () => undefined, warn: () => undefined };

export function seconds(startMs: number): string {
  return `${((performance.now() - startMs) / 1000).toFixed(2)} s`;
}
