// SQL metrics on the hand-made tiny fixture (test/fixtures/tiny, arithmetic in WORKED.md):
// every DESIGN §4 metric's run value and sorted sample, the nearest-rank centiles, the
// per-block adoption centiles, the chain and its filters — for both log formats, which
// must also give identical tables.
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { readFileSync } from 'node:fs';
import { CATALOGUE, silentLogger } from '../pipeline/core/index.js';
import { Warehouse, ingestRuns } from '../pipeline/warehouse/index.js';
import { discoverRuns } from '../pipeline/discover/index.js';
import { DEFAULT_FILTERS, parseChainFilters, type BlockFilter, computeMetrics, type MetricsResult } from '../pipeline/metrics/index.js';

const TINY = join(import.meta.dirname, 'fixtures', 'tiny');
interface Expected {
  tolerance: number;
  chain: { on_chain: string[]; lost: string[]; passing_default_filter: string[] };
  metrics: Record<string, { run_value: number | null; sample?: number[]; centiles?: Record<string, number> }>;
  adoption_per_block: Record<string, { delays: number[] } & Record<string, unknown>>;
}
const expected = JSON.parse(readFileSync(join(TINY, 'expected.json'), 'utf8')) as Expected;

async function load(format: 'new' | 'legacy', filters: BlockFilter[] = DEFAULT_FILTERS): Promise<{ db: Warehouse; runId: number; m: MetricsResult }> {
  const db = await Warehouse.open(':memory:');
  const runs = await discoverRuns([join(TINY, format, 'run-tiny')]);
  const [res] = await ingestRuns(db, runs, silentLogger);
  const runId = res?.runId ?? -1;
  const m = await computeMetrics(db, [runId], filters);
  return { db, runId, m };
}

const slotFilters = (from: number, to?: number): BlockFilter[] =>
  parseChainFilters(
    JSON.stringify([
      { tag: 'CSlot', contents: { tag: 'SlotGEq', contents: from } },
      ...(to === undefined ? [] : [{ tag: 'CSlot', contents: { tag: 'SlotLEq', contents: to } }]),
    ]),
    'test',
  );

describe('slot filters trim every section (DESIGN §4), on the tiny fixture', () => {
  it('slots 3–5: blocks, leadership checks and resource samples (by the slot of their time) alike', async () => {
    const ctx = await load('new', [...DEFAULT_FILTERS, ...slotFilters(3, 5)]);
    try {
      const v = (id: string): number | null => ctx.m.byRun.get(ctx.runId)?.values.get(id) ?? null;
      // Samples at 3.5, 4.5, 5.5 (node-0: 90, 85, 30), 3.6, 5.6 (node-1: 20, 60), 3.7, 4.7 (node-2: 25, 90).
      const cpu = await ctx.db.all<{ value: number }>("SELECT value FROM fct_samples WHERE metric = 'cpu_pct' ORDER BY value");
      expect(cpu.map((r) => r.value)).toEqual([20, 25, 30, 60, 85, 90, 90]);
      expect(v('cpu_pct')).toBeCloseTo(400 / 7, 9);
      expect(v('rss_mb')).toBeCloseTo((412 + 416 + 416 + 384 + 392 + 352 + 356) / 7, 9);
      // Loop starts in slots 3–5: node-0 5 ms ×3, node-1 10 ms ×3, node-2 20, 20, 25 ms.
      expect(v('slot_start_lag_s')).toBeCloseTo(0.110 / 9, 9);
      expect(ctx.m.byRun.get(ctx.runId)?.samples.get('slot_start_lag_s')).toBe(9);
      // node-2's missing slot 6 is outside the range.
      expect(v('missed_slots')).toBe(0);
      // Of the filtered chain blocks A, C, D only C (slot 5) is in range: its forge step is 5.056 − 5.041.
      expect(v('forge_forge_s')).toBeCloseTo(0.015, 9);
      expect(ctx.m.warnings).toEqual([]);
    } finally {
      ctx.db.close();
    }
  });

  it('a filter that removes every block says so in a warning, and the resources are trimmed away too', async () => {
    const ctx = await load('new', [...DEFAULT_FILTERS, ...slotFilters(100)]);
    try {
      expect(ctx.m.warnings).toEqual([
        {
          run: 'tiny',
          code: 'filter-removed-all',
          message:
            'the block filters removed all 4 chain blocks (the last by "slot≥100": slot 100 or later (test)), ' +
            'so the forging, peer and end-to-end propagation metrics have no value.',
        },
      ]);
      for (const id of ['cpu_pct', 'rss_mb', 'slot_start_lag_s', 'forge_forge_s']) expect(ctx.m.byRun.get(ctx.runId)?.values.get(id), id).toBeUndefined();
    } finally {
      ctx.db.close();
    }
  });
});

