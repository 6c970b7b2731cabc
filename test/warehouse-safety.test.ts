// The warehouse file under faults (issue 8, items 1, 2 and 15): rows a crash left without their
// `runs` row (above the largest run id, or of a run marked pending) are removed on open (with a
// warning) and their run id is never given again; a
// DuckDB file that is not ours is refused and left untouched by every command, `runs` never
// creates a warehouse, and a second process waits for the lock instead of failing at once.
import { DuckDBInstance } from '@duckdb/node-api';
import { spawn, type ChildProcess } from 'node:child_process';
import { once } from 'node:events';
import { existsSync } from 'node:fs';
import { cp } from 'node:fs/promises';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { Warehouse, ingestRuns } from '../pipeline/warehouse/index.js';
import { discoverRuns } from '../pipeline/discover/index.js';
import { CliError, silentLogger } from '../pipeline/core/index.js';
import { runCli } from './helpers/cli.js';
import { scratchDir } from './helpers/scratch.js';

const TINY = join(import.meta.dirname, 'fixtures', 'tiny', 'new', 'run-tiny');
// Rows the tiny run writes (db.test.ts): 210 events (16 in ev_resources, 125 in ev_slot, 69 in
// ev_block), 53 msg_counts rows (file × message × hour), 3 files, 1 malformed sample.
const TINY_EVENTS = 210;
const TINY_ROWS = TINY_EVENTS + 53 + 3 + 1;
const tmp = scratchDir('bench-report-safety-');

const count = async (db: Warehouse, sql: string): Promise<number> => (await db.all<{ n: number }>(sql))[0]?.n ?? -1;

const cli = runCli;

/** Raw DuckDB, as another program would use the file. */
async function raw<T>(path: string, fn: (sql: (q: string) => Promise<unknown[][]>) => Promise<T>): Promise<T> {
  const inst = await DuckDBInstance.create(path);
  const conn = await inst.connect();
  try {
    return await fn(async (q) => (await conn.runAndReadAll(q)).getRows());
  } finally {
    conn.closeSync();
    inst.closeSync();
  }
}

