// Decisions a nightly job and a release review can trust (DESIGN §5.5, issue 19): the
// prediction for the mean of m new runs, primary and exploratory BH families, margins that make
// "unchanged" a claim, the decision line, and budgets that bind. Values computed by hand below
// (t quantiles from tables: t(0.975, 5) = 2.570582, t(0.975, 21) = 2.079614).
import { describe, expect, it } from 'vitest';
import { analyse, classify, decideSet, familyQ, marginPct, predictionTest, runToRunMethod } from '../pipeline/analysis/index.js';
import { evaluateGate, type GateSpec } from '../pipeline/gate/index.js';
import type { MetricComparison, MetricDef } from '../pipeline/core/index.js';
import { CATALOGUE } from '../pipeline/core/index.js';

const def = (id: string, better: MetricDef['better'] = 'lower'): MetricDef => ({ id, section: 'resources', title: id === 'rss_mb' ? 'RSS' : id, unit: 'MiB', better, definition: '', kind: 'distribution' });

describe('predictionTest for the mean of m new runs', () => {
  it('uses the baseline sd with √(1/m + 1/n) and n − 1 degrees of freedom', () => {
    // b = 10, 11, 9, 10, 10.5, 9.5: mean 10, SS = 2.5, var 0.5, sd 0.7071068.
    // c̄ = 11.5 of m = 2: se = 0.7071068·√(1/2 + 1/6) = 0.5773503, Δ = 1.5, t = 2.598076, df 5;
    // half-width 2.570582·0.5773503 = 1.484126 → Δ interval 0.015874 … 2.984126.
    const r = predictionTest([10, 11, 9, 10, 10.5, 9.5], 11.5, 0.95, 2);
    expect(r?.se).toBeCloseTo(0.5773503, 6);
    expect(r?.df).toBe(5);
    expect(r?.t).toBeCloseTo(2.598076, 5);
    expect(r?.ci[0]).toBeCloseTo(0.015874, 5);
    expect(r?.ci[1]).toBeCloseTo(2.984126, 5);
    // m = 1 is the one-run prediction interval: se = sd·√(1 + 1/6) = 0.7637626.
    expect(predictionTest([10, 11, 9, 10, 10.5, 9.5], 11.5)?.se).toBeCloseTo(0.7637626, 6);
  });

  it('is the method for few candidate runs against many baseline runs; Welch where both sides have enough', () => {
    expect(runToRunMethod(22, 2)).toBe('prediction-interval');
    expect(runToRunMethod(3, 1)).toBe('prediction-interval');
    expect(runToRunMethod(3, 2)).toBe('prediction-interval');
    expect(runToRunMethod(10, 3)).toBe('prediction-interval'); // 3 < 10/3
    expect(runToRunMethod(9, 3)).toBe('welch');
    expect(runToRunMethod(5, 5)).toBe('welch');
    expect(runToRunMethod(2, 2)).toBe('welch');
    expect(runToRunMethod(2, 1)).toBe('welch'); // → insufficient-data
  });

  it('more data never decides less: 2 runs at +10% against 22 regress as 1 run does', () => {
    // RSS run values with a 2% spread: 1000 ± 20·(a repeating pattern of mean 0).
    const pattern = [-1, 0.5, 1, -0.5, 0, 1.5, -1.5, 0, 1, -1, 0];
    const base = [...pattern, ...pattern].map((d) => 1000 + 20 * d);
    const rss = (cand: number[]) =>
      analyse([{ def: def('rss_mb'), baseline: base, candidate: cand, noisePct: 5.5 }], { alpha: 0.05 })[0] as MetricComparison;
    const two = rss([1095, 1111]);
    const one = rss([1095]);
    expect(two.method).toBe('prediction-interval');
    expect(two.verdict).toBe('regressed');
    expect(one.verdict).toBe('regressed');
    // The candidate's own spread (2 runs, 1 df) plays no part: the interval is the baseline's.
    // mean 1000, sd of base = 20·sd(pattern); Δ% = +10.3; half-width = t(0.975, 21)·sd·√(1/2 + 1/22)/10.
    const sd = Math.sqrt(base.reduce((s, x) => s + (x - 1000) ** 2, 0) / 21);
    const half = (2.079614 * sd * Math.sqrt(1 / 2 + 1 / 22)) / 10;
    expect(two.delta_pct).toBeCloseTo(10.3, 10);
    expect(two.ci95_pct?.[0]).toBeCloseTo(10.3 - half, 4);
    expect(two.ci95_pct?.[1]).toBeCloseTo(10.3 + half, 4);
  });
});

