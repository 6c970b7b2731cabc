// Part extracts (`extract --part K/N`, one task per node log of a huge run): each part made in
// a SEPARATE process (the built CLI, as a Slurm array task runs it), then merged by `extract`
// into exactly the extract of the whole run — every table row for row, the manifest, and a
// report over it equal to the report over the raw run. Also: the errors, as exit-2 sentences.
import { execFile } from 'node:child_process';
import { cp, mkdtemp, readFile, readdir, rm, stat } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { DuckDBInstance } from '@duckdb/node-api';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { ExtractManifest } from '../pipeline/warehouse/index.js';
import { simulate } from '../pipeline/simulate/index.js';
import type { Report } from '../pipeline/core/index.js';
import { runCli as run } from './helpers/cli.js';

const ROOT = join(import.meta.dirname, '..');
const BIN = join(ROOT, 'bin', 'bench-report.js');
const MALFORMED = join(ROOT, 'test', 'fixtures', 'messy', 'malformed-middle');
const sh = promisify(execFile);

let tmp: string;
let base: string[];
let big: string;
let messy: string;
beforeAll(async () => {
  await stat(join(ROOT, 'dist', 'pipeline', 'jobs', 'extract.js')).catch(() => {
    throw new Error('dist/ is missing the extract job: run `npm run build` first.');
  });
  tmp = await mkdtemp(join(tmpdir(), 'bench-report-parts-'));
  base = await simulate({ out: join(tmp, 'runs'), tracing: 'new', rts: '', nodes: 2, slots: 90, runs: 2, seed: 1 });
  // The "huge" run: 5 nodes, so 3 parts hold 1, 2 and 2 nodes (contiguous, in node order).
  big = (await simulate({ out: join(tmp, 'runs'), tracing: 'legacy', rts: '-A64m', nodes: 5, slots: 90, runs: 1, seed: 11 }))[0]!;
  // Malformed lines in both nodes, so malformed_samples and the counts are remapped too.
  messy = join(tmp, 'runs', 'malformed-middle');
  await cp(MALFORMED, messy, { recursive: true });
});
afterAll(async () => {
  await rm(tmp, { recursive: true, force: true });
});

const manifestOf = async (dir: string): Promise<ExtractManifest> => JSON.parse(await readFile(join(dir, 'manifest.json'), 'utf8')) as ExtractManifest;

/** Every row of every table of an extract folder, ordered, without the ingest time. */
async function rowsOf(dir: string): Promise<Record<string, unknown[]>> {
  const inst = await DuckDBInstance.create(':memory:');
  const c = await inst.connect();
  const out: Record<string, unknown[]> = {};
  try {
    for (const t of (await manifestOf(dir)).tables) {
      const r = await c.runAndReadAll(`SELECT * EXCLUDE (run_id) ${t.name === 'runs' ? 'REPLACE (NULL AS ingested_at)' : ''} FROM read_parquet('${join(dir, t.file)}') ORDER BY ALL`);
      out[t.name] = r.getRowObjectsJson();
    }
  } finally {
    c.closeSync();
  }
  return out;
}