describe('crash leftovers', () => {
  it('removes rows without a runs row on open, with a warning, so the next ingest does not double them', async () => {
    const path = join(tmp.dir, 'crashed.duckdb');
    let db = await Warehouse.open(path);
    await ingestRuns(db, await discoverRuns([TINY]), silentLogger);
    // What a kill -9 during commit left (DuckDB 1.5.6): the run's events and files, no runs row.
    await db.exec('DELETE FROM runs');
    db.close();
    const told: string[] = [];
    db = await Warehouse.open(path, { onWarn: (m) => told.push(m) });
    try {
      expect(told).toEqual([
        `${path}: removed ${TINY_ROWS} row(s) of 1 unfinished ingest(s) (run id 1) left by an interrupted bench-report; those runs will be ingested again.`,
      ]);
      const [res] = await ingestRuns(db, await discoverRuns([TINY]), silentLogger);
      expect(res?.status).toBe('loaded');
      expect(await count(db, 'SELECT count(*) AS n FROM events')).toBe(TINY_EVENTS);
      expect(await count(db, 'SELECT sum(parsed) AS n FROM files')).toBe(211);
    } finally {
      db.close();
    }
  });

  it('clears a run whose ingest was marked pending and never finished, leaving the others', async () => {
    const path = join(tmp.dir, 'pending.duckdb');
    const a = join(tmp.dir, 'run-a');
    const b = join(tmp.dir, 'run-b');
    await cp(TINY, a, { recursive: true });
    await cp(TINY, b, { recursive: true });
    let db = await Warehouse.open(path);
    const [ra, rb] = await ingestRuns(db, await discoverRuns([a, b]), silentLogger);
    expect([ra?.runId, rb?.runId]).toEqual([1, 2]);
    // A reload of run 1 killed mid-commit: marked pending, its runs row gone, other rows left.
    await db.exec('INSERT INTO ingest_pending VALUES (1)');
    await db.exec('DELETE FROM runs WHERE run_id = 1');
    db.close();
    const told: string[] = [];
    db = await Warehouse.open(path, { onWarn: (m) => told.push(m) });
    try {
      expect(told).toEqual([
        `${path}: removed ${TINY_ROWS} row(s) of 1 unfinished ingest(s) (run id 1) left by an interrupted bench-report; those runs will be ingested again.`,
      ]);
      expect(await db.all('SELECT run_id, count(*) AS n FROM events GROUP BY run_id')).toEqual([{ run_id: 2, n: TINY_EVENTS }]);
      expect(await count(db, 'SELECT count(*) AS n FROM ingest_pending')).toBe(0);
    } finally {
      db.close();
    }
  });

  it('leaves no pending mark after an ingest that failed and rolled back', async () => {
    const db = await Warehouse.open(':memory:');
    try {
      const [run] = await discoverRuns([TINY]);
      if (!run) throw new Error('no run');
      run.genesis = { ...run.genesis, systemStart: 'not a time' };
      await expect(ingestRuns(db, [run], silentLogger)).rejects.toBeInstanceOf(CliError);
      expect(await count(db, 'SELECT count(*) AS n FROM ingest_pending')).toBe(0);
      expect(await count(db, 'SELECT count(*) AS n FROM events')).toBe(0);
    } finally {
      db.close();
    }
  });

  it('never gives a run an id that has rows in any table', async () => {
    const db = await Warehouse.open(':memory:');
    try {
      // Leftovers that appear after open (as from a batch of another process) under id 7.
      await db.exec("INSERT INTO malformed_samples VALUES (7, 0, '{')");
      const [res] = await ingestRuns(db, await discoverRuns([TINY]), silentLogger);
      expect(res?.runId).toBe(8);
      expect(await count(db, 'SELECT count(*) AS n FROM events WHERE run_id = 8')).toBe(TINY_EVENTS);
    } finally {
      db.close();
    }
  });

  it('clears the old id of a run loaded again in every table with a run_id, not just the ones it names', async () => {
    const run = join(tmp.dir, 'reload');
    await cp(TINY, run, { recursive: true });
    const db = await Warehouse.open(':memory:');
    try {
      const [first] = await ingestRuns(db, await discoverRuns([run]), silentLogger);
      // A per-run table ingest does not name (as a later layout adds), holding a row of the run.
      await db.exec('CREATE TABLE extra (run_id INTEGER, x INTEGER)');
      await db.exec('INSERT INTO extra VALUES ($id, 9)', { id: first?.runId ?? -1 });
      await db.exec("UPDATE runs SET fingerprint = 'changed'");
      const [again] = await ingestRuns(db, await discoverRuns([run]), silentLogger);
      // A new id (the old rows stay until the new ones commit), the old one gone everywhere.
      expect([first?.runId, again?.runId]).toEqual([1, 2]);
      expect(await count(db, 'SELECT count(*) AS n FROM extra')).toBe(0);
      expect(await db.all('SELECT run_id, count(*) AS n FROM events GROUP BY run_id')).toEqual([{ run_id: 2, n: TINY_EVENTS }]);
      expect(await count(db, 'SELECT count(*) AS n FROM events')).toBe(TINY_EVENTS);
    } finally {
      db.close();
    }
  });
});

