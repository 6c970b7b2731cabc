// One new run against many and one run a side (DESIGN §5.1): the prediction-interval test
// (pipeline/stats.ts predictionTest), its verdicts through analyse, and the labelled
// within-run verdict (pipeline/verdict.ts withinRunVerdict). Values computed by hand below.
import { describe, expect, it } from 'vitest';
import { predictionTest, analyse, runToRunMethod, summarise, withinRunVerdict } from '../pipeline/analysis/index.js';
import type { MetricComparison, MetricDef } from '../pipeline/core/index.js';

const def = (id: string): MetricDef => ({ id, section: 'resources', title: id, unit: '%', better: 'lower', definition: '', kind: 'distribution' });

describe('predictionTest', () => {
  it('tests one run against the prediction interval of n baseline runs', () => {
    // b = 10, 12, 14: mean 12, sd 2; se = 2·√(1 + 1/3) = 2.309401; Δ = 8, t = 3.464102, df 2.
    // On 2 df the t CDF is ½ + t/(2√(2 + t²)): p = 1 − 3.464102/√14 = 0.0741799.
    // t(0.975, 2) = 4.302653: half-width 9.936546 → Δ interval −1.936546 … 17.936546.
    const r = predictionTest([10, 12, 14], 20);
    expect(r?.delta).toBe(8);
    expect(r?.se).toBeCloseTo(2.309401, 6);
    expect(r?.df).toBe(2);
    expect(r?.p).toBeCloseTo(0.0741799, 6);
    expect(r?.ci[0]).toBeCloseTo(-1.936546, 5);
    expect(r?.ci[1]).toBeCloseTo(17.936546, 5);
  });

  it('needs 3 baseline runs and a candidate value', () => {
    expect(predictionTest([10, 12], 20)).toBeNull();
    expect(predictionTest([10, 12, null, 14], null)).toBeNull();
    // A constant baseline: a different run is certain, the same run is nothing.
    expect(predictionTest([5, 5, 5], 6)?.p).toBe(0);
    expect(predictionTest([5, 5, 5], 5)?.p).toBe(1);
  });
});

describe('analyse: one new run against many', () => {
  it('decides with the prediction interval, BH across the report, and says so in method', () => {
    // cpu: b = 100, 101, 99 (sd 1), c = 110: t = 10/1.154701 = 8.660254, p = 1 − t/√(2 + t²)
    //      = 1 − 8.660254/8.774964 = 0.0130725. lat: the case above, p = 0.0741799.
    // BH over 2: cpu q = 2·0.0130725 = 0.0261449 < 0.05 and Δ% = +10 ≥ 2 → regressed;
    // lat q = 0.0741799 → not significant; Δ% CI −16.1% … +149% not within ±2 → inconclusive.
    const [cpu, lat] = analyse(
      [
        { def: def('cpu'), baseline: [100, 101, 99], candidate: [110], noisePct: 2 },
        { def: def('lat'), baseline: [10, 12, 14], candidate: [20], noisePct: 2 },
      ],
      { alpha: 0.05 },
    ) as [MetricComparison, MetricComparison];
    expect(cpu.method).toBe('prediction-interval');
    expect(cpu.ci_method).toBe('prediction-interval');
    expect(cpu.p_value).toBeCloseTo(0.0130725, 6);
    expect(cpu.q_value).toBeCloseTo(0.0261449, 6);
    expect(cpu.delta_pct).toBeCloseTo(10, 10);
    expect(cpu.verdict).toBe('regressed');
    expect(cpu.variance.verdict).toBe('insufficient-data');
    expect(lat.verdict).toBe('inconclusive');
    expect(lat.ci95_pct?.[0]).toBeCloseTo((-1.936546 / 12) * 100, 3);
    expect(lat.ci95_pct?.[1]).toBeCloseTo((17.936546 / 12) * 100, 3);
  });

  it('keeps Welch for ≥ 2 runs a side and insufficient data below 3 against 1', () => {
    expect(runToRunMethod(2, 2)).toBe('welch');
    expect(runToRunMethod(3, 1)).toBe('prediction-interval');
    expect(runToRunMethod(1, 3)).toBe('welch');
    const [two] = analyse([{ def: def('x'), baseline: [1, 2], candidate: [3], noisePct: 2 }], { alpha: 0.05 });
    expect(two?.method).toBe('welch');
    expect(two?.verdict).toBe('insufficient-data');
  });
});

describe('withinRunVerdict', () => {
  const oneASide = (c: number, ci: [number, number]): MetricComparison => {
    const [m] = analyse([{ def: def('cpu'), baseline: [100], candidate: [c], noisePct: 2 }], { alpha: 0.05 });
    if (!m) throw new Error('no comparison');
    m.within_run = { ci95_pct: ci, windows: 10, resamples: 2000, method: 'block bootstrap' };
    return m;
  };

  it('regressed when the interval excludes 0 and |Δ%| ≥ noise, unchanged inside ±noise', () => {
    expect(withinRunVerdict(oneASide(107.5, [5.8, 9.6]))).toBe('regressed');
    expect(withinRunVerdict(oneASide(92.5, [-9.6, -5.8]))).toBe('improved');
    expect(withinRunVerdict(oneASide(100.5, [-1, 1.5]))).toBe('unchanged');
    expect(withinRunVerdict(oneASide(101, [-1, 3]))).toBe('inconclusive');
    // Beyond 0 but inside the noise threshold: equivalent, not a regression.
    expect(withinRunVerdict(oneASide(101, [0.5, 1.5]))).toBe('unchanged');
    expect(withinRunVerdict(oneASide(101, [0.5, 2.5]))).toBe('inconclusive');
    const none = oneASide(101, [0.5, 1.5]);
    none.within_run = null;
    expect(withinRunVerdict(none)).toBe('insufficient-data');
  });

  it('does not restate a within-run regression as an observation: the summary list shows it, marked †', () => {
    // Issue 10: observations do not repeat the lists; the regression list item carries the
    // within-run interval and † (templates/partials/change-item.hbs).
    const m = oneASide(107.5, [5.8, 9.6]);
    m.verdict = withinRunVerdict(m);
    m.method = 'within-run';
    expect(m.verdict).toBe('regressed');
    const { observations, undecided } = summarise([m], [def('cpu')]);
    expect(observations).toEqual([]);
    expect(undecided).toEqual([]);
  });
});