describe('extract --part K/N', () => {
  it('parts made in separate processes merge into exactly the whole run’s extract', async () => {
    const parts = join(tmp, 'parts');
    // Part 3 first: the merge takes the parts in any order.
    await Promise.all(['3/3', '1/3', '2/3'].map((p) => sh(process.execPath, [BIN, 'extract', big, '--part', p, '--out', parts])));
    await Promise.all(['1/2', '2/2'].map((p) => sh(process.execPath, [BIN, 'extract', messy, '--part', p, '--out', join(tmp, 'parts-messy')])));
    expect((await readdir(parts)).sort()).toEqual([
      'sim-legacy-A64m-s11.part-1-of-3',
      'sim-legacy-A64m-s11.part-2-of-3',
      'sim-legacy-A64m-s11.part-3-of-3',
    ]);
    const p2 = await manifestOf(join(parts, 'sim-legacy-A64m-s11.part-2-of-3'));
    expect(p2.part).toEqual({ index: 2, of: 3, nodes: ['node-1', 'node-2'] });
    expect(p2.tables.find((t) => t.name === 'files')?.rows).toBe(2);
    expect(p2.run.nodes.map((n) => n.node)).toEqual(['node-0', 'node-1', 'node-2', 'node-3', 'node-4']);

    // The merge: a folder of parts, and parts given one by one.
    const merged = join(tmp, 'merged');
    const m1 = await run('extract', parts, '--out', merged);
    const m2 = await run('extract', join(tmp, 'parts-messy', 'malformed-middle.part-2-of-2'), join(tmp, 'parts-messy', 'malformed-middle.part-1-of-2'), '--out', merged);
    expect([m1.code, m2.code], m1.err + m2.err).toEqual([0, 0]);
    expect(m1.out.trim()).toBe(join(merged, 'sim-legacy-A64m-s11'));
    const whole = join(tmp, 'whole');
    expect((await run('extract', big, messy, '--out', whole)).code).toBe(0);

    for (const name of ['sim-legacy-A64m-s11', 'malformed-middle']) {
      const a = await manifestOf(join(whole, name));
      const b = await manifestOf(join(merged, name));
      expect(b.part).toBeUndefined();
      expect({ ...b, tables: null }).toEqual({ ...a, tables: null });
      expect(b.tables).toEqual(a.tables);
      expect(await rowsOf(join(merged, name))).toEqual(await rowsOf(join(whole, name)));
    }
    // The fixture's counts came through the remap: its 2 malformed lines are in node-0's log
    // (part 1); node-1's log was file 0 of part 2 and is file 1 of the run.
    const messyRows = await rowsOf(join(merged, 'malformed-middle'));
    expect(messyRows.malformed_samples).toHaveLength(2);
    const files = messyRows.files as { file_id: number; node: string; malformed: string }[];
    expect(files.map((f) => [f.file_id, f.node, Number(f.malformed)])).toEqual([[0, 'node-0', 2], [1, 'node-1', 0]]);

    // A report over the merged extract equals the report over the raw run.
    const fromRuns = await run('report', '-b', ...base, '-c', big, '-o', join(tmp, 'r-runs'), '-f', 'json', '--db', join(tmp, 'r-runs.duckdb'));
    const fromEx = await run('report', '-b', ...base, '-c', join(merged, 'sim-legacy-A64m-s11'), '-o', join(tmp, 'r-ex'), '-f', 'json', '--db', join(tmp, 'r-ex.duckdb'));
    expect([fromRuns.code, fromEx.code], fromRuns.err + fromEx.err).toEqual([0, 0]);
    const a = JSON.parse(await readFile(join(tmp, 'r-runs', 'report.json'), 'utf8')) as Report;
    const b = JSON.parse(await readFile(join(tmp, 'r-ex', 'report.json'), 'utf8')) as Report;
    const strip = (r: Report): unknown => ({ ...r, generated_at: null, provenance: { ...r.provenance, queries: null } });
    expect(strip(b)).toEqual(strip(a));
  });

  it('a part is no run: report, ingest and an incomplete merge refuse it, saying what to do', async () => {
    const parts = join(tmp, 'parts-err');
    expect((await run('extract', big, '--part', '1/2', '--out', parts)).code).toBe(0);
    const p1 = join(parts, 'sim-legacy-A64m-s11.part-1-of-2');
    const rep = await run('report', '-b', base[0]!, '-c', p1, '-o', join(tmp, 'r-err'), '-f', 'json', '--db', join(tmp, 'r-err.duckdb'));
    expect(rep.code).toBe(2);
    expect(rep.err).toContain(`${p1}: is part 1 of 2 of run ${big} (nodes node-0, node-1), not a whole run; merge the parts first`);
    const merge = await run('extract', parts, '--out', join(tmp, 'm-err'));
    expect(merge.code).toBe(2);
    expect(merge.err).toContain(`${big}: part 2 of 2 missing (given: 1); every part must be extracted before the merge.`);
    // Parts of different splits of one run are not one run.
    expect((await run('extract', big, '--part', '2/3', '--out', parts)).code).toBe(0);
    const mixed = await run('extract', p1, join(parts, 'sim-legacy-A64m-s11.part-2-of-3'), '--out', join(tmp, 'm-err'));
    expect(mixed.code).toBe(2);
    expect(mixed.err).toContain('is part 2 of 3 of');
    expect(mixed.err).toContain('with the same N');
  });

  it('a part without a log object is no error, but a run whose parts hold none is refused', async () => {
    // node-0 writes the legacy text format (a real 1.26.1 log), node-1 JSON (the fixture's).
    const TEXT = join(ROOT, 'test', 'fixtures', 'real-lines', 'legacy-1.26.1-text-format-cardano-node-2583.log');
    const mixed = join(tmp, 'runs', 'half-text');
    await cp(MALFORMED, mixed, { recursive: true });
    await cp(TEXT, join(mixed, 'node-0', 'stdout'));
    const parts = join(tmp, 'parts-text');
    for (const p of ['1/2', '2/2']) expect((await run('extract', mixed, '--part', p, '--out', parts)).code).toBe(0);
    expect((await run('extract', parts, '--out', join(tmp, 'merged-text'))).code).toBe(0);
    expect((await run('extract', mixed, '--out', join(tmp, 'whole-text'))).code).toBe(0);
    expect(await rowsOf(join(tmp, 'merged-text', 'malformed-middle'))).toEqual(await rowsOf(join(tmp, 'whole-text', 'malformed-middle')));

    await cp(TEXT, join(mixed, 'node-1', 'stdout'));
    const none = join(tmp, 'parts-none');
    for (const p of ['1/2', '2/2']) expect((await run('extract', mixed, '--part', p, '--out', none)).code).toBe(0);
    const r = await run('extract', none, '--out', join(tmp, 'merged-none'));
    expect(r.code).toBe(2);
    expect(r.err).toContain(`${mixed}: no node log of this run holds a JSON log object; ingest the run directly (bench-report ingest) to see what its lines look like.`);
  });

  it('checks --part: K/N with 1 ≤ K ≤ N, at most one part per node, no --db', async () => {
    for (const [arg, says] of [
      ['0/3', '--part 0/3: expected K/N, part K (from 1) of N parts, e.g. --part 1/4.'],
      ['4/3', '--part 4/3: expected K/N'],
      ['two', '--part two: expected K/N'],
      ['1/6', `--part 1/6: run ${big} has 5 node(s), so it splits into at most 5 parts.`],
    ] as const) {
      const r = await run('extract', big, '--part', arg, '--out', join(tmp, 'never'));
      expect(r.code, arg).toBe(2);
      expect(r.err).toContain(says);
    }
    const db = await run('extract', big, '--part', '1/2', '--db', join(tmp, 'p.duckdb'), '--out', join(tmp, 'never'));
    expect(db.code).toBe(2);
    expect(db.err).toContain('--part writes a slice of a run, which a warehouse cannot hold as a run; leave out --db.');
    expect(await stat(join(tmp, 'never')).then(() => true, () => false)).toBe(false);
  });
});