for (const format of ['new', 'legacy'] as const) {
  describe(`tiny hand-made fixture, ${format} format`, () => {
    let ctx: Awaited<ReturnType<typeof load>>;
    beforeAll(async () => {
      ctx = await load(format);
    });
    afterAll(() => ctx.db.close());

    it('covers every catalogue metric in the expectation', () => {
      expect(Object.keys(expected.metrics).sort()).toEqual(CATALOGUE.map((d) => d.id).sort());
    });

    for (const def of CATALOGUE) {
      it(`${def.id}: run value and sorted sample match the hand computation`, async () => {
        const want = expected.metrics[def.id];
        expect(want, `expected.json lacks ${def.id}`).toBeDefined();
        const got = ctx.m.byRun.get(ctx.runId)?.values.get(def.id) ?? null;
        if (want?.run_value === null) expect(got).toBeNull();
        else expect(got).toBeCloseTo(want?.run_value ?? NaN, 8);
        if (want?.sample && want.sample.length > 0) {
          const rows = await ctx.db.all<{ value: number }>(
            'SELECT value FROM fct_samples WHERE run_id = $r AND metric = $m AND value IS NOT NULL ORDER BY value',
            { r: ctx.runId, m: def.id },
          );
          const sample = rows.map((r) => r.value);
          expect(sample).toHaveLength(want.sample.length);
          sample.forEach((v, i) => expect(v).toBeCloseTo(want.sample?.[i] ?? NaN, 8));
        }
      });
    }

    it('summarises distributions at nearest-rank centiles (cpu_pct)', () => {
      const want = expected.metrics.cpu_pct?.centiles ?? {};
      for (const [c, v] of Object.entries(want)) {
        const point = ctx.m.centiles.find((p) => p.metric === 'cpu_pct' && Math.abs(p.centile - Number(c)) < 1e-12);
        expect(point?.value, `cpu_pct at ${c}`).toBeCloseTo(v, 9);
      }
    });

    it('rebuilds the chain, finds the lost battle and applies the default filters', async () => {
      const chain = await ctx.db.all<{ block: string }>('SELECT block FROM fct_chain ORDER BY block');
      expect(chain.map((r) => r.block)).toEqual([...expected.chain.on_chain].sort());
      // Genesis k = 5, f = 0.1: safe intervals of 50 slots, longer than the 10-slot epoch.
      expect(await ctx.db.all('SELECT safe_interval FROM sel_runs')).toEqual([{ safe_interval: 50 }]);
      expect(await ctx.db.all('SELECT DISTINCT safe_int FROM fct_chain')).toEqual([{ safe_int: 0 }]);
      const kept = await ctx.db.all<{ block: string }>('SELECT block FROM sel_blocks ORDER BY block');
      expect(kept.map((r) => r.block)).toEqual([...expected.chain.passing_default_filter].sort());
      // node-0's fork switch to C (WORKED.md note 4) is read as a tip change in both formats;
      // with every forger's log present the walk decides every block.
      expect(await ctx.db.all('SELECT node, block, slot FROM stg_tips WHERE switched')).toEqual([{ node: 'node-0', block: 'c'.repeat(64), slot: 5 }]);
      expect(await ctx.db.all('SELECT forged, on_chain, lost, undecided, contradictions FROM fct_chain_status')).toEqual([
        { forged: 5, on_chain: 4, lost: 1, undecided: 0, contradictions: 0 },
      ]);
      expect(ctx.m.warnings).toEqual([]);
      expect(ctx.m.filters.map((f) => [f.name, f.removed.get(ctx.runId)])).toEqual([
        ['unitary', 1],
      ]);
    });

    it('computes per-block adoption delays and their centiles', async () => {
      const rows = await ctx.db.all<{ block: string; d: number[] }>(
        `SELECT b.block, list_sort(list((x.t - b.slot_t) / 1e6)) AS d
         FROM fct_chain b JOIN sel_blocks USING (run_id, block)
         JOIN stg_block_events x ON x.run_id = b.run_id AND x.block = b.block AND x.ev = 'adopted'
         GROUP BY b.block ORDER BY b.block`,
      );
      expect(rows.map((r) => r.block)).toEqual(Object.keys(expected.adoption_per_block).sort());
      for (const r of rows) {
        const want = expected.adoption_per_block[r.block]?.delays ?? [];
        expect(r.d).toHaveLength(want.length);
        r.d.forEach((v, i) => expect(v).toBeCloseTo(want[i] ?? NaN, 9));
      }
    });
  });
}

describe('format equivalence on the tiny fixture', () => {
  it('legacy and new tracing logs give identical metric tables and centiles', async () => {
    const a = await load('new');
    const b = await load('legacy');
    try {
      const va = Object.fromEntries(a.m.byRun.get(a.runId)?.values ?? []);
      const vb = Object.fromEntries(b.m.byRun.get(b.runId)?.values ?? []);
      expect(Object.keys(va).length).toBeGreaterThan(50);
      expect(vb).toEqual(va);
      expect(b.m.centiles.map((c) => [c.metric, c.centile, c.value])).toEqual(a.m.centiles.map((c) => [c.metric, c.centile, c.value]));
    } finally {
      a.db.close();
      b.db.close();
    }
  });
});

describe('nonsense genesis values already in the warehouse (discovery rejects them; the SQL must not crash)', () => {
  it('slotLength 1e308, activeSlotsCoeff 1e-300, epochLength 0: times unknown, no exception', async () => {
    const ctx = await load('new');
    try {
      await ctx.db.exec(
        `UPDATE runs SET slot_length = 1e308, epoch_length = 0,
                info = json_merge_patch(info, '{"genesis": {"activeSlotsCoeff": 1e-300}}')`,
      );
      const m = await computeMetrics(ctx.db, [ctx.runId], [...DEFAULT_FILTERS, ...slotFilters(3, 5)]);
      const v = m.byRun.get(ctx.runId)?.values;
      // Counts do not need the slot clock; anything timed against T(slot) is unknown.
      expect(v?.get('blocks_forged')).toBe(5);
      expect(v?.get('forge_start_s')).toBeUndefined();
      expect(v?.get('slot_start_lag_s')).toBeUndefined();
    } finally {
      ctx.db.close();
    }
  });
});
