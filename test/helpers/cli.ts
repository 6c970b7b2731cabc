// Runs the CLI in this process, as a user would from a shell, capturing what it writes.
import { vi } from 'vitest';
import { main } from '../../pipeline/cli.js';

export interface CliRun {
  code: number;
  out: string;
  err: string;
}

/** `bench-report ARGS…`: the exit code and everything written to stdout and stderr. */
export async function runCli(...args: string[]): Promise<CliRun> {
  let out = '';
  let err = '';
  const so = vi.spyOn(process.stdout, 'write').mockImplementation((s: string | Uint8Array) => ((out += String(s)), true));
  const se = vi.spyOn(process.stderr, 'write').mockImplementation((s: string | Uint8Array) => ((err += String(s)), true));
  try {
    return { code: await main(['node', 'bench-report', ...args]), out, err };
  } finally {
    so.mockRestore();
    se.mockRestore();
  }
}
