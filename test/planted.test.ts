// Verdicts on simulated runs with known answers (DESIGN §5, issue "variance analysis"):
//  - planted effects: 6 legacy-tracing vs 6 new-tracing runs, where the simulator plants
//    about +8% CPU, −15% RSS, −25% allocation and a smaller run-to-run CPU spread;
//  - A/A: 6 vs 6 runs of one configuration with different seeds → nothing flagged.
import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { CATALOGUE, silentLogger } from '../pipeline/core/index.js';
import { Warehouse, ingestRuns } from '../pipeline/warehouse/index.js';
import { discoverRuns } from '../pipeline/discover/index.js';
import { DEFAULT_FILTERS, computeMetrics } from '../pipeline/metrics/index.js';
import { EFFECTS, simulate } from '../pipeline/simulate/index.js';
import type { MetricComparison } from '../pipeline/core/index.js';
import { analyse } from '../pipeline/analysis/index.js';
import { runCli } from './helpers/cli.js';
import { scratchDir } from './helpers/scratch.js';

const SHAPE = { nodes: 5, slots: 150, runs: 6, rts: '' } as const;
const FLAGGED = new Set(['regressed', 'improved', 'changed']);

const tmp = scratchDir('bench-report-planted-');

async function compare(baseline: string[], candidate: string[]): Promise<Map<string, MetricComparison>> {
  const db = await Warehouse.open(':memory:');
  try {
    const runs = await discoverRuns([...baseline, ...candidate]);
    const ids = (await ingestRuns(db, runs, silentLogger)).map((r) => r.runId);
    const m = await computeMetrics(db, ids, DEFAULT_FILTERS);
    const vals = (slice: number[], id: string): (number | null)[] => slice.map((r) => m.byRun.get(r)?.values.get(id) ?? null);
    const comps = analyse(
      CATALOGUE.map((def) => ({
        def,
        baseline: vals(ids.slice(0, baseline.length), def.id),
        candidate: vals(ids.slice(baseline.length), def.id),
        noisePct: 2,
      })),
      { alpha: 0.05 },
    );
    return new Map(comps.map((c) => [c.id, c]));
  } finally {
    db.close();
  }
}

describe('planted effects: new tracing against legacy tracing, 6 vs 6 runs', () => {
  let comps: Map<string, MetricComparison>;
  beforeAll(async () => {
    const legacy = await simulate({ ...SHAPE, out: join(tmp.dir, 'legacy'), tracing: 'legacy', seed: 700 });
    const fresh = await simulate({ ...SHAPE, out: join(tmp.dir, 'new'), tracing: 'new', seed: 800 });
    comps = await compare(legacy, fresh);
  });

  const planted: [id: string, pct: number, verdict: string][] = [
    ['cpu_pct', (EFFECTS.tracing.new.mut ?? 1) * 100 - 100, 'regressed'],
    ['rss_mb', (EFFECTS.tracing.new.rss ?? 1) * 100 - 100, 'improved'],
    ['alloc_mb_s', (EFFECTS.tracing.new.alloc ?? 1) * 100 - 100, 'improved'],
  ];
  for (const [id, pct, verdict] of planted) {
    it(`${id}: ${verdict}, and the 95% CI of Δ% covers the planted ${pct.toFixed(0)}%`, () => {
      const c = comps.get(id);
      expect(c?.verdict).toBe(verdict);
      expect(c?.q_value).toBeLessThan(0.05);
      const [lo, hi] = c?.ci95_pct ?? [NaN, NaN];
      expect(lo).toBeLessThanOrEqual(pct);
      expect(hi).toBeGreaterThanOrEqual(pct);
    });
  }

  it('finds the smaller run-to-run CPU spread (F-test, BH-corrected)', () => {
    const v = comps.get('cpu_pct')?.variance;
    expect(v?.verdict).toBe('smaller');
    expect(v?.sd_ratio).toBeLessThan(0.5);
  });

  it('flags no propagation, forging or peer metric', () => {
    const flagged = [...comps.values()].filter((c) => ['propagation', 'peer', 'forging'].includes(c.section) && FLAGGED.has(c.verdict));
    expect(flagged.map((c) => c.id)).toEqual([]);
  });
});

describe('A/A: one configuration against itself, 6 vs 6 runs with different seeds', () => {
  it('flags nothing', async () => {
    const a = await simulate({ ...SHAPE, out: join(tmp.dir, 'a'), tracing: 'legacy', seed: 900, tagPrefix: 'a' });
    const b = await simulate({ ...SHAPE, out: join(tmp.dir, 'b'), tracing: 'legacy', seed: 950, tagPrefix: 'b' });
    const comps = await compare(a, b);
    expect(comps.size).toBe(CATALOGUE.length);
    const flagged = [...comps.values()].filter((c) => FLAGGED.has(c.verdict) || c.variance.verdict === 'smaller' || c.variance.verdict === 'larger');
    expect(flagged.map((c) => `${c.id}: ${c.verdict}/${c.variance.verdict}`)).toEqual([]);
  });
});

describe('the decision over a planted RSS +5% (issue 19)', () => {
  it('5 vs 5 with only RSS +5% planted: the decision is not ship, and names RSS with its interval', async () => {
    // The same seeds on both sides, so every run-level factor but the planted one is shared in
    // distribution; `report` as a user runs it, no gate.
    const shape = { nodes: 3, slots: 120, runs: 5, rts: '' } as const;
    const base = await simulate({ ...shape, tracing: 'new', out: join(tmp.dir, 'rss-base'), seed: 5100, tagPrefix: 'rss-base' });
    const cand = await simulate({ ...shape, tracing: 'new', out: join(tmp.dir, 'rss-cand'), seed: 5200, tagPrefix: 'rss-cand', plant: { rss: 1.05 } });
    const out = join(tmp.dir, 'rss-report');
    const r = await runCli('report', '-b', ...base, '-c', ...cand, '--out', out, '--format', 'json,md', '--db', join(tmp.dir, 'rss.duckdb'));
    expect(r.code, r.err).toBe(0);
    const json = JSON.parse(await readFile(join(out, 'report.json'), 'utf8')) as {
      decision: { status: string; line: string; costs: string[]; undecided: string[] };
      metrics: { id: string; delta_pct: number; ci95_pct: [number, number]; margin_pct: number; family: string }[];
    };
    const rss = json.metrics.find((m) => m.id === 'rss_mb');
    expect(rss?.family).toBe('primary');
    expect(rss?.delta_pct).toBeGreaterThan(2);
    expect(json.decision.status).not.toBe('ship');
    expect([...json.decision.costs, ...json.decision.undecided]).toContain('rss_mb');
    expect(json.decision.line).toMatch(/RSS \+\d/);
    // report.md opens with the same decision.
    const md = await readFile(join(out, 'report.md'), 'utf8');
    expect(md.split('\n')[2]).toMatch(/^\*\*(UNDECIDED|HOLD|TRADE-OFF)\*\* — .*RSS \+/);
  }, 300_000);
});
