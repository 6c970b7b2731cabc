// The DESIGN §2 invariant: the same events written in the legacy and in the new log format
// give identical metric tables, across the full catalogue, with every within-run centile
// equal too. On a simulated run, and on the hand-made tiny fixture in three shapes: legacy
// with ≥ 1.35 announcements (and one older kind), new tracing with string `ns` and without
// chainLengthDelta (as 10.4.1 writes it), and new tracing with array `ns` (cardano-tracer 10.2).
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { CATALOGUE, silentLogger } from '../pipeline/core/index.js';
import { Warehouse, ingestRuns } from '../pipeline/warehouse/index.js';
import { discoverRuns } from '../pipeline/discover/index.js';
import { DEFAULT_FILTERS, computeMetrics, type MetricsResult } from '../pipeline/metrics/index.js';
import { simulate } from '../pipeline/simulate/index.js';
import { scratchDir } from './helpers/scratch.js';

const tmp = scratchDir('bench-report-equiv-');

async function metricsOf(dirs: string[]): Promise<{ m: MetricsResult; id: number; lines: number }> {
  const db = await Warehouse.open(':memory:');
  try {
    const [r] = await ingestRuns(db, await discoverRuns(dirs), silentLogger);
    const id = r?.runId ?? -1;
    const [files] = await db.all<{ n: number }>('SELECT sum(parsed) AS n FROM files');
    return { m: await computeMetrics(db, [id], DEFAULT_FILTERS), id, lines: files?.n ?? 0 };
  } finally {
    db.close();
  }
}

describe('legacy and new tracing formats, one simulated seed', () => {
  it('give identical values for every metric and every centile', async () => {
    const shape = { nodes: 6, slots: 240, runs: 1, seed: 4242, rts: '-A64m', tracing: 'new' as const };
    const [newDir] = await simulate({ ...shape, out: join(tmp.dir, 'new'), format: 'new' });
    const [legacyDir] = await simulate({ ...shape, out: join(tmp.dir, 'legacy'), format: 'legacy' });
    const a = await metricsOf([newDir ?? '']);
    const b = await metricsOf([legacyDir ?? '']);
    const va = a.m.byRun.get(a.id)?.values ?? new Map<string, number>();
    const vb = b.m.byRun.get(b.id)?.values ?? new Map<string, number>();
    // The simulated run exercises the whole catalogue (spans, battles, missed slots …).
    const missing = CATALOGUE.map((d) => d.id).filter((id) => !va.has(id));
    expect(missing).toEqual([]);
    expect(va.get('blocks_forged')).toBeGreaterThan(5);
    for (const def of CATALOGUE) expect(vb.get(def.id), def.id).toBe(va.get(def.id));
    expect(b.lines).toBe(a.lines);
    expect(b.m.centiles).toEqual(a.m.centiles.map((c) => ({ ...c, run_id: b.id })));
  });
});

describe('the tiny fixture in three log shapes', () => {
  it('legacy, new with string ns and new with array ns give identical tables', async () => {
    const tiny = join(import.meta.dirname, 'fixtures', 'tiny');
    const [legacy, str, arr] = await Promise.all(
      ['legacy', 'new', 'new-array-ns'].map((shape) => metricsOf([join(tiny, shape, 'run-tiny')])),
    );
    const values = (r: typeof legacy): Record<string, number> => Object.fromEntries(r?.m.byRun.get(r.id)?.values ?? []);
    const centiles = (r: typeof legacy): unknown[] => (r?.m.centiles ?? []).map((c) => [c.metric, c.centile, c.value]);
    // B is filtered out in every shape: node-2 adopted it without adopting A first.
    expect(values(str).forge_send_s).toBeCloseTo(0.045666667, 8);
    expect(Object.keys(values(str)).length).toBeGreaterThan(50);
    expect(values(legacy)).toEqual(values(str));
    expect(values(arr)).toEqual(values(str));
    expect(centiles(legacy)).toEqual(centiles(str));
    expect(centiles(arr)).toEqual(centiles(str));
    expect(arr?.lines).toBe(str?.lines);
    expect(legacy?.lines).toBe(str?.lines);
  });
});
