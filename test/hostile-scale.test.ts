// A run of many node directories (issue 23, Hangs and crashes): with 1,500 nodes `runs` failed
// with DuckDB's "Out of Memory" (944.9 of 953.6 MiB used), and so did `history` and `report
// --*-where`, which list the warehouse with the same query. queries/70_runs_history.sql joined
// every file row (one per node) to its run and grouped by all columns, the run's stored RunInfo
// (`info`, one entry per node) included: nodes × info bytes, quadratic in the nodes. Now the line
// counts are summed per run first and joined to the one runs row.
//
// Here a 150-node run listed under a 32 MiB memory limit (the old query needed more than 32 MiB
// at 150 nodes and 8 MiB was enough at 3: the growth, not a fixed cost). The 1,500-node run end
// to end through the CLI (ingest, runs, report, history) is test/faults/scale.test.ts.
//
// The run: the tiny fixture's meta.json and genesis, its three node logs copied round-robin
// into node-0 … node-149.
import { cp, mkdir, mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { runCli } from './helpers/cli.js';
import { listWarehouseRuns } from '../pipeline/history/index.js';
import { Warehouse } from '../pipeline/warehouse/index.js';

const TINY = join(import.meta.dirname, 'fixtures', 'tiny', 'new', 'run-tiny');
const NODES = 150;
let tmp: string;
let db: string;
/** Lines beginning with '{' (files.log_lines) in each of the fixture's three node logs. */
const braceLines: number[] = [];

beforeAll(async () => {
  tmp = await mkdtemp(join(tmpdir(), 'bench-report-hostile-scale-'));
  db = join(tmp, 'w.duckdb');
  const wide = join(tmp, 'run-wide');
  await cp(TINY, wide, { recursive: true });
  const logs: string[] = [];
  for (let k = 0; k < 3; k++) {
    const text = await readFile(join(TINY, `node-${k}`, 'stdout'), 'utf8');
    logs.push(text);
    braceLines.push(text.split('\n').filter((l) => l.startsWith('{')).length);
  }
  for (let i = 3; i < NODES; i++) {
    await mkdir(join(wide, `node-${i}`));
    await writeFile(join(wide, `node-${i}`, 'stdout'), logs[i % 3] ?? '');
  }
  const r = await runCli('ingest', wide, '--db', db);
  expect(r.code, r.err).toBe(0);
}, 120_000);
afterAll(async () => {
  await rm(tmp, { recursive: true, force: true });
});

describe('a run of 150 node directories', () => {
  it('is listed within 32 MiB of DuckDB memory, with its nodes and line counts', async () => {
    expect(braceLines).toEqual([76, 73, 63]); // grep -c '^{' on the fixture's three logs
    const w = await Warehouse.open(db, { readOnly: true, memoryLimit: '32MB' });
    try {
      const runs = await listWarehouseRuns(w);
      expect(runs.map((r) => [r.tag, r.nodes, Number(r.log_lines), Number(r.malformed_lines), r.info.nodes.length])).toEqual([
        // 50 copies of each log: 50 × 212 = 10,600 lines, 50 × 1 malformed (node-1's truncated
        // Resources line, test/fixtures/tiny/WORKED.md)
        ['tiny', NODES, (NODES / 3) * (76 + 73 + 63), (NODES / 3) * 1, NODES],
      ]);
    } finally {
      w.close();
    }
  });
});
