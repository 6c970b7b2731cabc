// Checks the DESIGN §5 verdicts (pipeline/verdict.ts) on constructed run vectors, the generated
// observation sentences, and noise-threshold configuration (pipeline/noise-config.ts).
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { analyse, boundRatioCi, summarise, type MetricInput, loadNoiseConfig, noiseFor, thresholdFromSpread } from '../pipeline/analysis/index.js';
import { CliError } from '../pipeline/core/index.js';
import type { Better, MetricComparison, MetricDef } from '../pipeline/core/index.js';

function def(id: string, better: Better, title = id, unit = 'ms'): MetricDef {
  return { id, section: 'resources', title, unit, better, definition: '', kind: 'distribution' };
}

function input(d: MetricDef, baseline: (number | null)[], candidate: (number | null)[], noisePct = 2): MetricInput {
  return { def: d, baseline, candidate, noisePct };
}

function byId(comps: MetricComparison[], id: string): MetricComparison {
  const c = comps.find((x) => x.id === id);
  if (c === undefined) throw new Error(`no ${id}`);
  return c;
}

// R's `sleep` data shifted by +10 (a shift leaves Welch's t unchanged): R's
// t.test(extra ~ group, data = sleep) gives p = 0.07939, CI of the group difference
// −3.3654832 … 0.2054832. mean(b) = 10.75, mean(c) = 12.33, Δ% = 158/10.75 = 14.6977%.
const SLEEP_B = [0.7, -1.6, -0.2, -1.2, -0.1, 3.4, 3.7, 0.8, 0.0, 2.0].map((x) => x + 10);
const SLEEP_C = [1.9, 0.8, 1.1, 0.1, -0.1, 4.4, 5.5, 1.6, 4.6, 3.4].map((x) => x + 10);

// Spread example with a closed-form F(4,4) p-value: var 62.5 against var 0.625, F = 0.01,
// p = 2(3u² − 2u³), u = 0.01/1.01 → 0.000584296 (see stats.test.ts).
const WIDE = [100, 110, 90, 105, 95];
const TIGHT = [100, 101, 99, 100.5, 99.5];

const CATALOGUE = [
  def('cpu', 'lower', 'CPU use', '%'),
  def('tps', 'higher', 'Throughput', 'tx/s'),
  def('blocks', 'none', 'Blocks forged', 'blocks'),
  def('rss', 'lower', 'RSS', 'MB'),
  def('lat', 'lower', 'Adoption latency', 'ms'),
  def('few', 'lower', 'Slot battles', ''),
];

function everyVerdict(): MetricComparison[] {
  const [cpu, tps, blocks, rss, lat, few] = CATALOGUE as [MetricDef, MetricDef, MetricDef, MetricDef, MetricDef, MetricDef];
  return analyse(
    [
      // +10 on a mean of 100, sd 0.71 a side: t ≈ 22 on 8 df.
      input(cpu, [100, 101, 99, 100, 100], [110, 111, 109, 110, 110]),
      input(tps, [50, 51, 49, 50, 50], [55, 56, 54, 55, 55]),
      input(blocks, [200, 202, 198, 200, 200], [220, 222, 218, 220, 220]),
      // Δ = 0.5 on 1000; CI of Δ = 0.5 ± t(0.975, 8)·√0.2 = 0.5 ± 1.031 → −0.053 … 0.153 %.
      input(rss, [1000, 1001, 999, 1000, 1000], [1000.5, 1001.5, 999.5, 1000.5, 1000.5]),
      // Δ% = 5, but CI = 5 ± t(0.975, 4)·8.165 = 5 ± 22.7 %: neither.
      input(lat, [90, 110, 100], [95, 115, 105]),
      input(few, [3], [4, 5]),
    ],
    { alpha: 0.05 },
  );
}