describe('families and margins', () => {
  it('corrects each family on its own', () => {
    // primary [0.01, 0.02]: q = 0.02, 0.02; exploratory [0.01, 0.5, 0.5]: 0.03, then 0.5 (0.75 capped by the next).
    const q = familyQ([0.01, 0.02, 0.01, 0.5, 0.5], ['primary', 'primary', 'exploratory', 'exploratory', 'exploratory']);
    expect(q[0]).toBeCloseTo(0.02, 12);
    expect(q[1]).toBeCloseTo(0.02, 12);
    expect(q[2]).toBeCloseTo(0.03, 12);
    expect(q[3]).toBeCloseTo(0.5, 12);
    expect(q[4]).toBeCloseTo(0.5, 12);
  });

  it('one primary metric is not diluted by 59 exploratory ones', () => {
    // cpu: b = 100, 101, 99, c = 110 → p = 0.0130725 (test/prediction.test.ts). Alone in the
    // primary family q = p < 0.05: regressed. In one family of 60 it would need p < 0.05/60.
    const others = CATALOGUE.filter((d) => d.id !== 'cpu_pct').slice(0, 59);
    const res = analyse(
      [
        { def: def('cpu_pct'), baseline: [100, 101, 99], candidate: [110], noisePct: 1, family: 'primary' },
        ...others.map((d) => ({ def: d, baseline: [1, 1.1, 0.9], candidate: [1], noisePct: 5, family: 'exploratory' as const })),
      ],
      { alpha: 0.05 },
    );
    expect(res[0]?.q_value).toBeCloseTo(0.0130725, 6);
    expect(res[0]?.verdict).toBe('regressed');
    expect(res[0]?.family).toBe('primary');
    expect(res[1]?.family).toBe('exploratory');
  });

  it('margin = min(noise, budget, 10%, --max-margin)', () => {
    expect(marginPct(5.5, 3)).toBe(3);
    expect(marginPct(35, 10)).toBe(10);
    expect(marginPct(35, null)).toBe(10);
    expect(marginPct(2, null)).toBe(2);
    expect(marginPct(35, null, 5)).toBe(5);
  });

  it('no metric is unchanged with a CI beyond ±10%, and a threshold above 50% is too noisy to judge', () => {
    // Send delay: b mean 2, c mean 0.4 (Δ% −80) with a noise threshold of 107.5%: no verdict of a
    // change (too noisy), and not unchanged either (the CI is far wider than ±10%).
    const [send] = analyse([{ def: def('forge_send_s'), baseline: [1, 2, 3, 2, 2], candidate: [0.4, 0.5, 0.3, 0.4, 0.4], noisePct: 107.5 }], { alpha: 0.05 });
    expect(send?.margin_pct).toBe(10);
    expect(send?.too_noisy).toBe(true);
    expect(send?.verdict).toBe('inconclusive');
    // A CI of −4 … +6 with noise 35 and no budget: inside ±10 → unchanged, margin shown as 10.
    const [p90] = analyse([{ def: def('adoption_p90_s'), baseline: [1.0, 1.02, 0.98, 1.01, 0.99], candidate: [1.01, 0.99, 1.0, 1.02, 0.98], noisePct: 35 }], { alpha: 0.05 });
    expect(p90?.verdict).toBe('unchanged');
    expect(p90?.margin_pct).toBe(10);
    expect(p90?.too_noisy).toBeUndefined();
  });

  it('rare counts are judged on their absolute scale, not as a % of a near-zero mean', () => {
    // Missed slots per node: b = 0.5 ± 0.1, c = 0.8 ± 0.1 → Δ = +0.3 slot (+60%): the Welch CI of
    // Δ (sd 0.0707 a side, se 0.0447, df 8, t 2.306) is 0.3 ± 0.1031 = 0.197 … 0.403 slot, inside
    // ±1 slot → unchanged on the absolute scale, where +60% with a % margin could never be.
    const [missed] = analyse([{ def: def('missed_slots'), baseline: [0.5, 0.4, 0.6, 0.5, 0.5], candidate: [0.8, 0.7, 0.9, 0.8, 0.8], noisePct: 62 }], { alpha: 0.05 });
    expect(missed?.delta_pct).toBeCloseTo(60, 9);
    expect(missed?.margin_abs).toBe(1);
    expect(missed?.ci95_delta?.[0]).toBeCloseTo(0.1969, 3);
    expect(missed?.ci95_delta?.[1]).toBeCloseTo(0.4031, 3);
    expect(missed?.verdict).toBe('unchanged');
    expect(missed?.too_noisy).toBeUndefined();
    // Lost battles 2 → 4 a run, every run: a change of 2 blocks, beyond the 1-block margin.
    const [battles] = analyse([{ def: def('block_battles'), baseline: [2, 1, 3, 2, 2], candidate: [4, 3, 5, 4, 4], noisePct: 135 }], { alpha: 0.05 });
    expect(battles?.verdict).toBe('regressed');
  });
});

