// Checks pipeline/stats.ts against published values (R's documented examples and tables) and
// values computed by hand, with the arithmetic shown; never against its own earlier output.
import { describe as group, expect, it } from 'vitest';
import tCdf from '@stdlib/stats-base-dists-t-cdf';
import tQuantile from '@stdlib/stats-base-dists-t-quantile';
import {
  benjaminiHochberg,
  describe,
  fTest,
  mannWhitney,
  mdePct,
  runsNeeded,
  welch,
  RUNS_NEEDED_CAP,
  blockBootstrapDeltaPct,
} from '../pipeline/analysis/index.js';

// R's `sleep` data set (Student 1908): extra hours of sleep, group 1 and group 2.
const SLEEP1 = [0.7, -1.6, -0.2, -1.2, -0.1, 3.4, 3.7, 0.8, 0.0, 2.0];
const SLEEP2 = [1.9, 0.8, 1.1, 0.1, -0.1, 4.4, 5.5, 1.6, 4.6, 3.4];

group('t distribution (stdlib) against printed tables', () => {
  it('quantiles', () => {
    expect(tQuantile(0.975, 10)).toBeCloseTo(2.228139, 5);
    expect(tQuantile(0.95, 5)).toBeCloseTo(2.015048, 5);
    expect(tQuantile(0.995, 20)).toBeCloseTo(2.84534, 5);
    expect(tQuantile(0.975, 3)).toBeCloseTo(3.182446, 5);
  });
  it('cdf', () => {
    expect(tCdf(2.228139, 10)).toBeCloseTo(0.975, 6);
    expect(tCdf(-2.015048, 5)).toBeCloseTo(0.05, 6);
  });
});

group('describe', () => {
  it('keeps nulls and NaN in runs, leaves them out of the statistics', () => {
    const s = describe([1, null, 2, 3, Number.NaN, 4]);
    expect(s.runs).toEqual([1, null, 2, 3, null, 4]);
    expect(s.n).toBe(4);
    expect(s.mean).toBe(2.5);
    // Σ(x − 2.5)² = 2.25 + 0.25 + 0.25 + 2.25 = 5; sd = √(5/3) = 1.290994
    expect(s.sd).toBeCloseTo(1.290994, 6);
    expect(s.cov).toBeCloseTo(1.290994 / 2.5, 6);
    expect(s.min).toBe(1);
    expect(s.max).toBe(4);
    expect(s.range).toBe(3);
    // 2.5 ± t(0.975, 3)·sd/√4 = 2.5 ± 3.182446 · 0.645497 = 2.5 ± 2.054260
    expect(s.ci95?.[0]).toBeCloseTo(0.44574, 5);
    expect(s.ci95?.[1]).toBeCloseTo(4.55426, 5);
  });
  it('one value: mean but no sd, cov or ci', () => {
    const s = describe([null, 7]);
    expect(s).toMatchObject({ n: 1, mean: 7, sd: null, cov: null, min: 7, max: 7, range: 0, ci95: null });
  });
  it('no values', () => {
    expect(describe([null, null])).toEqual({
      runs: [null, null], n: 0, mean: null, sd: null, cov: null, min: null, max: null, range: null, ci95: null,
    });
  });
  it('cov is null when the mean is 0', () => {
    expect(describe([-1, 1]).cov).toBeNull();
  });
});