describe('analyse: one verdict of each kind', () => {
  const comps = everyVerdict();
  it('verdicts', () => {
    expect(comps.map((c) => [c.id, c.verdict])).toEqual([
      ['cpu', 'regressed'],
      ['tps', 'improved'],
      ['blocks', 'changed'],
      ['rss', 'unchanged'],
      ['lat', 'inconclusive'],
      ['few', 'insufficient-data'],
    ]);
  });
  it('fields', () => {
    const cpu = byId(comps, 'cpu');
    expect(cpu).toMatchObject({ unit: '%', better: 'lower', ci_method: 'welch', noise_pct: 2 });
    expect(cpu.delta).toBeCloseTo(10, 10);
    expect(cpu.delta_pct).toBeCloseTo(10, 10);
    expect(cpu.baseline.mean).toBe(100);
    // Welch CI of Δ: 10 ± t(0.975, 8)·√(0.5/5 + 0.5/5) = 10 ± 2.306004·0.447214 = 10 ± 1.031276
    expect(cpu.ci95_pct?.[0]).toBeCloseTo(8.968724, 5);
    expect(cpu.ci95_pct?.[1]).toBeCloseTo(11.031276, 5);
    expect(cpu.p_value).toBeLessThan(1e-6);
    expect(cpu.q_value).toBeLessThan(1e-6);
    expect(cpu.p_value_mwu).not.toBeNull(); // 5 runs a side
    expect(byId(comps, 'lat').p_value_mwu).toBeNull(); // 3 runs a side
    // runs per side for noise 2% with pooled sd 10 on mean 100 (d = 0.2): 394, as
    // R's power.t.test(delta = 0.2, sd = 1, power = 0.8) n = 393.4.
    expect(byId(comps, 'lat').runs_needed).toBe(394);
    // (t(0.975, 4) + t(0.8, 4))·√(200/3) = 3.717410·8.164966 = 30.35 %
    expect(byId(comps, 'lat').mde_pct).toBeCloseTo(30.352, 2);
    const few = byId(comps, 'few');
    expect(few).toMatchObject({ p_value: null, q_value: null, ci95_pct: null, delta: 1.5 });
    expect(few.variance.verdict).toBe('insufficient-data');
  });
  it('improved also for lower-is-better falling', () => {
    const [c] = analyse([input(def('x', 'lower'), [110, 111, 109, 110, 110], [100, 101, 99, 100, 100])], { alpha: 0.05 });
    expect(c?.verdict).toBe('improved');
  });
  it('regressed also for higher-is-better falling', () => {
    const [c] = analyse([input(def('x', 'higher'), [110, 111, 109, 110, 110], [100, 101, 99, 100, 100])], { alpha: 0.05 });
    expect(c?.verdict).toBe('regressed');
  });
  it('Mann-Whitney p only from 4 runs a side', () => {
    const [c] = analyse([input(def('x', 'lower'), [1, 2, 3, 4], [5, 6, 7, 8])], { alpha: 0.05 });
    expect(c?.p_value_mwu).toBeCloseTo(2 / 70, 10);
  });
});

