// A run of 1,500 node directories end to end (issue 23, Hangs and crashes: "`runs` then fails
// with Out of Memory"), through the built CLI as a user runs it: ingest it (with the tiny run
// beside it), then `runs`, `report` taking both from the warehouse (--*-where) and `history`.
// Before the fix of queries/70_runs_history.sql the last three failed with DuckDB's "Out of
// Memory" (945 of 953.6 MiB used), exit 1. The fast test of the same query under a tight memory
// limit is test/hostile-scale.test.ts; peak RSS is measured by hand (docs/reliability.md), not
// here.
//
// The run: the tiny fixture's meta.json (tag "wide") and genesis, its three node logs copied
// round-robin into node-0 … node-1499 (500 copies of each).
import { cp, mkdir, mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ROOT, runChild } from './child.js';

const TINY = join(ROOT, 'test', 'fixtures', 'tiny', 'new', 'run-tiny');
const NODES = 1500;
let tmp: string;
let db: string;
let wide: string;

beforeAll(async () => {
  tmp = await mkdtemp(join(tmpdir(), 'bench-report-scale-'));
  db = join(tmp, 'w.duckdb');
  wide = join(tmp, 'run-wide');
  await cp(TINY, wide, { recursive: true });
  for (let i = 3; i < NODES; i++) {
    await mkdir(join(wide, `node-${i}`));
    await cp(join(TINY, `node-${i % 3}`, 'stdout'), join(wide, `node-${i}`, 'stdout'));
  }
  const meta = JSON.parse(await readFile(join(wide, 'meta.json'), 'utf8')) as { meta: { tag: string } };
  meta.meta.tag = 'wide';
  await writeFile(join(wide, 'meta.json'), JSON.stringify(meta));
});
afterAll(async () => {
  await rm(tmp, { recursive: true, force: true });
});

describe('a run of 1,500 node directories', () => {
  it('ingests, is listed by runs, reported from the warehouse and in the history', async () => {
    const ing = await runChild(['ingest', wide, TINY, '--db', db]);
    expect(ing.code, ing.err).toBe(0);

    const runs = await runChild(['runs', '--db', db, '--json']);
    expect(runs.code, runs.err).toBe(0);
    const rows = JSON.parse(runs.out) as { tag: string; nodes: number; log_lines: number; malformed_lines: number }[];
    // Per copy of the three logs: 76 + 73 + 63 = 212 lines beginning with '{', 1 malformed
    // (node-1's truncated Resources line; test/fixtures/tiny/WORKED.md).
    expect(rows.map((r) => [r.tag, r.nodes, Number(r.log_lines), Number(r.malformed_lines)]).sort()).toEqual([
      ['tiny', 3, 212, 1],
      ['wide', NODES, 500 * 212, 500],
    ]);

    const out = join(tmp, 'report');
    const rep = await runChild(['report', '--db', db, '--baseline-where', 'tag=tiny', '--candidate-where', 'tag=wide', '--out', out, '--format', 'json,md,html']);
    expect(rep.code, rep.err).toBe(0);
    expect(await readFile(join(out, 'report.json'), 'utf8')).toContain('"wide"');

    const hist = join(tmp, 'history');
    const h = await runChild(['history', '--db', db, '--out', hist, '--format', 'json']);
    expect(h.code, h.err).toBe(0);
    expect(await readFile(join(hist, 'history.json'), 'utf8')).toContain('"wide"');
  });
});