group('welch', () => {
  it("matches R's t.test(extra ~ group, data = sleep)", () => {
    // R prints: t = -1.8608, df = 17.776, p-value = 0.07939,
    // 95 percent confidence interval: -3.3654832 0.2054832 (for mean(group1) − mean(group2)).
    // Here Δ = mean(c) − mean(b) with b = group 1, so the signs flip.
    const w = welch(SLEEP1, SLEEP2);
    expect(w).not.toBeNull();
    expect(w?.delta).toBeCloseTo(2.33 - 0.75, 10);
    expect(w?.t).toBeCloseTo(1.8608, 4);
    expect(w?.df).toBeCloseTo(17.776, 3);
    expect(w?.p).toBeCloseTo(0.07939, 5);
    expect(w?.ci[0]).toBeCloseTo(-0.2054832, 6);
    expect(w?.ci[1]).toBeCloseTo(3.3654832, 6);
  });
  it('t and df by hand for small vectors', () => {
    // b = 1,2,3: mean 2, var 1; c = 4,5,6,7: mean 5.5, var 5/3.
    // se² = 1/3 + (5/3)/4 = 0.333333 + 0.416667 = 0.75; t = 3.5/√0.75 = 4.041452
    // df = 0.75² / ((1/3)²/2 + (5/12)²/3) = 0.5625 / (0.0555556 + 0.0578704) = 4.959184
    const w = welch([1, 2, 3], [4, 5, 6, 7]);
    expect(w?.t).toBeCloseTo(4.041452, 5);
    expect(w?.df).toBeCloseTo(4.959184, 5);
    // CI = 3.5 ± t(0.975, 4.959184)·0.866025; check against the quantile it must use.
    const half = tQuantile(0.975, 4.959184) * Math.sqrt(0.75);
    expect(w?.ci[0]).toBeCloseTo(3.5 - half, 4);
  });
  it('other confidence levels', () => {
    // 90%: 3.5 ± t(0.95, df)·se
    const w = welch([1, 2, 3], [4, 5, 6, 7], 0.9);
    expect(w?.ci[1]).toBeCloseTo(3.5 + tQuantile(0.95, 4.959184) * Math.sqrt(0.75), 4);
  });
  it('both sides constant: p = 1 when equal, 0 when different, no NaN', () => {
    const same = welch([5, 5, 5], [5, 5]);
    expect(same).toMatchObject({ delta: 0, se: 0, t: 0, p: 1, ci: [0, 0] });
    const diff = welch([5, 5, 5], [6, 6]);
    expect(diff).toMatchObject({ delta: 1, se: 0, t: Infinity, p: 0, ci: [1, 1] });
    expect(Number.isNaN(diff?.df)).toBe(false);
  });
  it('one side constant: the df is the other side’s n − 1', () => {
    // se² = 0 + var(c)/m; df = (vc/m)² / ((vc/m)²/(m−1)) = m − 1 = 2
    const w = welch([5, 5, 5], [4, 5, 6]);
    expect(w?.df).toBeCloseTo(2, 10);
    expect(w?.p).toBeCloseTo(1, 10);
  });
  it('null below 2 runs a side, nulls ignored', () => {
    expect(welch([1], [1, 2])).toBeNull();
    expect(welch([1, null], [1, 2])).toBeNull();
  });
});

group('mannWhitney', () => {
  it('exact: complete separation of 4 against 4', () => {
    // Only 1 of C(8,4) = 70 arrangements gives U = 16 (and 1 gives U = 0): p = 2/70.
    const r = mannWhitney([1, 2, 3, 4], [5, 6, 7, 8]);
    expect(r).toMatchObject({ u: 16, method: 'exact' });
    expect(r?.p).toBeCloseTo(2 / 70, 10);
    expect(mannWhitney([5, 6, 7, 8], [1, 2, 3, 4])?.u).toBe(0);
  });
  it('exact: 3 against 3 with one swap', () => {
    // Counts of U = 0..9 for (3,3) over C(6,3) = 20: 1,1,2,3,3,3,3,2,1,1.
    // c = 2,5,6 against b = 1,3,4: U_c = 1 + 3 + 3 = 7, mirrored into the lower tail 9 − 7 = 2:
    // P(U ≤ 2) = (1+1+2)/20 = 0.2 → two-sided 0.4.
    const r = mannWhitney([1, 3, 4], [2, 5, 6]);
    expect(r?.u).toBe(7);
    expect(r?.p).toBeCloseTo(0.4, 10);
  });
  it("exact: R's ?wilcox.test example (Hollander & Wolfe)", () => {
    // wilcox.test(x, y, alternative = "g") prints W = 35, p-value = 0.1272; two-sided 0.2544.
    const x = [0.8, 0.83, 1.89, 1.04, 1.45, 1.38, 1.91, 1.64, 0.73, 1.46];
    const y = [1.15, 0.88, 0.9, 0.74, 1.21];
    const r = mannWhitney(y, x);
    expect(r?.u).toBe(35);
    expect(r?.method).toBe('exact');
    expect(r?.p).toBeCloseTo(2 * 0.1272061, 6);
  });
  it('normal approximation with ties: R wilcox.test(extra ~ group, data = sleep)', () => {
    // R prints W = 25.5, p-value = 0.06933 (with the "cannot compute exact p-value with ties"
    // warning): continuity and tie correction.
    const r = mannWhitney(SLEEP2, SLEEP1);
    expect(r?.u).toBe(25.5);
    expect(r?.method).toBe('normal');
    expect(r?.p).toBeCloseTo(0.06933, 5);
  });
  it('normal approximation above 20 runs a side, no ties', () => {
    // b = 1..21, c = 22..42: U = 441 = n·m; μ = 220.5, σ² = 21·21·43/12 = 1580.25, σ = 39.75
    // z = (441 − 220.5 − 0.5)/39.752 = 5.5343 → p = 2Φ(−5.5346) ≈ 3.12e-8
    const b = Array.from({ length: 21 }, (_, i) => i + 1);
    const c = b.map((x) => x + 21);
    const r = mannWhitney(b, c);
    expect(r).toMatchObject({ u: 441, method: 'normal' });
    expect(r?.p).toBeGreaterThan(3.0e-8);
    expect(r?.p).toBeLessThan(3.3e-8);
  });
  it('all values equal: p = 1', () => {
    expect(mannWhitney([2, 2, 2, 2], [2, 2, 2, 2])?.p).toBe(1);
  });
});