describe('analyse: thresholds and corrections', () => {
  it('significant but within the noise threshold is unchanged, not regressed', () => {
    // Δ% = 1 with a CI of about 0.7 … 1.3 %: q is tiny, yet |Δ%| < 2 and the CI is inside ±2.
    const [c] = analyse([input(def('x', 'lower'), [100, 100.1, 99.9], [101, 101.1, 100.9])], { alpha: 0.05 });
    expect(c?.p_value).toBeLessThan(0.001);
    expect(c?.verdict).toBe('unchanged');
    // With a 0.5% threshold the same data regress.
    const [d] = analyse([input(def('x', 'lower'), [100, 100.1, 99.9], [101, 101.1, 100.9], 0.5)], { alpha: 0.05 });
    expect(d?.verdict).toBe('regressed');
  });
  it('Benjamini-Hochberg across the report changes a verdict', () => {
    const sleep = input(def('sleep', 'lower'), SLEEP_B, SLEEP_C);
    // Alone at alpha 0.1: q = p = 0.07939 < 0.1 and Δ% = 14.7 ≥ 2 → regressed.
    const [alone] = analyse([sleep], { alpha: 0.1 });
    expect(alone?.p_value).toBeCloseTo(0.07939, 5);
    expect(alone?.q_value).toBeCloseTo(0.07939, 5);
    expect(alone?.verdict).toBe('regressed');
    // Two more metrics with p = 1 (constant and equal): q = 0.07939·3/1 = 0.23817 → inconclusive.
    const flat = (id: string): MetricInput => input(def(id, 'lower'), [5, 5], [5, 5, 5]);
    const three = analyse([sleep, flat('a'), flat('b')], { alpha: 0.1 });
    expect(three[0]?.q_value).toBeCloseTo(0.07939 * 3, 4);
    expect(three[0]?.verdict).toBe('inconclusive');
    expect(three[1]?.verdict).toBe('unchanged');
    // Metrics without a p-value do not join the family.
    const withNull = analyse([sleep, input(def('one', 'lower'), [1], [1, 2])], { alpha: 0.1 });
    expect(withNull[0]?.q_value).toBeCloseTo(0.07939, 5);
    expect(withNull[0]?.verdict).toBe('regressed');
    // And at the default alpha 0.05 the sleep data alone are inconclusive.
    expect(analyse([sleep], { alpha: 0.05 })[0]?.verdict).toBe('inconclusive');
  });
  it('Δ% scaling of the published Welch interval', () => {
    const [c] = analyse([input(def('sleep', 'lower'), SLEEP_B, SLEEP_C)], { alpha: 0.05 });
    // −0.2054832/10.75·100 = −1.911472 %, 3.3654832/10.75·100 = 31.306821 %
    expect(c?.delta_pct).toBeCloseTo(14.697674, 5);
    expect(c?.ci95_pct?.[0]).toBeCloseTo(-1.911472, 5);
    expect(c?.ci95_pct?.[1]).toBeCloseTo(31.306821, 5);
  });
  it('negative baseline mean keeps the interval ordered', () => {
    const [c] = analyse([input(def('x', 'none'), [-100, -101, -99], [-90, -91, -89])], { alpha: 0.05 });
    // Δ = +10 on a mean of −100: Δ% = −10.
    expect(c?.delta_pct).toBeCloseTo(-10, 10);
    const ci = c?.ci95_pct as [number, number];
    expect(ci[0]).toBeLessThan(ci[1]);
    expect(ci[1]).toBeLessThan(0);
    expect(c?.verdict).toBe('changed');
  });
});

describe('analyse: degenerate cases', () => {
  const a = (b: (number | null)[], c: (number | null)[], better: Better = 'lower'): MetricComparison =>
    analyse([input(def('x', better), b, c)], { alpha: 0.05 })[0] as MetricComparison;
  it('both constant and equal → unchanged, even at 0', () => {
    expect(a([7, 7, 7], [7, 7]).verdict).toBe('unchanged');
    const zero = a([0, 0, 0], [0, 0, 0]);
    expect(zero.verdict).toBe('unchanged');
    expect(zero.delta_pct).toBeNull();
  });
  it('both constant and different → by direction when beyond noise', () => {
    expect(a([100, 100], [105, 105]).verdict).toBe('regressed');
    expect(a([100, 100], [95, 95]).verdict).toBe('improved');
    expect(a([100, 100], [105, 105], 'none').verdict).toBe('changed');
    // Δ% = 1 < 2: the degenerate CI [1, 1] lies inside ±2.
    expect(a([100, 100], [101, 101]).verdict).toBe('unchanged');
  });
  it('baseline mean 0 and a change → inconclusive, Δ% n/a', () => {
    const c = a([-1, 1, 0], [2, 3, 4]);
    expect(c.delta_pct).toBeNull();
    expect(c.ci95_pct).toBeNull();
    expect(c.mde_pct).toBeNull();
    expect(c.verdict).toBe('inconclusive');
  });
  it('nulls in the runs are kept in order and ignored', () => {
    const c = a([100, null, 101, 99, 100, 100], [110, 111, null, 109, 110, 110]);
    expect(c.baseline.runs).toEqual([100, null, 101, 99, 100, 100]);
    expect(c.baseline.n).toBe(5);
    expect(c.verdict).toBe('regressed');
  });
});

