// The warehouse file: re-ingesting an unchanged run is a no-op, a changed run is replaced
// whole, and a file written with another layout version is emptied rather than misread.
import { cp, mkdtemp, rm, appendFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DuckDBInstance } from '@duckdb/node-api';
import { SCHEMA_VERSION, Warehouse } from '../pipeline/db.js';
import { CliError } from '../pipeline/errors.js';
import { discoverRuns } from '../pipeline/discover.js';
import { ingestRuns } from '../pipeline/ingest.js';
import { silentLogger } from '../pipeline/log.js';

const TINY = join(import.meta.dirname, 'fixtures', 'tiny', 'new', 'run-tiny');
let tmp: string;
beforeAll(async () => {
  tmp = await mkdtemp(join(tmpdir(), 'bench-report-db-'));
});
afterAll(async () => {
  await rm(tmp, { recursive: true, force: true });
});

const count = async (db: Warehouse, sql: string): Promise<number> => (await db.all<{ n: number }>(sql))[0]?.n ?? -1;

describe('warehouse', () => {
  it('skips an unchanged run and replaces a changed one whole', async () => {
    const run = join(tmp, 'run');
    await cp(TINY, run, { recursive: true });
    const path = join(tmp, 'w.duckdb');
    let db = await Warehouse.open(path);
    const [first] = await ingestRuns(db, await discoverRuns([run]), silentLogger);
    expect(first?.status).toBe('loaded');
    // 212 lines beginning with '{', one of them malformed (WORKED.md), and 4 other lines; the
    // 5 unparsed lines stay in events as all-NULL rows, which is how they are counted.
    expect(await count(db, 'SELECT sum(parsed) AS n FROM files')).toBe(211);
    expect(await count(db, 'SELECT sum(malformed) AS n FROM files')).toBe(1);
    const events = await count(db, 'SELECT count(*) AS n FROM events');
    expect(events).toBe(216);
    db.close();

    db = await Warehouse.open(path);
    const [again] = await ingestRuns(db, await discoverRuns([run]), silentLogger);
    expect(again?.status).toBe('fresh');
    // A new line in one log changes the fingerprint: the run is reloaded, not appended to.
    await appendFile(join(run, 'node-0', 'stdout'), 'Shutting down\n');
    const [changed] = await ingestRuns(db, await discoverRuns([run]), silentLogger);
    expect(changed?.status).toBe('loaded');
    // Reloaded, not appended to: the same rows plus the new unparsed line.
    expect(await count(db, 'SELECT count(*) AS n FROM events')).toBe(events + 1);
    expect(await count(db, 'SELECT count(*) AS n FROM runs')).toBe(1);
    // Four 'Listening on' lines (node-2 restarts) and the appended one.
    expect(await count(db, 'SELECT sum(other_lines) AS n FROM files')).toBe(5);
    db.close();
  });

  it('rebuilds a warehouse of an older layout only after saying so, and refuses a newer one', async () => {
    const path = join(tmp, 'old.duckdb');
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
    const run = join(tmp, 'long');
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
});