/** A primary comparison with the numbers a decision reads. */
function comp(id: string, verdict: MetricComparison['verdict'], delta: number | null, ci: [number, number] | null, extra: Partial<MetricComparison> = {}): MetricComparison {
  return {
    id, section: 'resources', unit: 'MiB', better: 'lower',
    baseline: { runs: [], n: 5, mean: 1, sd: 0.1, cov: 0.1, min: 1, max: 1, ci95: null, range: 0 },
    candidate: { runs: [], n: 5, mean: 1, sd: 0.1, cov: 0.1, min: 1, max: 1, ci95: null, range: 0 },
    delta: delta, delta_pct: delta, ci95_pct: ci, ci_method: 'welch', p_value: null, p_value_mwu: null, q_value: null,
    noise_pct: 5.5, mde_pct: null, runs_needed: 12, verdict, method: 'welch',
    variance: { sd_ratio: null, p_value: null, q_value: null, verdict: 'inconclusive' },
    family: 'primary', margin_pct: 5.5, ...extra,
  } as MetricComparison;
}

describe('decideSet: ship needs evidence', () => {
  const cat = [def('rss_mb'), def('cpu_pct'), def('forge_ticked_s')];

  it('RSS +5.24% (CI +0.90 … +9.59) inconclusive is undecided, named with its numbers, never ship', () => {
    const d = decideSet('-A64m', [comp('rss_mb', 'inconclusive', 5.24, [0.9, 9.59]), comp('cpu_pct', 'unchanged', 0.2, [-0.5, 0.9], { margin_pct: 1 })], cat);
    expect(d.status).toBe('undecided');
    expect(d.undecided.map((i) => i.metric)).toEqual(['rss_mb']);
    expect(d.line).toBe('undecided — RSS +5.24% (CI +0.900% to +9.59%) may exceed its ±5.5% margin; ~12 runs a side decide it');
    expect(d.cleared).toEqual(['cpu_pct']);
  });

  it('hold on a proven cost, trade-off beside a proven gain, ship when every primary metric is decided', () => {
    expect(decideSet('c', [comp('rss_mb', 'regressed', 10.3, [7.3, 13.3]), comp('cpu_pct', 'unchanged', 0, [-0.5, 0.5])], cat).status).toBe('hold');
    const t = decideSet('c', [comp('rss_mb', 'regressed', 10.3, [7.3, 13.3]), comp('cpu_pct', 'improved', -4, [-6, -2])], cat);
    expect(t.status).toBe('trade-off');
    expect(t.costs.map((i) => i.metric)).toEqual(['rss_mb']);
    expect(t.gains.map((i) => i.metric)).toEqual(['cpu_pct']);
    expect(decideSet('c', [comp('rss_mb', 'unchanged', 1, [-2, 4]), comp('cpu_pct', 'improved', -4, [-6, -2])], cat).status).toBe('ship');
  });

  it('exploratory findings decide nothing; a set with no primary metric is undecided', () => {
    const explore = comp('forge_ticked_s', 'regressed', 29.5, [12, 47], { family: 'exploratory' });
    expect(decideSet('c', [comp('rss_mb', 'unchanged', 1, [-2, 4]), explore], cat).status).toBe('ship');
    expect(decideSet('c', [explore], cat).status).toBe('undecided');
  });

  it('an inconclusive metric whose interval rules out harm beyond its margin is cleared', () => {
    // CI −15 … +3 with margin 5.5: only an improvement beyond the margin is left open.
    expect(classify(comp('rss_mb', 'inconclusive', -6, [-15, 3]), null).standing).toBe('cleared');
    expect(classify(comp('rss_mb', 'regressed', 2.5, [1, 2.9], { noise_pct: 1, margin_pct: 1 }), 3).standing).toBe('cleared');
    expect(classify(comp('rss_mb', 'regressed', 2.5, [1, 4], { noise_pct: 1, margin_pct: 1 }), 3).standing).toBe('undecided');
    expect(classify(comp('rss_mb', 'regressed', 4, [3.5, 4.5], { noise_pct: 1, margin_pct: 1 }), 3).standing).toBe('cost');
  });
});

