// Extracts (pipeline/extract.ts): each run written as Parquet in a SEPARATE process (the
// built CLI, as a Slurm task would run it), then a report over the extracts equals the report
// over the runs. Also: what the manifest holds, run_id remapping into a warehouse that
// already has runs, re-ingest as a no-op, and the errors (layout mismatch, a foreign folder,
// a damaged table) as exit-2 sentences naming the file.
import { execFile } from 'node:child_process';
import { cp, mkdtemp, readFile, readdir, rm, stat, writeFile, mkdir } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { gzipSync } from 'node:zlib';
import { afterAll, afterEach, beforeAll, describe, expect, it, vi } from 'vitest';
import { SCHEMA_VERSION, Warehouse, EXTRACT_SCHEMA, type ExtractManifest, ingestRuns } from '../pipeline/warehouse/index.js';
import { discoverRuns } from '../pipeline/discover/index.js';
import { silentLogger } from '../pipeline/core/index.js';
import { simulate } from '../pipeline/simulate/index.js';
import type { Report } from '../pipeline/core/index.js';
import { runCli } from './helpers/cli.js';

const ROOT = join(import.meta.dirname, '..');
const BIN = join(ROOT, 'bin', 'bench-report.js');
const MALFORMED = join(ROOT, 'test', 'fixtures', 'messy', 'malformed-middle');
const sh = promisify(execFile);

const run = runCli;

let tmp: string;
let base: string[];
let cand: string[];
beforeAll(async () => {
  // The separate processes run the built CLI: `npm test` builds before vitest.
  await stat(join(ROOT, 'dist', 'pipeline', 'jobs', 'extract.js')).catch(() => {
    throw new Error('dist/ is missing the extract job: run `npm run build` first.');
  });
  tmp = await mkdtemp(join(tmpdir(), 'bench-report-extract-'));
  base = await simulate({ out: join(tmp, 'runs'), tracing: 'new', rts: '', nodes: 2, slots: 90, runs: 2, seed: 1 });
  cand = await simulate({ out: join(tmp, 'runs'), tracing: 'legacy', rts: '-A64m', nodes: 2, slots: 90, runs: 2, seed: 11 });
  // A run with malformed lines, so malformed_samples travels too.
  await cp(MALFORMED, join(tmp, 'runs', 'malformed-middle'), { recursive: true });
  cand.push(join(tmp, 'runs', 'malformed-middle'));
});
afterAll(async () => {
  await rm(tmp, { recursive: true, force: true });
});
afterEach(() => vi.restoreAllMocks());

const manifestOf = async (dir: string): Promise<ExtractManifest> => JSON.parse(await readFile(join(dir, 'manifest.json'), 'utf8')) as ExtractManifest;