describe('analyse: variance change', () => {
  const comps = analyse(
    [
      input(def('narrower', 'lower', 'CPU use', '%'), WIDE, TIGHT),
      input(def('wider', 'lower', 'RSS', 'MB'), TIGHT, WIDE),
    ],
    { alpha: 0.05 },
  );
  it('smaller and larger, with a family of their own', () => {
    const n = byId(comps, 'narrower').variance;
    expect(n.verdict).toBe('smaller');
    expect(n.sd_ratio).toBeCloseTo(0.1, 10);
    expect(n.p_value).toBeCloseTo(0.000584296, 8);
    // Two equal p-values: q = p·2/2.
    expect(n.q_value).toBeCloseTo(0.000584296, 8);
    const w = byId(comps, 'wider').variance;
    expect(w.verdict).toBe('larger');
    expect(w.sd_ratio).toBeCloseTo(10, 8);
    // The means did not move and the CI is wide: the change verdict stays inconclusive.
    expect(byId(comps, 'narrower').verdict).toBe('inconclusive');
  });
  it('inconclusive when q ≥ alpha or a side is constant', () => {
    const [c] = analyse([input(def('x', 'lower'), SLEEP_B, SLEEP_C)], { alpha: 0.05 });
    expect(c?.variance.p_value).toBeCloseTo(0.7427, 4); // R var.test(extra ~ group, sleep)
    expect(c?.variance.verdict).toBe('inconclusive');
    const [k] = analyse([input(def('x', 'lower'), [0, 0, 0], [0, 1, 0])], { alpha: 0.05 });
    expect(k?.variance).toMatchObject({ sd_ratio: null, p_value: null, q_value: null, verdict: 'inconclusive' });
  });
});