describe('evaluateGate: budgets bind, exploratory metrics fail nothing unless named', () => {
  const spec = (budgets: [string, number][], requireDecided: string[] = []): GateSpec => ({ source: 'gates.yaml', budgets: new Map(budgets), requireDecided, waivers: new Map() });
  const input = (m: MetricComparison) => ({ metric: m.id, verdict: m.verdict, method: m.method, delta_pct: m.delta_pct, noise_pct: m.noise_pct, family: m.family, better: m.better, ci95_pct: m.ci95_pct, margin_pct: m.margin_pct, runs_needed: m.runs_needed });

  it('RSS +8.07% (CI +1.88 … +14.3) against a 3% budget is undecided with its numbers, never a pass', () => {
    const g = evaluateGate(spec([['rss_mb', 3]]), [input(comp('rss_mb', 'inconclusive', 8.07, [1.88, 14.3], { margin_pct: 3 }))]);
    expect(g.status).toBe('undecided');
    expect(g.undecided).toEqual([{ metric: 'rss_mb', reason: '+8.07% (CI +1.88% to +14.3%) may exceed its 3% budget; ~12 runs a side decide it' }]);
  });

  it('adoption_p90_s (CI −16.4 … +16.7) with a 10% budget does not pass require_decided', () => {
    const g = evaluateGate(spec([['adoption_p90_s', 10]], ['adoption_p90_s']), [input(comp('adoption_p90_s', 'inconclusive', 0.1, [-16.4, 16.7], { noise_pct: 35, margin_pct: 10 }))]);
    expect(g.status).toBe('undecided');
  });

  it('a regression in a metric the gate does not name fails nothing; the same in a named one fails', () => {
    const explore = comp('forge_ticked_s', 'regressed', 29.5, [12, 47], { family: 'exploratory' });
    const cpu = comp('cpu_pct', 'unchanged', 0.1, [-0.5, 0.7], { margin_pct: 1 });
    expect(evaluateGate(spec([['cpu_pct', 5]]), [input(cpu), input(explore)]).status).toBe('pass');
    expect(evaluateGate(spec([['cpu_pct', 5], ['forge_ticked_s', 10]]), [input(cpu), input(explore)]).failed.map((f) => f.metric)).toEqual(['forge_ticked_s']);
    // --fail-on-regression (names nothing): the comparisons' own families decide.
    const noise: GateSpec = { source: '--fail-on-regression', budgets: new Map(), requireDecided: [], waivers: new Map() };
    expect(evaluateGate(noise, [input(cpu), input(explore)]).status).toBe('pass');
    expect(evaluateGate(noise, [input(comp('rss_mb', 'regressed', 10.3, [7.3, 13.3]))]).status).toBe('fail');
  });
});

describe('the decision on a history page', () => {
  it('decides each series from its latest build’s primary metrics, as report decides a set', async () => {
    const { latestDecisions } = await import('../pipeline/history/index.js');
    const latest = (verdict: MetricComparison['verdict'], delta: number, ci: [number, number]) => ({
      verdict, method: 'prediction-interval' as const, delta_pct: delta, ci95_pct: ci, p_value: null, q_value: null, noise_pct: 6, margin_pct: 6, runs_needed: 4,
      window: { from: 'n1', builds: 5, runs: 10 },
    });
    const metric = (id: string, family: 'primary' | 'exploratory', l: ReturnType<typeof latest> | null) => ({
      id, title: id, section: 'resources' as const, unit: 'MiB', better: 'lower' as const, values: [], runs: [], change_points: [], latest: l, family,
    });
    const h = {
      schema: 'bench-report/history@1', generated_at: '', tool_version: '', warnings: [], gate: null,
      method: { name: '', significance: 0.05, permutations: 1999, min_size: 3, seed: 1, alpha: 0.05 },
      series: [
        { label: 'nightly', key: { profile: 'p', tracing_backend: 't', rts_flags: [] }, builds: [], metrics: [metric('rss_mb', 'primary', latest('regressed', 10.3, [7.3, 13.3])), metric('forge_ticked_s', 'exploratory', latest('regressed', 29.5, [12, 47]))] },
        { label: 'first', key: { profile: 'q', tracing_backend: 't', rts_flags: [] }, builds: [], metrics: [metric('rss_mb', 'primary', null)] },
      ],
    } as unknown as Parameters<typeof latestDecisions>[0];
    const ds = latestDecisions(h, [def('rss_mb'), def('forge_ticked_s')]);
    // The series without a judged latest build has no decision; the other holds on RSS alone.
    expect(ds.map((d) => [d.set, d.status, d.costs.map((i) => i.metric)])).toEqual([['nightly', 'hold', ['rss_mb']]]);
    expect(ds[0]?.line).toBe('hold — RSS +10.3% (CI +7.30% to +13.3%) regressed');
  });
});
