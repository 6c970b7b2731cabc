// kill -9 at exact steps of ingest, re-ingest and compaction (issue 23, item 1): whatever the
// instant, the warehouse holds the run's old rows or its new ones, never neither. The random
// instants are scripts/crash-probe.mjs's; these are the steps that lost a run before.
import { DuckDBInstance } from '@duckdb/node-api';
import { appendFile, cp, readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { ROOT, runChild } from './child.js';
import { scratchDir } from '../helpers/scratch.js';

const TINY = join(ROOT, 'test', 'fixtures', 'tiny', 'new', 'run-tiny');
// The tiny run's events (db.test.ts); the changed run repeats node-0's first log line: one more.
const TINY_EVENTS = 210;
const tmp = scratchDir('bench-report-crash-');

/** What another program reads from the file: runs per path with their events. */
async function state(db: string): Promise<{ path: string; events: number }[]> {
  const inst = await DuckDBInstance.create(db);
  const conn = await inst.connect();
  try {
    const rows = (await conn.runAndReadAll('SELECT r.path, (SELECT count(*) FROM events e WHERE e.run_id = r.run_id) AS events FROM runs r ORDER BY r.path')).getRowObjectsJS();
    return rows.map((r) => ({ path: String(r.path), events: Number(r.events) }));
  } finally {
    conn.closeSync();
    inst.closeSync();
  }
}

/** A copy of the tiny run, ingested into a fresh warehouse, then changed (one more event). */
async function ingestedThenChanged(name: string): Promise<{ run: string; db: string }> {
  const run = join(tmp.dir, name);
  const db = join(tmp.dir, `${name}.duckdb`);
  await cp(TINY, run, { recursive: true });
  const first = await runChild(['ingest', run, '--db', db]);
  expect(first.code, first.err).toBe(0);
  const log = join(run, 'node-0', 'stdout');
  const line = (await readFile(log, 'utf8')).split('\n').find((l) => l.startsWith('{')) ?? '';
  await appendFile(log, `${line}\n`);
  return { run, db };
}

describe('kill -9 during a re-ingest of a changed run', () => {
  it('before its commit: the old run stays, whole', async () => {
    const { run, db } = await ingestedThenChanged('before');
    const killed = await runChild(['ingest', run, '--db', db], { BENCH_REPORT_FAULT: 'kill:ingest-before-commit' });
    expect(killed.signal).toBe('SIGKILL');
    expect(await state(db)).toEqual([{ path: run, events: TINY_EVENTS }]);
    // Opening again (which repairs) keeps it, and the next ingest brings the new one.
    const listed = await runChild(['runs', '--db', db]);
    expect(listed.code, listed.err).toBe(0);
    expect(await state(db)).toEqual([{ path: run, events: TINY_EVENTS }]);
    const again = await runChild(['ingest', run, '--db', db]);
    expect(again.code, again.err).toBe(0);
    expect(await state(db)).toEqual([{ path: run, events: TINY_EVENTS + 1 }]);
  });

  it('after its commit, before the pending mark is cleared: the new run stays, whole', async () => {
    const { run, db } = await ingestedThenChanged('after');
    const killed = await runChild(['ingest', run, '--db', db], { BENCH_REPORT_FAULT: 'kill:ingest-after-commit' });
    expect(killed.signal).toBe('SIGKILL');
    const listed = await runChild(['runs', '--db', db]);
    expect(listed.code, listed.err).toBe(0);
    expect(await state(db)).toEqual([{ path: run, events: TINY_EVENTS + 1 }]);
  });
});