describe("someone else's DuckDB file", () => {
  it('is refused (exit 2) and left untouched by every command, the read-only runs too', async () => {
    const path = join(tmp.dir, 'theirs.duckdb');
    await raw(path, async (sql) => {
      await sql('CREATE TABLE runs (id INTEGER, note VARCHAR)');
      await sql("INSERT INTO runs VALUES (1, 'their data')");
      await sql('CREATE TABLE events (x INTEGER)');
      await sql('INSERT INTO events VALUES (42)');
    });
    const want = `${path}: this DuckDB file is not a bench-report warehouse (it holds events, runs and no warehouse table); it was left untouched — name another --db file.`;
    const samples = join(import.meta.dirname, '..', 'samples');
    const report = ['report', '-b', join(samples, 'legacy', 'sim-legacy-s1001'), '-c', join(samples, 'new', 'sim-new-s2001'), '--db', path, '--out', join(tmp.dir, 'r')];
    for (const args of [['runs', '--db', path], ['ingest', TINY, '--db', path], report]) {
      const r = await cli(...args);
      expect(r.code, args[0]).toBe(2);
      expect(r.err.split('\n').filter((l) => l.startsWith('bench-report:')), args[0]).toEqual([`bench-report: ${want}`]);
    }
    const err = await Warehouse.open(path).then(() => null, (e: unknown) => e);
    expect((err as CliError).message).toBe(want);
    const rows = await raw(path, async (sql) => [await sql('SELECT * FROM runs'), await sql('SELECT * FROM events'), await sql('SHOW TABLES')]);
    expect(rows).toEqual([[[1, 'their data']], [[42]], [['events'], ['runs']]]);
  });

  it('runs --db on a missing file says there is no warehouse and creates none', async () => {
    const path = join(tmp.dir, 'missing.duckdb');
    const r = await cli('runs', '--db', path);
    expect(r.code).toBe(2);
    expect(r.err).toBe(`bench-report: ${path}: there is no warehouse here; run \`bench-report ingest --db ${path} <runs>\` first, or name another --db file.\n`);
    expect(existsSync(path)).toBe(false);
  });
});

describe('two processes on one warehouse', () => {
  /** Another process holding the file's lock for `ms`; resolves once it holds it. */
  async function holdLock(path: string, ms: number): Promise<{ child: ChildProcess; exited: Promise<unknown> }> {
    const script = `import { DuckDBInstance } from '@duckdb/node-api';
      const i = await DuckDBInstance.create(${JSON.stringify(path)}); const c = await i.connect();
      process.stdout.write('held\\n'); setTimeout(() => { c.closeSync(); i.closeSync(); }, ${ms});`;
    const child = spawn(process.execPath, ['--input-type=module', '-e', script], { cwd: join(import.meta.dirname, '..'), stdio: ['ignore', 'pipe', 'inherit'] });
    const exited = once(child, 'exit');
    await once(child.stdout, 'data');
    return { child, exited };
  }

  it('the second waits for the lock, saying so, then opens', async () => {
    const path = join(tmp.dir, 'shared.duckdb');
    (await Warehouse.open(path)).close();
    const { child, exited } = await holdLock(path, 1500);
    const told: string[] = [];
    const t0 = performance.now();
    const db = await Warehouse.open(path, { onWarn: (m) => told.push(m), lockWaitMs: 30_000 });
    const waited = performance.now() - t0;
    db.close();
    await exited;
    expect(waited).toBeGreaterThan(500);
    expect(told).toHaveLength(1);
    expect(told[0]).toMatch(new RegExp(`^waiting for ${path.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')}: held by another bench-report \\(PID ${child.pid}\\); waiting up to 30 s\\.$`));
  });

  it('gives up after the bound with one sentence (exit 2)', async () => {
    const path = join(tmp.dir, 'busy.duckdb');
    const { child, exited } = await holdLock(path, 20_000);
    try {
      const err = await Warehouse.open(path, { lockWaitMs: 600 }).then(() => null, (e: unknown) => e);
      expect(err).toBeInstanceOf(CliError);
      expect((err as CliError).exitCode).toBe(2);
      expect((err as CliError).message).toBe(
        `${path}: the warehouse is still in use by another process (PID ${child.pid}) after 1 s; let it finish (or raise BENCH_REPORT_LOCK_WAIT), or name another --db file.`,
      );
    } finally {
      if (child.pid) process.kill(child.pid, 'SIGKILL');
      await exited;
    }
  });
});