describe('extract', () => {
  it('has --help, and without --out exits 2 naming the option', async () => {
    const help = await run('extract', '--help');
    expect(help.code).toBe(0);
    for (const opt of ['--out', '--db']) expect(help.out).toContain(opt);
    const r = await run('extract', MALFORMED);
    expect(r.code).toBe(2);
    expect(r.err).toContain("required option '-o, --out <dir>' not specified");
  });

  it('a report over extracts made in separate processes equals the report over the runs', async () => {
    const ex = join(tmp, 'ex');
    // One process per run, two at a time, like two Slurm task slots.
    const all = [...base, ...cand];
    for (let i = 0; i < all.length; i += 2) {
      await Promise.all(all.slice(i, i + 2).map((r) => sh(process.execPath, [BIN, 'extract', r, '--out', ex])));
    }
    expect((await readdir(ex)).sort()).toEqual(['malformed-middle', 'sim-legacy-A64m-s11', 'sim-legacy-A64m-s12', 'sim-new-s1', 'sim-new-s2']);

    // Each report its own warehouse: sharing one, the second would find the runs already there.
    const fromRuns = await run('report', '-b', ...base, '-c', ...cand, '-o', join(tmp, 'r-runs'), '-f', 'json', '--db', join(tmp, 'r-runs.duckdb'));
    // Extract folders are given both one by one and as a folder of extracts.
    const fromEx = await run('report', '-b', join(ex, 'sim-new-s1'), join(ex, 'sim-new-s2'), '-c', join(ex, 'sim-legacy-A64m-s11'), join(ex, 'sim-legacy-A64m-s12'), join(ex, 'malformed-middle'), '-o', join(tmp, 'r-ex'), '-f', 'json', '--db', join(tmp, 'r-ex.duckdb'));
    expect([fromRuns.code, fromEx.code], fromRuns.err + fromEx.err).toEqual([0, 0]);
    const a = JSON.parse(await readFile(join(tmp, 'r-runs', 'report.json'), 'utf8')) as Report;
    const b = JSON.parse(await readFile(join(tmp, 'r-ex', 'report.json'), 'utf8')) as Report;

    // What must differ: when it was made, and which SQL files ran (no log is parsed from an
    // extract, so the ingest queries 10_* and 11_* did not run).
    expect(b.provenance.queries.filter((q) => !a.provenance.queries.includes(q))).toEqual([]);
    expect(a.provenance.queries.some((q) => q.startsWith('10_'))).toBe(true);
    expect(a.provenance.queries.filter((q) => !b.provenance.queries.includes(q)).every((q) => /^1[01]_/.test(q))).toBe(true);
    const strip = (r: Report): unknown => ({ ...r, generated_at: null, provenance: { ...r.provenance, queries: null } });
    expect(strip(b)).toEqual(strip(a));
    // Same run paths (the run's identity), and the malformed-line counts came through.
    expect(b.provenance.inputs).toEqual([...base, ...cand]);
    expect(b.candidate.runs.find((r) => r.tag === 'malformed-middle')?.malformed_lines).toBe(2);
  });

  it('writes a manifest with the fingerprint, versions and every run table with its row count', async () => {
    const ex = join(tmp, 'ex-one');
    const r = await run('extract', MALFORMED, '--out', ex);
    expect(r.code, r.err).toBe(0);
    expect(r.out.trim()).toBe(join(ex, 'malformed-middle'));
    const m = await manifestOf(join(ex, 'malformed-middle'));
    const [info] = await discoverRuns([MALFORMED]);
    expect(m.schema).toBe(EXTRACT_SCHEMA);
    expect(m.fingerprint).toBe(info?.fingerprint);
    expect(m.run_path).toBe(info?.path);
    expect(m.tag).toBe('malformed-middle');
    expect(m.layout_version).toBe(SCHEMA_VERSION);
    expect(m.tool_version).toBe('0.1.0');
    expect(m.run).toEqual(info);
    // The fixture: 2 node files, 2 malformed lines sampled, 1 run row; its events are split over
    // the family tables (the `events` view reads them), and msg_counts counts every parsed line
    // (48 log lines − 2 malformed = 46).
    const rows = Object.fromEntries(m.tables.map((t) => [t.name, t.rows]));
    expect(rows.files).toBe(2);
    expect(rows.malformed_samples).toBe(2);
    expect(rows.runs).toBe(1);
    expect(rows.events).toBeUndefined();
    const db = await Warehouse.open(':memory:');
    try {
      await ingestRuns(db, [info!], silentLogger);
      const [n] = await db.all<{ events: number; lines: number; counts: number }>(
        'SELECT (SELECT count(*) FROM events) AS events, (SELECT sum(n) FROM msg_counts) AS lines, (SELECT count(*) FROM msg_counts) AS counts',
      );
      expect((rows.ev_resources ?? 0) + (rows.ev_slot ?? 0) + (rows.ev_block ?? 0)).toBe(n?.events);
      expect(rows.msg_counts).toBe(n?.counts);
      expect(n?.lines).toBe(46);
    } finally {
      db.close();
    }
    // Nothing half-written is left beside it.
    expect(await readdir(ex)).toEqual(['malformed-middle']);
  });

  it('loads an extract under a fresh run_id beside runs already there; loading it again is a no-op', async () => {
    const ex = join(tmp, 'ex-remap');
    expect((await run('extract', base[0]!, '--out', ex)).code).toBe(0);
    const db = await Warehouse.open(':memory:');
    try {
      // The warehouse already holds two other runs as run_id 1 and 2.
      await ingestRuns(db, await discoverRuns([base[1]!, MALFORMED]), silentLogger);
      const runs = await discoverRuns([ex]);
      expect(runs.map((r) => [r.tag, r.path, r.extract])).toEqual([['sim-new-s1', base[0], join(ex, 'sim-new-s1')]]);
      const [first] = await ingestRuns(db, runs, silentLogger);
      expect(first).toEqual({ runId: 3, tag: 'sim-new-s1', status: 'loaded', warnings: [] });
      const m = await manifestOf(join(ex, 'sim-new-s1'));
      for (const t of m.tables) {
        const [c] = await db.all<{ n: number }>(`SELECT count(*) AS n FROM ${t.name} WHERE run_id = 3`);
        expect(c?.n, t.name).toBe(t.rows);
      }
      const [again] = await ingestRuns(db, runs, silentLogger);
      expect(again).toEqual({ runId: 3, tag: 'sim-new-s1', status: 'fresh', warnings: [] });
      const [total] = await db.all<{ n: number }>('SELECT count(*) AS n FROM runs');
      expect(total?.n).toBe(3);
    } finally {
      db.close();
    }
  });

  it("brings the run's ingest warnings along (a cut .gz log)", async () => {
    // The malformed-middle run with node-1's log gzipped and cut in half.
    const cut = join(tmp, 'runs-gz', 'cut-gz');
    await cp(MALFORMED, cut, { recursive: true });
    const gz = gzipSync(await readFile(join(cut, 'node-1', 'stdout')));
    await rm(join(cut, 'node-1', 'stdout'));
    await writeFile(join(cut, 'node-1', 'stdout.gz'), gz.subarray(0, Math.floor(gz.length / 2)));
    const ex = join(tmp, 'ex-warn');
    expect((await run('extract', cut, '--out', ex)).code).toBe(0);
    const warningsOf = async (path: string) => {
      const db = await Warehouse.open(':memory:');
      try {
        return (await ingestRuns(db, await discoverRuns([path]), silentLogger))[0]?.warnings;
      } finally {
        db.close();
      }
    };
    const direct = await warningsOf(cut);
    expect(direct?.map((w) => w.code)).toEqual(['gzip-truncated']);
    expect(await warningsOf(join(ex, 'malformed-middle'))).toEqual(direct);
  });

  it('replaces an older extract of the same run, and never a folder holding something else', async () => {
    const ex = join(tmp, 'ex-replace');
    expect((await run('extract', MALFORMED, '--out', ex)).code).toBe(0);
    expect((await run('extract', MALFORMED, '--out', ex)).code).toBe(0);
    expect(await readdir(ex)).toEqual(['malformed-middle']);
    await mkdir(join(ex, 'sim-new-s1'));
    await writeFile(join(ex, 'sim-new-s1', 'notes.txt'), 'mine');
    const r = await run('extract', base[0]!, '--out', ex);
    expect(r.code).toBe(2);
    expect(r.err).toContain(`${join(ex, 'sim-new-s1')}: already exists and is not an extract of ${base[0]}`);
    expect(await readFile(join(ex, 'sim-new-s1', 'notes.txt'), 'utf8')).toBe('mine');
  });

  it('refuses an extract of another layout version with exit 2, naming its manifest', async () => {
    const ex = join(tmp, 'ex-layout');
    expect((await run('extract', MALFORMED, '--out', ex)).code).toBe(0);
    const file = join(ex, 'malformed-middle', 'manifest.json');
    const m = await manifestOf(join(ex, 'malformed-middle'));
    await writeFile(file, JSON.stringify({ ...m, layout_version: SCHEMA_VERSION - 1 }));
    const sentence = `${file}: extract written with warehouse layout ${SCHEMA_VERSION - 1} (bench-report 0.1.0), this version uses layout ${SCHEMA_VERSION}; extract the run again with this version.`;
    // --strict: the one sentence, nothing else.
    const strict = await run('ingest', ex, '--db', join(tmp, 'layout.duckdb'), '--strict');
    expect(strict.code).toBe(2);
    expect(strict.err).toBe(`bench-report: ${sentence}\n`);
    // Otherwise the run is skipped with a warning, and with no run left the same sentence is the error.
    const lenient = await run('ingest', ex, '--db', join(tmp, 'layout.duckdb'));
    expect(lenient.code).toBe(2);
    expect(lenient.err.trim().split('\n').at(-1)).toBe(`bench-report: ${sentence}`);
  });

  it('names the table file when an extract is damaged (exit 2), and loads nothing of it', async () => {
    const ex = join(tmp, 'ex-damaged');
    expect((await run('extract', MALFORMED, '--out', ex)).code).toBe(0);
    const file = join(ex, 'malformed-middle', 'files.parquet');
    await writeFile(file, 'not parquet');
    const dbFile = join(tmp, 'damaged.duckdb');
    const r = await run('ingest', ex, '--db', dbFile);
    expect(r.code).toBe(2);
    expect(r.err).toContain(`bench-report: ${file}: cannot load this extract table (`);
    const db = await Warehouse.open(dbFile);
    try {
      const [n] = await db.all<{ runs: number; events: number }>('SELECT (SELECT count(*) FROM runs) AS runs, (SELECT count(*) FROM events) AS events');
      expect(n).toEqual({ runs: 0, events: 0 });
    } finally {
      db.close();
    }
  });
});
