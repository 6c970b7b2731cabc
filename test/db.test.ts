// The warehouse file: re-ingesting an unchanged run is a no-op, a changed run is replaced
// whole, and a file written with another layout version is emptied rather than misread.
import { cp, appendFile } from 'node:fs/promises';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { DuckDBInstance } from '@duckdb/node-api';
import { SCHEMA_VERSION, Warehouse, ingestRuns } from '../pipeline/warehouse/index.js';
import { CliError, silentLogger } from '../pipeline/core/index.js';
import { discoverRuns } from '../pipeline/discover/index.js';
import { scratchDir } from './helpers/scratch.js';

const TINY = join(import.meta.dirname, 'fixtures', 'tiny', 'new', 'run-tiny');
const tmp = scratchDir('bench-report-db-');

const count = async (db: Warehouse, sql: string): Promise<number> => (await db.all<{ n: number }>(sql))[0]?.n ?? -1;

describe('warehouse', () => {
  it('skips an unchanged run and replaces a changed one whole', async () => {
    const run = join(tmp.dir, 'run');
    await cp(TINY, run, { recursive: true });
    const path = join(tmp.dir, 'w.duckdb');
    let db = await Warehouse.open(path);
    const [first] = await ingestRuns(db, await discoverRuns([run]), silentLogger);
    expect(first?.status).toBe('loaded');
    // 212 lines beginning with '{', one of them malformed (WORKED.md), and 4 other lines.
    expect(await count(db, 'SELECT sum(parsed) AS n FROM files')).toBe(211);
    expect(await count(db, 'SELECT sum(malformed) AS n FROM files')).toBe(1);
    // Every parsed line is counted once by message; the canonical ones are also stored as events.
    expect(await count(db, 'SELECT sum(n) AS n FROM msg_counts')).toBe(211);
    const events = await count(db, 'SELECT count(*) AS n FROM events');
    // 211 parsed lines but a ChainSync update that is no rising edge (node-1).
    expect(events).toBe(210);
    expect(await count(db, 'SELECT sum(n) AS n FROM msg_counts WHERE ev IS NOT NULL')).toBe(210);
    db.close();

    db = await Warehouse.open(path);
    const [again] = await ingestRuns(db, await discoverRuns([run]), silentLogger);
    expect(again?.status).toBe('fresh');
    // A new line in one log changes the fingerprint: the run is reloaded, not appended to.
    await appendFile(join(run, 'node-0', 'stdout'), 'Shutting down\n');
    const [changed] = await ingestRuns(db, await discoverRuns([run]), silentLogger);
    expect(changed?.status).toBe('loaded');
    // Reloaded, not appended to: the same rows (the new line is not JSON).
    expect(await count(db, 'SELECT count(*) AS n FROM events')).toBe(events);
    expect(await count(db, 'SELECT sum(n) AS n FROM msg_counts')).toBe(211);
    expect(await count(db, 'SELECT count(*) AS n FROM runs')).toBe(1);
    // Four 'Listening on' lines (node-2 restarts) and the appended one.
    expect(await count(db, 'SELECT sum(other_lines) AS n FROM files')).toBe(5);
    db.close();
  });

  it('rebuilds a warehouse of an older layout only after saying so, and refuses a newer one', async () => {
    const path = join(tmp.dir, 'old.duckdb');
    let db = await Warehouse.open(path);
    await ingestRuns(db, await discoverRuns([TINY]), silentLogger);
    await db.exec('UPDATE warehouse SET schema_version = $v', { v: SCHEMA_VERSION - 1 });
    db.close();
    const told: string[] = [];
    db = await Warehouse.open(path, { onWarn: (m) => told.push(m) });
    expect(await count(db, 'SELECT count(*) AS n FROM runs')).toBe(0);
    expect(told).toEqual([
      `${path}: warehouse layout ${SCHEMA_VERSION - 1} is older than this version's ${SCHEMA_VERSION}; rebuilding it, so its runs will be ingested again.`,
    ]);
    await ingestRuns(db, await discoverRuns([TINY]), silentLogger);
    await db.exec('UPDATE warehouse SET schema_version = $v', { v: SCHEMA_VERSION + 1 });
    db.close();
    const err = await Warehouse.open(path).then(() => null, (e: unknown) => e);
    expect(err).toBeInstanceOf(CliError);
    expect((err as CliError).message).toBe(
      `${path}: warehouse written by a newer bench-report (layout ${SCHEMA_VERSION + 1}, this one reads ${SCHEMA_VERSION}); use that version or name another --db file.`,
    );
    // Left as it was: the newer tool's runs are still there.
    const raw = await DuckDBInstance.create(path);
    const conn = await raw.connect();
    expect(Number((await conn.runAndReadAll('SELECT count(*) FROM runs')).getRows()[0]?.[0])).toBe(1);
    conn.closeSync();
    raw.closeSync();
  });

  it('counts malformed lines beyond the head of a file with a full census', async () => {
    const run = join(tmp.dir, 'long');
    await cp(TINY, run, { recursive: true });
    // 3000 more valid lines, then a malformed one and a non-JSON one far past the 2000-line head.
    const noise = '{"at":"2026-01-01T00:00:09Z","ns":"Net.Noise","data":{"kind":"Noise"},"host":"h0"}\n'.repeat(3000);
    await appendFile(join(run, 'node-0', 'stdout'), `${noise}{"at":"2026-01-01T00:00:09Z","ns":"Cut\nGoodbye\n`);
    const db = await Warehouse.open(':memory:');
    try {
      await ingestRuns(db, await discoverRuns([run]), silentLogger);
      const files = await db.all<{ node: string; log_lines: number; malformed: number; other_lines: number }>(
        'SELECT node, log_lines, malformed, other_lines FROM files ORDER BY node',
      );
      // node-0 had 76 log lines and 1 other line; node-1 holds the fixture's own malformed line.
      expect(files[0]).toEqual({ node: 'node-0', log_lines: 76 + 3001, malformed: 1, other_lines: 2 });
      expect(files[1]?.malformed).toBe(1);
      const samples = await db.all<{ line: string }>('SELECT line FROM malformed_samples ORDER BY file_id');
      expect(samples.map((r) => r.line)).toContain('{"at":"2026-01-01T00:00:09Z","ns":"Cut');
    } finally {
      db.close();
    }
  });

  it('compacts a file that appends left with free blocks, keeping every row, and leaves a tight one alone', async () => {
    // Four runs: with 64 KiB blocks the tiny runs' free blocks after an odd number of appends
    // all sit at the end of the file, which a checkpoint truncates.
    const runs = ['a', 'b', 'c', 'd'].map((x) => join(tmp.dir, `compact-${x}`));
    for (const r of runs) await cp(TINY, r, { recursive: true });
    const path = join(tmp.dir, 'compact.duckdb');
    // One ingest per run, as a nightly job does: each appends to the row groups the last left.
    for (const r of runs) {
      const db = await Warehouse.open(path);
      await ingestRuns(db, await discoverRuns([r]), silentLogger);
      db.close();
    }
    const contents = async (db: Warehouse): Promise<Record<string, string>> => {
      const out: Record<string, string> = {};
      for (const t of (await db.tables()).map((x) => x.table_name)) {
        const [h] = await db.all<{ h: string }>(`SELECT count(*)::VARCHAR || ':' || coalesce(md5(string_agg(x, '|' ORDER BY x)), '') AS h FROM (SELECT t::VARCHAR AS x FROM "${t}" AS t)`);
        out[t] = h?.h ?? '';
      }
      return out;
    };
    let db = await Warehouse.open(path);
    const before = await contents(db);
    const [size] = await db.all<{ total: number; free: number }>('SELECT total_blocks AS total, free_blocks AS free FROM pragma_database_size() WHERE database_name = current_database()');
    expect(size?.free).toBeGreaterThan(0);
    // Under the default thresholds (4 MiB, a fifth of the file) a small file is left alone.
    expect(await db.closeCompacting()).toBeUndefined();
    db = await Warehouse.open(path);
    const done = await db.closeCompacting({ minFreeBytes: 1, minFreeShare: 0 });
    expect(done).toBeDefined();
    expect(done?.afterMb).toBeLessThan(done?.beforeMb ?? 0);
    const warnings: string[] = [];
    db = await Warehouse.open(path, { onWarn: (m) => warnings.push(m) });
    // Same layout (no rebuild), same rows in every table, and the runs are still fresh.
    expect(warnings).toEqual([]);
    expect(await contents(db)).toEqual(before);
    const [after] = await db.all<{ free: number }>('SELECT free_blocks AS free FROM pragma_database_size() WHERE database_name = current_database()');
    expect(after?.free).toBe(0);
    expect((await ingestRuns(db, await discoverRuns(runs), silentLogger)).map((r) => r.status)).toEqual(['fresh', 'fresh', 'fresh', 'fresh']);
    expect(await count(db, 'SELECT count(*) AS n FROM events')).toBe(4 * 210);
    db.close();
    // Nothing is left beside the file.
    const { readdir } = await import('node:fs/promises');
    expect((await readdir(tmp.dir)).filter((f) => f.includes('compact.duckdb') && f !== 'compact.duckdb')).toEqual([]);
  });

  it('removes the partial copy a killed compaction left beside the warehouse, and nothing else', async () => {
    const { mkdir, readdir, writeFile } = await import('node:fs/promises');
    const dir = join(tmp.dir, 'stale');
    await mkdir(dir, { recursive: true });
    const path = join(dir, 'w.duckdb');
    (await Warehouse.open(path)).close();
    // What a compaction killed before its rename leaves, and files that merely look alike.
    for (const f of ['.w.duckdb.4242.1764000000000.tmp', '.w.duckdb.4242.1764000000000.tmp.wal', '.w.duckdb.x.tmp', '.other.duckdb.4242.1.tmp', 'report.html']) {
      await writeFile(join(dir, f), 'partial');
    }
    const warnings: string[] = [];
    (await Warehouse.open(path, { onWarn: (m) => warnings.push(m) })).close();
    expect((await readdir(dir)).sort()).toEqual(['.other.duckdb.4242.1.tmp', '.w.duckdb.x.tmp', 'report.html', 'w.duckdb']);
    expect(warnings).toEqual([`${path}: removed the partial copy left by an interrupted compaction (.w.duckdb.4242.1764000000000.tmp).`]);
  });
});
