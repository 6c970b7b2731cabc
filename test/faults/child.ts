// The built CLI in a child process (`npm run build` first; `npm run test:faults` does), for
// faults a test cannot inject in its own process: kill -9 at a fault point, signals, a full or
// read-only file system.
import { spawn } from 'node:child_process';
import { existsSync } from 'node:fs';
import { join } from 'node:path';

export const ROOT = join(import.meta.dirname, '..', '..');
const BIN = join(ROOT, 'bin', 'bench-report.js');

export interface ChildRun {
  code: number | null;
  signal: NodeJS.Signals | null;
  out: string;
  err: string;
}

/** `bench-report ARGS…` in a child; `env` is added to this process's environment. */
export function runChild(args: string[], env: Record<string, string> = {}, opts: { uid?: number; gid?: number; cwd?: string } = {}): Promise<ChildRun> {
  if (!existsSync(join(ROOT, 'dist', 'pipeline', 'cli.js'))) throw new Error('run `npm run build` first (npm run test:faults does)');
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, [BIN, ...args], { env: { ...process.env, ...env }, stdio: ['ignore', 'pipe', 'pipe'], ...opts });
    let out = '';
    let err = '';
    child.stdout.on('data', (d: Buffer) => (out += d.toString()));
    child.stderr.on('data', (d: Buffer) => (err += d.toString()));
    child.on('error', reject);
    child.on('close', (code, signal) => resolve({ code, signal, out, err }));
  });
}
