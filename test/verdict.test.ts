// Checks the DESIGN §5 verdicts (pipeline/verdict.ts) on constructed run vectors, the generated
// observation sentences, and noise-threshold configuration (pipeline/noise-config.ts).
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { analyse, summarise, type MetricInput } from '../pipeline/verdict.js';
import { loadNoiseConfig, noiseFor } from '../pipeline/noise-config.js';
import { CliError } from '../pipeline/errors.js';
import type { Better, MetricComparison, MetricDef } from '../pipeline/types.js';

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
  it('observations, most important first, with the right numbers', () => {
    const comps = [...everyVerdict(), ...analyse([input(def('narrower', 'lower', 'Peer delay', 'ms'), WIDE, TIGHT)], { alpha: 0.05 })];
    const { observations } = summarise(comps, [...CATALOGUE, def('narrower', 'lower', 'Peer delay', 'ms')]);
    expect(observations).toHaveLength(4);
    // CI 8.968724 … 11.031276 (see above) → 8.97–11.0; q < 0.001.
    expect(observations[0]).toBe(
      'CPU use rose 10.0%, from 100% to 110% (95% CI 8.97–11.0%, q < 0.001): a regression.',
    );
    expect(observations[1]).toMatch(/^Throughput rose 10\.0%, from 50\.0 tx\/s to 55\.0 tx\/s .*: an improvement\.$/);
    expect(observations[2]).toMatch(/^Blocks forged rose 10\.0%, from 200 blocks to 220 blocks \(95% CI .*\)\.$/);
    expect(observations[3]).toBe(
      'Run-to-run spread of Peer delay was smaller: sd ratio 0.100 (candidate 0.791 ms against 7.91 ms, q < 0.001).',
    );
  });
  it('published sleep numbers in a sentence', () => {
    const comps = analyse([input(def('sleep', 'lower', 'Sleep', 'h'), SLEEP_B, SLEEP_C)], { alpha: 0.1 });
    const { observations } = summarise(comps, []);
    // Δ% 14.6977 → 14.7; CI −1.911 … 31.307 → −1.91% to 31.3%; q 0.07939 → 0.079.
    // Title falls back to the id when the catalogue lacks it.
    expect(observations[0]).toContain('sleep rose 14.7%');
    expect(observations[0]).toContain('to 12.3 h');
    expect(observations[0]).toContain('(95% CI −1.91% to 31.3%, q = 0.079): a regression.');
  });
  it('a fall is stated as a positive size with the interval of the fall', () => {
    const comps = analyse([input(def('rss', 'lower', 'RSS', 'MB'), [110, 111, 109, 110, 110], [100, 101, 99, 100, 100])], { alpha: 0.05 });
    const { observations } = summarise(comps, []);
    // Δ% = −10/110 = −9.0909; CI of Δ = −10 ± 1.031276 = −11.031276 … −8.968724, i.e.
    // −10.0284 … −8.1534 % of 110: a fall of 8.15–10.0%.
    expect(observations[0]).toMatch(/^rss fell 9\.09%, from 110 MB to 100 MB \(95% CI 8\.15–10\.0%, q < 0\.001\): an improvement\.$/);
  });
  it('undecided: inconclusive with runs needed, n/a Δ%, insufficient data', () => {
    const comps = [
      ...everyVerdict(),
      ...analyse([input(def('zero', 'lower', 'Rollbacks', ''), [0, 1, -1], [2, 3, 4])], { alpha: 0.05 }),
    ];
    const { undecided } = summarise(comps, [...CATALOGUE, def('zero', 'lower', 'Rollbacks', '')]);
    expect(undecided).toHaveLength(3);
    expect(undecided[0]).toContain('Inconclusive for Adoption latency');
    expect(undecided[0]).toContain('about 394 runs per side');
    expect(undecided[1]).toContain('Rollbacks');
    expect(undecided[1]).toContain('baseline mean is 0');
    expect(undecided[2]).toContain('Insufficient data for Slot battles');
  });
  it('groups many inconclusive metrics and names the one needing most runs', () => {
    const defs = ['a', 'b', 'c'].map((id) => def(id, 'lower', id.toUpperCase()));
    const comps = analyse(
      [
        input(defs[0] as MetricDef, [90, 110, 100], [95, 115, 105]), // sd 10: 394
        input(defs[1] as MetricDef, [80, 120, 100], [85, 125, 105]), // sd 20: more
        input(defs[2] as MetricDef, [95, 105, 100], [97, 107, 102]),
      ],
      { alpha: 0.05 },
    );
    const { undecided, observations } = summarise(comps, defs);
    expect(observations).toEqual([]);
    expect(undecided).toHaveLength(1);
    expect(undecided[0]).toMatch(/^Inconclusive for A, B and C: .*, B needing the most\.$/);
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
  it('precedence: per metric > CLI > config default > 2', () => {
    const cfg = { default: 4, metrics: { cpu_pct: 3 } };
    expect(noiseFor('cpu_pct', cfg, 1)).toBe(3);
    expect(noiseFor('rss_mb', cfg, 1)).toBe(1);
    expect(noiseFor('rss_mb', cfg)).toBe(4);
    expect(noiseFor('rss_mb', { metrics: {} })).toBe(2);
    expect(noiseFor('rss_mb', undefined)).toBe(2);
    expect(noiseFor('toString', { metrics: {} })).toBe(2);
  });
});