group('fTest', () => {
  it("matches R's var.test(extra ~ group, data = sleep)", () => {
    // R prints F = 0.7983, num df = 9, denom df = 9, p-value = 0.7427 for var(g1)/var(g2).
    // Here F = var(c)/var(b), so c = group 1, b = group 2.
    const r = fTest(SLEEP2, SLEEP1);
    expect(r?.f).toBeCloseTo(0.7983, 4);
    expect(r?.ratio).toBeCloseTo(Math.sqrt(0.7983426), 5);
    expect(r?.p).toBeCloseTo(0.7427, 4);
    expect(r).toMatchObject({ df1: 9, df2: 9 });
  });
  it('closed form for F(4, 4)', () => {
    // b = 100,110,90,105,95: SS = 250, var 62.5; c = 100,101,99,100.5,99.5: SS = 2.5, var 0.625.
    // F = 0.01. For d1 = d2 = 4 the cdf is I_u(2,2) = 3u² − 2u³ with u = F/(1+F) = 0.00990099:
    // 3u² − 2u³ = 0.000294089 − 0.000001941 = 0.000292148; p = 2 · 0.000292148 = 0.000584296.
    const b = [100, 110, 90, 105, 95];
    const c = [100, 101, 99, 100.5, 99.5];
    const r = fTest(b, c);
    expect(r?.f).toBeCloseTo(0.01, 10);
    expect(r?.ratio).toBeCloseTo(0.1, 10);
    expect(r?.p).toBeCloseTo(0.000584296, 8);
    // Swapped: F = 100, the same two-sided p.
    expect(fTest(c, b)?.p).toBeCloseTo(0.000584296, 8);
  });
  it('p is capped at 1 and equal variances give 1', () => {
    expect(fTest([1, 2, 3], [4, 5, 6])?.p).toBeCloseTo(1, 10);
  });
  it('zero variance: no test', () => {
    expect(fTest([5, 5, 5], [1, 2, 3])).toMatchObject({ ratio: null, p: null });
    expect(fTest([1, 2, 3], [5, 5, 5])).toMatchObject({ ratio: 0, p: null });
    expect(fTest([1], [1, 2])).toBeNull();
  });
});

group('benjaminiHochberg', () => {
  it('textbook example', () => {
    // Sorted: 0.005·4/1 = 0.02, 0.01·4/2 = 0.02, 0.03·4/3 = 0.04, 0.04·4/4 = 0.04.
    const q = benjaminiHochberg([0.01, 0.04, 0.03, 0.005]);
    const want = [0.02, 0.04, 0.04, 0.02];
    q.forEach((v, i) => expect(v).toBeCloseTo(want[i] as number, 12));
  });
  it('nulls pass through and do not count in the family size', () => {
    const q = benjaminiHochberg([null, 0.01, 0.04, null, 0.03, 0.005]);
    expect(q[0]).toBeNull();
    expect(q[3]).toBeNull();
    expect(q[1]).toBeCloseTo(0.02, 12);
    expect(q[5]).toBeCloseTo(0.02, 12);
  });
  it('monotone step-up and capped at 1', () => {
    // 0.01·3/1 = 0.03, but the step-up takes min with 0.012·3/2 = 0.018.
    const q = benjaminiHochberg([0.01, 0.012, 0.9]);
    expect(q[0]).toBeCloseTo(0.018, 12);
    expect(q[1]).toBeCloseTo(0.018, 12);
    expect(q[2]).toBeCloseTo(0.9, 12);
    expect(benjaminiHochberg([0.6, 0.7])).toEqual([0.7, 0.7]);
    expect(benjaminiHochberg([1, 1, 1])).toEqual([1, 1, 1]);
  });
  it('Benjamini & Hochberg (1995) example: 4 of 15 rejected at 0.05', () => {
    const p = [0.0001, 0.0004, 0.0019, 0.0095, 0.0201, 0.0278, 0.0298, 0.0344, 0.0459, 0.324, 0.4262, 0.5719, 0.6528, 0.759, 1];
    const q = benjaminiHochberg(p);
    expect(q.filter((v) => v !== null && v < 0.05)).toHaveLength(4);
    // Largest rejected: 0.0095·15/4 = 0.035625.
    expect(q[3]).toBeCloseTo(0.035625, 10);
  });
  it('empty', () => {
    expect(benjaminiHochberg([])).toEqual([]);
  });
});

