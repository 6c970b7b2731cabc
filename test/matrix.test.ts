// Multi-way comparison (DESIGN §5.2, issue 10): candidate sets from -c occurrences, --split-by,
// mixed-configuration warnings, one BH family over every (metric, candidate), matrix@1 JSON,
// and one report of three simulated RTS configurations with each planted effect in its column.
import { mkdtemp, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { CATALOGUE } from '../pipeline/core/index.js';
import { main } from '../pipeline/cli.js';
import { coincidingCentiles, compareSets, mixedConfigurationWarnings, optionOccurrences, splitSets, uniqueLabels } from '../pipeline/analysis/index.js';
import type { Warehouse } from '../pipeline/warehouse/index.js';
import type { MetricsResult } from '../pipeline/metrics/index.js';
import { simulate } from '../pipeline/simulate/index.js';
import type { RunInfo } from '../pipeline/core/index.js';

function run(tag: string, over: Partial<RunInfo> = {}): RunInfo {
  return {
    tag,
    path: `/runs/${tag}`,
    batch: null,
    profile: 'p',
    era: null,
    ghcVersion: null,
    nodeVersion: '10.1.4',
    nodeBranch: null,
    nodeCommit: null,
    tracingBackend: 'trace-dispatcher',
    rtsFlags: [],
    rtsOverride: [],
    hosts: 6,
    tps: null,
    genesis: { systemStart: '', slotLength: 1, epochLength: 100, activeSlotsCoeff: null, securityParam: null, maxBlockBodySize: null },
    nodes: [],
    fingerprint: tag,
    ...over,
  };
}

describe('candidate sets from the command line', () => {
  it('each -c occurrence is one set, whatever spelling', () => {
    expect(optionOccurrences(['-b', 'x', '-c', 'a', 'b', '-c', 'c', 'd', '--out', 'o'], '-c', '--candidate')).toEqual([
      ['a', 'b'],
      ['c', 'd'],
    ]);
    expect(optionOccurrences(['--candidate=a', 'b', '-cz', '--candidate', 'q', '--', '-c', 'r'], '-c', '--candidate')).toEqual([
      ['a', 'b'],
      ['z'],
      ['q'],
    ]);
    // Values after another option belong to it, not to the last candidate set.
    expect(optionOccurrences(['-c', 'a', '--title', 't', 'b'], '-c', '--candidate')).toEqual([['a']]);
  });

  it('--split-by rts splits a set by its RTS override, first-seen order', () => {
    const a = run('a', { rtsOverride: ['-N4'] });
    const b = run('b', { rtsOverride: ['-xn'] });
    const c = run('c', { rtsOverride: ['-N4'] });
    expect(splitSets([[a, b, c]], 'rts').map((s) => s.map((r) => r.tag))).toEqual([['a', 'c'], ['b']]);
    expect(() => splitSets([[a]], 'colour')).toThrow(/--split-by colour: unknown field; use one of tracing, rts/);
  });

  it('a set that mixes configurations gets one warning naming the fields', () => {
    const w = mixedConfigurationWarnings([
      { name: 'baseline', runs: [run('a'), run('b')] },
      { name: 'candidate', runs: [run('c', { rtsFlags: ['-N4'] }), run('d', { rtsFlags: ['-xn'] })] },
    ]);
    expect(w).toHaveLength(1);
    expect(w[0]?.code).toBe('mixed-configuration');
    expect(w[0]?.run).toBeNull();
    expect(w[0]?.message).toContain('The candidate set mixes configurations in RTS flags (-N4 / -xn)');
  });

  it('labels stay unique', () => {
    expect(uniqueLabels(['new', 'new', 'old', 'new'])).toEqual(['new', 'new (2)', 'old', 'new (3)']);
  });
});

describe('one Benjamini-Hochberg family over every (metric, candidate)', () => {
  // Only cpu_pct has values: baseline 10, 11, 12; candidate A the same; candidate B 20, 21, 22.
  const values = new Map<number, number>([
    [1, 10], [2, 11], [3, 12],
    [4, 10], [5, 11], [6, 12],
    [7, 20], [8, 21], [9, 22],
  ]);
  const metrics = {
    byRun: new Map([...values].map(([id, v]) => [id, { values: new Map([['cpu_pct', v]]) }])),
  } as unknown as MetricsResult;
  const db = null as unknown as Warehouse; // not read with more than one run a side

  it('q doubles when a second comparison joins the family', async () => {
    const one = await compareSets(db, metrics, { baseline: [1, 2, 3], candidates: [[7, 8, 9]], labels: ['B'], alpha: 0.05, noiseConfig: null, noise: 2 });
    const two = await compareSets(db, metrics, { baseline: [1, 2, 3], candidates: [[4, 5, 6], [7, 8, 9]], labels: ['A', 'B'], alpha: 0.05, noiseConfig: null, noise: 2 });
    const cpu = (c: typeof one, k: number) => c.perCandidate[k]?.find((m) => m.id === 'cpu_pct');
    // Welch: Δ 10, se √(1/3 + 1/3) = 0.8165, t 12.25 on 4 df → p 2.552e-4; alone q = p.
    expect(cpu(one, 0)?.p_value).toBeCloseTo(2.552e-4, 7);
    expect(cpu(one, 0)?.q_value).toBeCloseTo(2.552e-4, 7);
    // With A (p = 1) in the family: sorted p (2.552e-4, 1) → q_B = 2·p_B, q_A = 1.
    expect(cpu(two, 1)?.q_value).toBeCloseTo(5.104e-4, 7);
    expect(cpu(two, 0)?.q_value).toBe(1);
    // Δ% 100·10/11 = 90.91; CI (10 ± 2.776·0.8165)/11 → 70.30 … 111.52.
    expect(cpu(two, 1)?.delta_pct).toBeCloseTo(90.909, 3);
    expect(cpu(two, 1)?.ci95_pct?.[0]).toBeCloseTo(70.3, 1);
    expect(cpu(two, 1)?.ci95_pct?.[1]).toBeCloseTo(111.52, 1);
    expect(cpu(two, 1)?.verdict).toBe('regressed');
    expect(cpu(two, 0)?.verdict).toBe('inconclusive');
    expect(two.perCandidate.map((p) => p.length)).toEqual([CATALOGUE.length, CATALOGUE.length]);
    // Sentences name their set: A's CI (±20.6%, see above for B's half-width 2.2668/11) allows harm.
    expect(two.undecided[0]).toBe('A: CPU use: a rise up to +20.6% is not ruled out (Δ% +0.00%, noise threshold ±2.00%).');
  });
});

describe('a 3-configuration report of simulated runs (default, -N4, -xn)', () => {
  let tmp: string;
  let json: {
    schema: string;
    sets: { label: string; runs: unknown[] }[];
    metrics: { id: string; sets: { n: number }[]; comparisons: { candidate: number; verdict: string; delta_pct: number }[] }[];
    warnings: unknown[];
    gate: unknown;
  };
  let html: string;
  let md: string;
  const shape = { tracing: 'new', nodes: 4, slots: 120, runs: 4, gzip: false } as const;

  beforeAll(async () => {
    tmp = await mkdtemp(join(tmpdir(), 'bench-report-matrix-'));
    await simulate({ ...shape, rts: '', out: join(tmp, 'base'), seed: 100 });
    await simulate({ ...shape, rts: '-N4', out: join(tmp, 'n4'), seed: 200 });
    await simulate({ ...shape, rts: '-xn', out: join(tmp, 'xn'), seed: 300 });
    const out = join(tmp, 'out');
    const code = await main(['node', 'bench-report', 'report', '-b', join(tmp, 'base'), '-c', join(tmp, 'n4'), '-c', join(tmp, 'xn'), '-o', out, '-f', 'html,json,md', '--db', join(tmp, 'w.duckdb')]);
    expect(code).toBe(0);
    json = JSON.parse(await readFile(join(out, 'report.json'), 'utf8')) as typeof json;
    html = await readFile(join(out, 'report.html'), 'utf8');
    md = await readFile(join(out, 'report.md'), 'utf8');
  }, 120_000);
  afterAll(async () => {
    await rm(tmp, { recursive: true, force: true });
  });

  it('writes matrix@1 with the baseline first and one comparison per candidate set', () => {
    expect(json.schema).toBe('bench-report/matrix@1');
    expect(json.sets.map((s) => s.label)).toEqual(['new tracing', 'new tracing -N4', 'new tracing -xn']);
    expect(json.sets.map((s) => s.runs.length)).toEqual([4, 4, 4]);
    expect(json.gate).toBeNull();
    const cpu = json.metrics.find((m) => m.id === 'cpu_pct');
    expect(cpu?.sets.map((s) => s.n)).toEqual([4, 4, 4]);
    expect(cpu?.comparisons.map((c) => c.candidate)).toEqual([1, 2]);
  });

  it('finds -N4’s CPU cost in its own column and -xn’s fewer major GCs in its own', () => {
    const verdict = (id: string, k: number) => json.metrics.find((m) => m.id === id)?.comparisons[k]?.verdict;
    // EFFECTS: -N4 multiplies mutator and GC CPU by 1.05; -xn halves major GCs.
    expect(verdict('cpu_pct', 0)).toBe('regressed');
    expect(verdict('cpu_pct', 1)).not.toBe('regressed');
    expect(verdict('gc_major_per_s', 1)).toBe('improved');
    expect(verdict('gc_major_per_s', 0)).not.toBe('improved');
    const cpu = json.metrics.find((m) => m.id === 'cpu_pct')?.comparisons[0]?.delta_pct ?? 0;
    expect(cpu).toBeGreaterThan(3.5);
    expect(cpu).toBeLessThan(6.5);
  });

  it('renders a matrix table, a forest plot and the trade-off chart; the Markdown names the sets', () => {
    expect(html).toContain('<table class="verdicts matrix">');
    expect(html).toContain('id="chart-forest-resources"');
    expect(html).toContain('id="chart-tradeoff-cpu-rss"');
    expect(html).toContain('<dt>Candidate 2</dt><dd>new tracing -xn · 4 runs</dd>');
    expect(md).toContain('new tracing -N4');
    expect(md).toContain('new tracing -xn');
  });
});

describe('adoption centiles that pick the same node', () => {
  // 6 nodes: nearest rank ⌈0.9·6⌉ = ⌈0.92·6⌉ = … = 6, so p90 … p100 are the last node's delay.
  const ids = ['adoption_p50_s', 'adoption_p80_s', 'adoption_p90_s', 'adoption_p92_s', 'adoption_p94_s', 'adoption_p96_s', 'adoption_p98_s', 'adoption_p100_s'];
  const perRun = (id: number, base: number) =>
    [id, { values: new Map(ids.map((m, i) => [m, i < 2 ? base + i : base + 2])) }] as const;
  const metrics = { byRun: new Map([perRun(1, 1), perRun(2, 1.5), perRun(3, 1.2), perRun(4, 1.1), perRun(5, 1.4), perRun(6, 1.3)]) } as unknown as MetricsResult;

  const valuesIn = (m: MetricsResult, runs: number[]) => (id: string) => runs.map((r) => m.byRun.get(r)?.values.get(id) ?? null);

  it('are found from the run values and mapped to the lowest centile of their group', () => {
    const same = coincidingCentiles(ids, valuesIn(metrics, [1, 2, 3, 4, 5, 6]));
    expect([...same]).toEqual(ids.slice(3).map((id) => [id, 'adoption_p90_s']));
    // One run that differs breaks the group.
    const odd = { byRun: new Map<number, unknown>([...metrics.byRun, [7, { values: new Map(ids.map((m) => [m, m === 'adoption_p100_s' ? 9 : 1])) }]]) } as unknown as MetricsResult;
    expect([...coincidingCentiles(ids, valuesIn(odd, [1, 7])).keys()]).toEqual(['adoption_p92_s', 'adoption_p94_s', 'adoption_p96_s', 'adoption_p98_s']);
  });

  it('are tested once: copies of the group’s comparison, outside the BH family', async () => {
    const res = await compareSets(null as unknown as Warehouse, metrics, { baseline: [1, 2, 3], candidates: [[4, 5, 6]], labels: ['c'], alpha: 0.05, noiseConfig: null, noise: 2 });
    const byId = new Map(res.comparisons.map((c) => [c.id, c]));
    expect(byId.get('adoption_p100_s')?.coincides_with).toBe('adoption_p90_s');
    expect(byId.get('adoption_p100_s')?.p_value).toBe(byId.get('adoption_p90_s')?.p_value);
    expect(byId.get('adoption_p90_s')?.coincides_with).toBeUndefined();
    // Family: p50, p80, p90 have p-values (3 tests, not 8); all three sets are equal in shape, so
    // each p is the same and q = p. p50: baseline 1, 1.5, 1.2 (var 0.06333) against 1.1, 1.4, 1.3
    // (var 0.02333): Δ 0.03333, se √(0.02889) = 0.16997, t 0.1961 on Welch df 3.30 → p 0.856.
    const p = byId.get('adoption_p50_s')?.p_value ?? NaN;
    expect(p).toBeCloseTo(0.856, 3);
    expect(byId.get('adoption_p50_s')?.q_value).toBeCloseTo(p, 10);
  });
});

describe('resource time series (queries/60_fct_resource_series.sql)', () => {
  it('leaves out the last bucket that holds only the final samples', async () => {
    const { Warehouse } = await import('../pipeline/warehouse/index.js');
    const db = await Warehouse.open(':memory:');
    try {
      // One node, a sample every second for 120 s (t in µs), CPU 10 but 100 at the very end.
      await db.exec(
        `CREATE OR REPLACE TEMP TABLE stg_resources AS
         SELECT 1 AS run_id, (i * 1000000)::BIGINT AS t, CASE WHEN i = 120 THEN 100.0 ELSE 10.0 END AS cpu_pct, 2000.0 AS rss_mb
         FROM range(0, 121) AS r(i)`,
      );
      const rows = await db.queryFile<{ run_id: number; t: number; cpu_pct: number }>('60_fct_resource_series.sql');
      // Width 120 s / 60 = 2 s: buckets 0 … 59 (2 samples each); bucket 60 held only t = 120 s.
      expect(rows).toHaveLength(60);
      expect(rows[59]).toMatchObject({ t: 118, cpu_pct: 10 });
      expect(Math.max(...rows.map((r) => r.cpu_pct))).toBe(10);
    } finally {
      db.close();
    }
  });
});