describe('summarise', () => {
  it('observations do not repeat the lists of decided changes', () => {
    const comps = [...everyVerdict(), ...analyse([input(def('narrower', 'lower', 'Peer delay', 'ms'), WIDE, TIGHT)], { alpha: 0.05 })];
    // cpu regressed, tps improved, blocks changed, a variance change: all in the lists already.
    expect(summarise(comps, [...CATALOGUE, def('narrower', 'lower', 'Peer delay', 'ms')]).observations).toEqual([]);
  });
  it('undecided: the largest harm the CI allows first, then runs needed, n/a Δ%, insufficient data', () => {
    const comps = [
      ...everyVerdict(),
      ...analyse([input(def('zero', 'lower', 'Rollbacks', ''), [0, 1, -1], [2, 3, 4])], { alpha: 0.05 }),
    ];
    const { undecided } = summarise(comps, [...CATALOGUE, def('zero', 'lower', 'Rollbacks', '')]);
    expect(undecided).toHaveLength(4);
    // lat: CI 5 ± t(0.975, 4)·8.165 = 5 ± 22.67 → −17.7 … +27.7%: a rise up to +27.7%.
    expect(undecided[0]).toBe('Adoption latency: a rise up to +27.7% is not ruled out (Δ% +5.00%, noise threshold ±2.00%).');
    expect(undecided[1]).toContain('Inconclusive for Adoption latency');
    expect(undecided[1]).toContain('about 394 runs per side');
    expect(undecided[2]).toContain('Rollbacks');
    expect(undecided[2]).toContain('baseline mean is 0');
    expect(undecided[3]).toContain('Insufficient data for Slot battles');
  });
  it('ranks the risks by the largest harm in noise thresholds, and a higher-is-better metric by its fall', () => {
    const defs = [def('a', 'lower', 'A'), def('b', 'lower', 'B'), def('t', 'higher', 'T', 'tx/s')];
    const comps = analyse(
      [
        input(defs[0] as MetricDef, [90, 110, 100], [95, 115, 105]), // CI 5 ± 22.67 → up to +27.7
        input(defs[1] as MetricDef, [80, 120, 100], [85, 125, 105]), // CI 5 ± 45.3 → up to +50.3
        input(defs[2] as MetricDef, [90, 110, 100], [95, 115, 105]), // higher is better: down to −17.7
      ],
      { alpha: 0.05 },
    );
    const { undecided } = summarise(comps, defs);
    expect(undecided.slice(0, 3)).toEqual([
      'B: a rise up to +50.3% is not ruled out (Δ% +5.00%, noise threshold ±2.00%).',
      'A: a rise up to +27.7% is not ruled out (Δ% +5.00%, noise threshold ±2.00%).',
      'T: a fall down to −17.7% is not ruled out (Δ% +5.00%, noise threshold ±2.00%).',
    ]);
    expect(undecided[3]).toMatch(/^Inconclusive for A, B and T: .*, B needing the most\.$/);
    // With A's threshold at 10%: 27.7/10 = 2.77 thresholds ranks after T's 17.7/2 = 8.85.
    const wide = analyse([input(defs[0] as MetricDef, [90, 110, 100], [95, 115, 105], 10), input(defs[2] as MetricDef, [90, 110, 100], [95, 115, 105])], { alpha: 0.05 });
    expect(summarise(wide, defs).undecided.slice(0, 2).map((l) => l.slice(0, 2))).toEqual(['T:', 'A:']);
  });
  it('CPU, GC and mutator CPU moving together are one finding', () => {
    const titles = [def('cpu_pct', 'lower', 'CPU use', '%'), def('gc_cpu_pct', 'lower', 'GC CPU use', '%'), def('mut_cpu_pct', 'lower', 'Mutator CPU use', '%')];
    const up = [110, 111, 109, 110, 110];
    const base = [100, 101, 99, 100, 100];
    const all = analyse(titles.map((d) => input(d, base, up)), { alpha: 0.05 });
    expect(summarise(all, titles).observations).toEqual([
      'CPU, GC and mutator CPU all rose (CPU use +10.0%, GC CPU use +10.0%, Mutator CPU use +10.0%): one finding — the node does more or less work of both kinds, not a shift between them.',
    ]);
    const gcOnly = analyse(
      [input(titles[0] as MetricDef, base, [92.5, 93.5, 91.5, 92.5, 92.5]), input(titles[1] as MetricDef, base, [70, 71, 69, 70, 70]), input(titles[2] as MetricDef, base, base)],
      { alpha: 0.05 },
    );
    expect(summarise(gcOnly, titles).observations).toEqual([
      'CPU use −7.50%, GC CPU use −30.0% fell together while Mutator CPU use did not change decidedly: one finding — the change is in the garbage collector.',
    ]);
  });
  it('a CI that excludes 0 with q ≥ α, and q < α inside the noise, are explained once for all the metrics they concern', () => {
    const x = def('x', 'lower', 'X');
    // t = 2.7/0.8165 = 3.307 on 4 df → p 0.02974; with a p = 1 metric beside it q = 2p = 0.0595.
    // CI of Δ: 2.7 ± 2.776·0.8165 → 0.433 … 4.967, of 11: 3.94–45.2%.
    const comps = analyse([input(x, [10, 11, 12], [12.7, 13.7, 14.7]), input(def('y', 'lower', 'Y'), [10, 11, 12], [10, 11, 12])], { alpha: 0.05 });
    expect(summarise(comps, [x]).observations).toEqual([
      "The 95% CI of Δ% excludes 0 but q ≥ 0.05 for X (3.94–45.2%, q = 0.059): an interval speaks for its metric alone, q corrects for all 2 comparisons of the report's families, so no verdict.",
    ]);
    // Δ 5 on 1000 (0.5%), t = 5/0.447 on 8 df: q < 0.001, but inside the 2% noise → unchanged.
    const rss = def('rss', 'lower', 'RSS', 'MB');
    const small = analyse([input(rss, [1000, 1001, 999, 1000, 1000], [1005, 1006, 1004, 1005, 1005])], { alpha: 0.05 });
    expect(small[0]?.verdict).toBe('unchanged');
    expect(summarise(small, [rss]).observations).toEqual([
      'Real changes too small to count (q < 0.05, |Δ%| inside the noise threshold): RSS +0.500% (q < 0.001, threshold ±2.00%).',
    ]);
  });
  it('a Δ% interval of a non-negative metric stops at −100%', () => {
    expect(boundRatioCi([-130, -20], [1, 2], [0, 1])).toEqual([-100, -20]);
    expect(boundRatioCi([-130, -120], [1, 2], [0, null])).toEqual([-100, -100]);
    // A metric that can go negative keeps its interval.
    expect(boundRatioCi([-130, -20], [1, -2], [0, 1])).toEqual([-130, -20]);
    // Through analyse: baseline 1, 2, 3 (mean 2), candidate 0, 0, 0.1: Welch's lower end is −2.05 → −102%.
    const [c] = analyse([input(def('m', 'lower'), [1, 2, 3], [0, 0, 0.1])], { alpha: 0.05 });
    expect(c?.ci95_pct?.[0]).toBe(-100);
  });
  it('nothing to say', () => {
    expect(summarise([], [])).toEqual({ observations: [], undecided: [] });
  });
});