group('power', () => {
  it('mdePct: t version with the Welch df', () => {
    // b = c = 90,100,110: sd 10 each, se = √(100/3 + 100/3) = 8.164966, Welch df = 4.
    // (t(0.975, 4) + t(0.8, 4)) · se = (2.776445 + 0.940965) · 8.164966 = 30.3524 → 30.35 %
    expect(mdePct([90, 100, 110], [90, 100, 110])).toBeCloseTo(30.3524, 3);
  });
  it('mdePct: zero noise, and undefined cases', () => {
    expect(mdePct([5, 5], [5, 5])).toBe(0);
    expect(mdePct([-1, 1], [1, 2])).toBeNull(); // mean(b) = 0
    expect(mdePct([1], [1, 2])).toBeNull();
  });
  it("runsNeeded agrees with R's power.t.test", () => {
    // power.t.test(delta = d, sd = 1, power = 0.8): n = 16.71477 (d = 1), 63.76576 (d = 0.5),
    // 393.4057 (d = 0.2), i.e. 17, 64 and 394 runs per side.
    // Pooled sd 10 around mean(b) = 100, so noise 10% is d = 1.
    expect(runsNeeded([90, 100, 110], [90, 100, 110], 10)).toBe(17);
    // Pooled sd 20: noise 10% is d = 0.5.
    expect(runsNeeded([80, 100, 120], [80, 100, 120], 10)).toBe(64);
    // Pooled sd 10, noise 2%: d = 0.2.
    expect(runsNeeded([90, 100, 110], [95, 105, 115], 2)).toBe(394);
  });
  it('runsNeeded: cap, no noise and undefined cases', () => {
    expect(runsNeeded([1, 100, 1000], [1, 100, 1000], 0.01)).toBe(RUNS_NEEDED_CAP);
    expect(runsNeeded([5, 5, 5], [5, 5], 2)).toBe(2);
    expect(runsNeeded([-1, 1], [1, 2], 2)).toBeNull();
    expect(runsNeeded([1, 2], [1, 2], 0)).toBeNull();
    expect(runsNeeded([1], [1], 2)).toBeNull();
  });
});

group('blockBootstrapDeltaPct (within-run estimate, one run per side)', () => {
  const w = (mean: number, n = 10) => ({ n, total: mean * n });

  it('gives a point interval when every window has the same mean', () => {
    // Every resample of baseline means 10 and of candidate 11: Δ% is exactly +10%.
    const ci = blockBootstrapDeltaPct([w(10), w(10), w(10)], [w(11), w(11), w(11)], { resamples: 200, seed: 3 });
    expect(ci?.[0]).toBeCloseTo(10, 12);
    expect(ci?.[1]).toBeCloseTo(10, 12);
  });

  it('stays inside the reachable range and around the point estimate', () => {
    // Two windows a side: baseline means 9 or 11 (mean 10), candidate 10.8 or 13.2 (mean 12).
    // Reachable Δ% lies in [(10.8 − 11)/11, (13.2 − 9)/9] = [−1.82%, +46.7%]; the point is +20%.
    const ci = blockBootstrapDeltaPct([w(9), w(11)], [w(10.8), w(13.2)], { resamples: 4000, seed: 7 });
    expect(ci).not.toBeNull();
    const [lo, hi] = ci ?? [NaN, NaN];
    expect(lo).toBeGreaterThanOrEqual(-100 * (0.2 / 11) - 1e-9);
    expect(hi).toBeLessThanOrEqual((100 * 4.2) / 9 + 1e-9);
    expect(lo).toBeLessThan(20);
    expect(hi).toBeGreaterThan(20);
  });

  it('is reproducible for a seed and refuses too little data', () => {
    const b = [w(9), w(10), w(12), w(11)];
    const c = [w(10), w(12), w(11), w(13)];
    expect(blockBootstrapDeltaPct(b, c, { seed: 5 })).toEqual(blockBootstrapDeltaPct(b, c, { seed: 5 }));
    expect(blockBootstrapDeltaPct([w(9)], c)).toBeNull();
    expect(blockBootstrapDeltaPct([w(0), w(0)], c)).toBeNull();
  });
});
