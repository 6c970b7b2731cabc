// Opening the warehouse file, before DuckDB or the schema see it (db.ts's steps 1 and the file
// checks around them): what is not a DuckDB file is refused untouched, the lock is waited for
// (bounded), and a killed compaction's partial copy is removed under the lock.
import { DuckDBInstance } from '@duckdb/node-api';
import { open as openFile, readdir, realpath, rm, stat } from 'node:fs/promises';
import { basename, dirname, join } from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import { CliError, diskProblem } from '../core/index.js';

/** How long a second process waits for the warehouse lock, unless BENCH_REPORT_LOCK_WAIT says. */
const DEFAULT_LOCK_WAIT_S = 60;
const LOCK_RETRY_MS = 250;

/**
 * Deletes the partial copies a killed compaction left beside the warehouse
 * (`.<name>.<pid>.<time>.tmp` and its `.wal`). Called with the lock held: only the holder
 * compacts, so no other process can be writing one.
 */
export async function removeStaleCopies(link: string, warn: (message: string) => void): Promise<void> {
  const path = await realpath(link).catch(() => link);
  const name = basename(path);
  const escaped = name.replace(/[.*+?^$()|[\]{}\\]/g, '\\$&');
  const stale = new RegExp(`^\\.${escaped}\\.\\d+\\.\\d+\\.tmp(\\.wal)?$`);
  const found = (await readdir(dirname(path)).catch(() => [] as string[])).filter((f) => stale.test(f));
  for (const f of found) await rm(join(dirname(path), f), { force: true });
  if (found.some((f) => !f.endsWith('.wal'))) warn(`${path}: removed the partial copy left by an interrupted compaction (${found.filter((f) => !f.endsWith('.wal')).join(', ')}).`);
}

/**
 * Refuses, before DuckDB sees it, a --db that is not a regular file (a FIFO would hang the
 * open) or is an SQLite database (DuckDB would reach for its SQLite extension).
 */
export async function refuseNotDuckDb(path: string): Promise<void> {
  const s = await stat(path).catch(() => null);
  if (!s) return;
  if (!s.isFile()) throw new CliError(`${path}: is not a regular file (a folder, FIFO or device), not a bench-report warehouse; name another --db file.`);
  const head = Buffer.alloc(16);
  const fh = await openFile(path, 'r').catch(() => null);
  if (!fh) return; // DuckDB says why it cannot open it
  try {
    await fh.read(head, 0, 16, 0);
  } finally {
    await fh.close();
  }
  if (head.toString('latin1') === 'SQLite format 3\0') {
    throw new CliError(`${path}: this is an SQLite database, not a bench-report warehouse; it was left untouched — name another --db file.`);
  }
}

export function lockWaitFromEnv(): number {
  const raw = process.env.BENCH_REPORT_LOCK_WAIT;
  const s = raw === undefined || raw.trim() === '' ? DEFAULT_LOCK_WAIT_S : Number(raw);
  if (!Number.isFinite(s) || s < 0) {
    throw new CliError(`BENCH_REPORT_LOCK_WAIT must be a number of seconds ≥ 0, got "${raw}".`);
  }
  return s * 1000;
}

/** Opens the DuckDB file, waiting (bounded) while another process holds its lock. */
export async function createWaiting(path: string, options: Record<string, string>, waitMs: number, warn: (m: string) => void): Promise<DuckDBInstance> {
  const deadline = performance.now() + waitMs;
  let told = false;
  for (;;) {
    try {
      return await DuckDBInstance.create(path, options);
    } catch (err) {
      const msg = (err as Error).message;
      if (!msg.includes('Could not set lock on file')) {
        const disk = diskProblem(err);
        if (disk !== null) throw new CliError(disk, 1);
        throw new CliError(`${path}: cannot open the DuckDB warehouse (${msg.split('\n')[0]}).`);
      }
      const pid = /\(PID (\d+)\)/.exec(msg)?.[1];
      const holder = pid ? ` (PID ${pid})` : '';
      if (performance.now() >= deadline) {
        throw new CliError(
          `${path}: the warehouse is still in use by another process${holder} after ${Math.round(waitMs / 1000)} s; let it finish (or raise BENCH_REPORT_LOCK_WAIT), or name another --db file.`,
        );
      }
      if (!told) {
        warn(`waiting for ${path}: held by another bench-report${holder}; waiting up to ${Math.round(waitMs / 1000)} s.`);
        told = true;
      }
      await sleep(LOCK_RETRY_MS);
    }
  }
}