describe('noise config', () => {
  let dir = '';
  beforeAll(async () => {
    dir = await mkdtemp(join(tmpdir(), 'noise-'));
  });
  afterAll(async () => {
    await rm(dir, { recursive: true, force: true });
  });
  const file = async (name: string, text: string): Promise<string> => {
    const p = join(dir, name);
    await writeFile(p, text);
    return p;
  };

  it('reads JSON and YAML', async () => {
    const j = await file('n.json', '{"noise_pct": 2.5, "alpha": 0.1, "metrics": {"cpu_pct": 3, "rss_mb": 5}}');
    expect(await loadNoiseConfig(j)).toEqual({ default: 2.5, alpha: 0.1, metrics: { cpu_pct: 3, rss_mb: 5 } });
    const y = await file('n.yaml', 'noise_pct: 2\nmetrics:\n  cpu_pct: 3\n');
    expect(await loadNoiseConfig(y)).toEqual({ default: 2, metrics: { cpu_pct: 3 } });
    const yml = await file('n.yml', 'metrics: {}\n');
    expect(await loadNoiseConfig(yml)).toEqual({ metrics: {} });
  });
  it('errors name the file and the problem', async () => {
    const missing = join(dir, 'nope.yaml');
    await expect(loadNoiseConfig(missing)).rejects.toThrow(CliError);
    await expect(loadNoiseConfig(missing)).rejects.toThrow(`Noise config ${missing} does not exist.`);
    const badJson = await file('b.json', '{"noise_pct": ');
    await expect(loadNoiseConfig(badJson)).rejects.toThrow(/b\.json is not valid JSON/);
    const badYaml = await file('b.yaml', 'metrics: [1, 2\n');
    await expect(loadNoiseConfig(badYaml)).rejects.toThrow(/b\.yaml is not valid YAML/);
    const neg = await file('neg.json', '{"metrics": {"cpu_pct": -1}}');
    await expect(loadNoiseConfig(neg)).rejects.toThrow('metrics.cpu_pct must be a number ≥ 0');
    const alpha = await file('a.json', '{"alpha": 5}');
    await expect(loadNoiseConfig(alpha)).rejects.toThrow('alpha must be a number between 0 and 1');
    const typo = await file('t.json', '{"noise": 2}');
    await expect(loadNoiseConfig(typo)).rejects.toThrow('unknown key "noise"');
    const list = await file('l.yaml', '- 1\n- 2\n');
    await expect(loadNoiseConfig(list)).rejects.toThrow(/l\.yaml is invalid/);
    const txt = await file('n.txt', '{}');
    await expect(loadNoiseConfig(txt)).rejects.toThrow(/must end in \.json, \.yaml or \.yml/);
  });
  it('thresholds from spread: twice the CoV, rounded up to 0.5%, at least 1%', () => {
    expect(thresholdFromSpread([20, 21, 19])).toBe(10); // sd 1 on 20: CoV 5% → 10
    expect(thresholdFromSpread([100, 101.2, 98.8])).toBe(2.5); // CoV 1.2% → 2.4 → 2.5
    expect(thresholdFromSpread([100, 100.5, 99.5])).toBe(1); // CoV 0.5% → 1
    expect(thresholdFromSpread([100, 100.1, 99.9])).toBe(1); // CoV 0.1% → 0.2 → at least 1
    expect(thresholdFromSpread([0, 0, 0])).toBeNull();
    expect(thresholdFromSpread([5])).toBeNull();
  });
  it('precedence: per metric > CLI > config default > history > catalogue > 2', () => {
    const cfg = { default: 4, metrics: { cpu_pct: 3 } };
    expect(noiseFor('cpu_pct', cfg, 1)).toBe(3);
    expect(noiseFor('rss_mb', cfg, 1)).toBe(1);
    expect(noiseFor('rss_mb', cfg)).toBe(4);
    expect(noiseFor('rss_mb', { metrics: {} }, undefined, { rss_mb: 3.5 })).toBe(3.5);
    // The catalogue's A/A-derived default (pipeline/catalogue.ts NOISE_PCT).
    expect(noiseFor('rss_mb', { metrics: {} })).toBe(6);
    expect(noiseFor('rss_mb', undefined)).toBe(6);
    expect(noiseFor('no_such_metric', undefined)).toBe(2);
    expect(noiseFor('toString', { metrics: {} })).toBe(2);
  });
});
