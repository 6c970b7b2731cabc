// Run-level statistics for comparing two benchmark sets (DESIGN §5): per-set description,
// Welch's t-test and interval, Mann-Whitney U, the F-test of variances, Benjamini-Hochberg
// q-values and power (minimum detectable effect, runs needed). Pure functions, no I/O.
// Distribution functions come from @stdlib; nothing special-function-like is hand-rolled.
import tCdf from '@stdlib/stats-base-dists-t-cdf';
import tQuantile from '@stdlib/stats-base-dists-t-quantile';
import fCdf from '@stdlib/stats-base-dists-f-cdf';
import normalCdf from '@stdlib/stats-base-dists-normal-cdf';
import type { SetStats, WindowSum } from '../core/index.js';
import { mulberry32 } from '../core/index.js';

/** Run values as they come from a set: null (or NaN) where a run has no value. */
export type RunValues = readonly (number | null)[];

export interface WelchResult {
  /** Δ = mean(c) − mean(b). */
  delta: number;
  /** Standard error of Δ. */
  se: number;
  /** t = Δ / se; ±Infinity when both sides are constant and differ, 0 when they agree. */
  t: number;
  /** Welch–Satterthwaite degrees of freedom. */
  df: number;
  /** Two-sided p-value. */
  p: number;
  /** Confidence interval for Δ at `level`. */
  ci: [number, number];
}

export interface MannWhitneyResult {
  /** U of the candidate: pairs with c > b, plus half the ties. */
  u: number;
  /** Two-sided p-value. */
  p: number;
  method: 'exact' | 'normal';
}

export interface FTestResult {
  /** sd(c)/sd(b); null when sd(b) is 0 (the ratio is infinite or undefined). */
  ratio: number | null;
  /** var(c)/var(b); null when sd(b) is 0. */
  f: number | null;
  df1: number;
  df2: number;
  /** Two-sided p-value; null when either variance is 0 (the test's premise fails). */
  p: number | null;
}

/** Above this many runs per side `runsNeeded` stops searching and returns the cap. */
export const RUNS_NEEDED_CAP = 1000;

/** Finite numbers only: nulls and NaN are "no value for this run". */
function clean(values: RunValues): number[] {
  const out: number[] = [];
  for (const v of values) if (v !== null && Number.isFinite(v)) out.push(v);
  return out;
}

function sum(xs: readonly number[]): number {
  let s = 0;
  for (const x of xs) s += x;
  return s;
}

function meanOf(xs: readonly number[]): number {
  return sum(xs) / xs.length;
}

/** Sample variance (n − 1); two-pass for accuracy with large, close values. */
function varianceOf(xs: readonly number[]): number {
  const m = meanOf(xs);
  let ss = 0;
  for (const x of xs) ss += (x - m) * (x - m);
  return ss / (xs.length - 1);
}

export function describe(values: RunValues): SetStats {
  const runs = values.map((v) => (v !== null && Number.isFinite(v) ? v : null));
  const xs = clean(values);
  const n = xs.length;
  if (n === 0) {
    return { runs, n, mean: null, sd: null, cov: null, min: null, max: null, range: null, ci95: null };
  }
  const mean = meanOf(xs);
  const min = Math.min(...xs);
  const max = Math.max(...xs);
  if (n < 2) {
    return { runs, n, mean, sd: null, cov: null, min, max, range: max - min, ci95: null };
  }
  const sd = Math.sqrt(varianceOf(xs));
  const half = tQuantile(0.975, n - 1) * (sd / Math.sqrt(n));
  return {
    runs,
    n,
    mean,
    sd,
    cov: mean === 0 ? null : sd / mean,
    min,
    max,
    range: max - min,
    ci95: [mean - half, mean + half],
  };
}

/** Welch's unequal-variance t-test for Δ = mean(c) − mean(b); null below 2 runs a side. */
export function welch(b: RunValues, c: RunValues, level = 0.95): WelchResult | null {
  const xb = clean(b);
  const xc = clean(c);
  const n = xb.length;
  const m = xc.length;
  if (n < 2 || m < 2) return null;
  const delta = meanOf(xc) - meanOf(xb);
  const vb = varianceOf(xb) / n;
  const vc = varianceOf(xc) / m;
  const se = Math.sqrt(vb + vc);
  if (se === 0) {
    // Both sides constant: no sampling noise is visible, so the difference is either exactly
    // nothing or certain. df is the pooled value (Welch's formula is 0/0 here).
    return { delta, se, t: delta === 0 ? 0 : Math.sign(delta) * Infinity, df: n + m - 2, p: delta === 0 ? 1 : 0, ci: [delta, delta] };
  }
  const df = (vb + vc) ** 2 / (vb ** 2 / (n - 1) + vc ** 2 / (m - 1));
  const t = delta / se;
  const p = Math.min(1, 2 * tCdf(-Math.abs(t), df));
  const half = tQuantile(1 - (1 - level) / 2, df) * se;
  return { delta, se, t, df, p, ci: [delta - half, delta + half] };
}

/**
 * Few new runs against many (DESIGN §5.1, §5.5): where does the mean of `m` more runs of the
 * baseline's configuration fall? Its prediction interval is mean(b) ± t(n−1) ·
 * sd(b)·√(1/m + 1/n) (m = 1: one new run); `p` is the two-sided probability of a mean at least
 * as far from mean(b). The candidate's spread is not estimated from its own few runs (two runs
 * give one degree of freedom): the baseline's many runs say how runs of a configuration vary.
 * Same shape as `welch` so the verdict rules apply unchanged. Null below 3 baseline runs
 * (with 2 the t quantile on 1 df is so wide that no run could ever be flagged).
 */
export function predictionTest(b: RunValues, c: number | null, level = 0.95, m = 1): WelchResult | null {
  const xb = clean(b);
  const n = xb.length;
  if (n < 3 || c === null || !Number.isFinite(c) || !(m >= 1)) return null;
  const delta = c - meanOf(xb);
  const se = Math.sqrt(varianceOf(xb)) * Math.sqrt(1 / m + 1 / n);
  const df = n - 1;
  if (se === 0) return { delta, se, t: delta === 0 ? 0 : Math.sign(delta) * Infinity, df, p: delta === 0 ? 1 : 0, ci: [delta, delta] };
  const t = delta / se;
  const p = Math.min(1, 2 * tCdf(-Math.abs(t), df));
  const half = tQuantile(1 - (1 - level) / 2, df) * se;
  return { delta, se, t, df, p, ci: [delta - half, delta + half] };
}

/**
 * Number of ways to pick `m` of the ranks 1..N (N = n + m) by the U they give, i.e. the exact
 * null distribution of U for sizes (n, m) without ties: counts[u], u = 0..n·m.
 * DP over the ranks; C(40, 20) ≈ 1.4e11 stays exact in a double.
 */
function uCounts(n: number, m: number): number[] {
  const total = n + m;
  const maxSum = (m * (2 * total - m + 1)) / 2;
  // ways[j][s]: ways to choose j ranks among those seen so far with rank sum s.
  const ways: number[][] = Array.from({ length: m + 1 }, () => new Array<number>(maxSum + 1).fill(0));
  (ways[0] as number[])[0] = 1;
  for (let r = 1; r <= total; r++) {
    for (let j = Math.min(r, m); j >= 1; j--) {
      const row = ways[j] as number[];
      const prev = ways[j - 1] as number[];
      for (let s = maxSum; s >= r; s--) row[s] = (row[s] as number) + (prev[s - r] as number);
    }
  }
  const minSum = (m * (m + 1)) / 2;
  const counts: number[] = [];
  const full = ways[m] as number[];
  for (let u = 0; u <= n * m; u++) counts.push(full[u + minSum] ?? 0);
  return counts;
}

/** Average ranks (1-based) of `xs`, ties sharing the mean of their ranks; also tie group sizes. */
function ranks(xs: readonly number[]): { ranks: number[]; ties: number[] } {
  const order = xs.map((x, i) => ({ x, i })).sort((a, b) => a.x - b.x);
  const out = new Array<number>(xs.length).fill(0);
  const ties: number[] = [];
  let i = 0;
  while (i < order.length) {
    let j = i;
    while (j + 1 < order.length && (order[j + 1] as { x: number }).x === (order[i] as { x: number }).x) j++;
    const avg = (i + j) / 2 + 1;
    for (let k = i; k <= j; k++) out[(order[k] as { i: number }).i] = avg;
    if (j > i) ties.push(j - i + 1);
    i = j + 1;
  }
  return { ranks: out, ties };
}

/**
 * Mann-Whitney U (Wilcoxon rank-sum), two-sided. Exact distribution when there are no ties and
 * both sides have ≤ 20 runs; otherwise the normal approximation with tie and continuity
 * correction (as R's wilcox.test). Null when a side is empty.
 */
export function mannWhitney(b: RunValues, c: RunValues): MannWhitneyResult | null {
  const xb = clean(b);
  const xc = clean(c);
  const n = xb.length;
  const m = xc.length;
  if (n === 0 || m === 0) return null;
  const { ranks: r, ties } = ranks([...xb, ...xc]);
  let rankSumC = 0;
  for (let k = n; k < n + m; k++) rankSumC += r[k] as number;
  const u = rankSumC - (m * (m + 1)) / 2;
  const mu = (n * m) / 2;

  if (ties.length === 0 && n <= 20 && m <= 20) {
    const counts = uCounts(n, m);
    const total = sum(counts);
    // The null distribution is symmetric about n·m/2: take the tail on u's side, doubled.
    const uTail = u <= mu ? u : n * m - u;
    let tail = 0;
    for (let k = 0; k <= uTail; k++) tail += counts[k] as number;
    return { u, p: Math.min(1, (2 * tail) / total), method: 'exact' };
  }

  const total = n + m;
  const tieTerm = sum(ties.map((t) => t ** 3 - t)) / (total * (total - 1));
  const variance = ((n * m) / 12) * (total + 1 - tieTerm);
  if (variance <= 0) return { u, p: 1, method: 'normal' }; // every value equal
  const diff = u - mu;
  const z = (diff - Math.sign(diff) * 0.5) / Math.sqrt(variance);
  const p = Math.min(1, 2 * normalCdf(-Math.abs(z), 0, 1));
  return { u, p, method: 'normal' };
}

/** F-test of equal variances, two-sided, for var(c)/var(b); null below 2 runs a side. */
export function fTest(b: RunValues, c: RunValues): FTestResult | null {
  const xb = clean(b);
  const xc = clean(c);
  if (xb.length < 2 || xc.length < 2) return null;
  const vb = varianceOf(xb);
  const vc = varianceOf(xc);
  const df1 = xc.length - 1;
  const df2 = xb.length - 1;
  if (vb === 0) return { ratio: null, f: null, df1, df2, p: null };
  const f = vc / vb;
  // A constant side (typical of counts that are always 0) breaks the normality the F-test
  // rests on and would give p = 0; report the ratio but no test.
  if (vc === 0) return { ratio: 0, f: 0, df1, df2, p: null };
  const lower = fCdf(f, df1, df2);
  const p = Math.min(1, 2 * Math.min(lower, 1 - lower));
  return { ratio: Math.sqrt(f), f, df1, df2, p };
}

/**
 * Benjamini-Hochberg step-up q-values. Nulls pass through and do not count in the family
 * size; q is monotone in p and capped at 1.
 */
export function benjaminiHochberg(p: readonly (number | null)[]): (number | null)[] {
  const present: { p: number; i: number }[] = [];
  p.forEach((v, i) => {
    if (v !== null && Number.isFinite(v)) present.push({ p: v, i });
  });
  const out: (number | null)[] = p.map(() => null);
  const m = present.length;
  present.sort((a, b) => a.p - b.p);
  let running = 1;
  for (let k = m - 1; k >= 0; k--) {
    const e = present[k] as { p: number; i: number };
    running = Math.min(running, (e.p * m) / (k + 1));
    out[e.i] = running;
  }
  return out;
}

/**
 * Minimum detectable effect, in % of |mean(b)|, of a two-sided Welch test at `alpha` with
 * `power`, for the observed sds and sizes: (t(1−α/2, ν) + t(power, ν)) · se, with ν the
 * Welch–Satterthwaite df. The t version rather than z because benchmark sets are small
 * (3–10 runs), where z(0.975) + z(0.8) = 2.80 understates the MDE (at ν = 4 it is 3.72).
 * Null below 2 runs a side or when mean(b) is 0.
 */
export function mdePct(b: RunValues, c: RunValues, alpha = 0.05, power = 0.8): number | null {
  const w = welch(b, c);
  const xb = clean(b);
  if (w === null) return null;
  const mb = meanOf(xb);
  if (mb === 0) return null;
  if (w.se === 0) return 0;
  const k = tQuantile(1 - alpha / 2, w.df) + tQuantile(power, w.df);
  return (100 * k * w.se) / Math.abs(mb);
}

/**
 * Runs per side (equal sizes) that would detect an effect of `noisePct` % of |mean(b)| with a
 * two-sided two-sample t-test at `alpha` and `power`, from the pooled sd:
 * smallest k ≥ 2 with (t(1−α/2, 2k−2) + t(power, 2k−2)) · sp · √(2/k) ≤ δ, the df iterated
 * with k (agrees with R's power.t.test to the integer). Capped at RUNS_NEEDED_CAP; null when
 * undefined (no sd, mean(b) 0, noise ≤ 0).
 */
export function runsNeeded(
  b: RunValues,
  c: RunValues,
  noisePct: number,
  alpha = 0.05,
  power = 0.8,
): number | null {
  const xb = clean(b);
  const xc = clean(c);
  const n = xb.length;
  const m = xc.length;
  if (n === 0 || n + m < 3 || !(noisePct > 0)) return null;
  const mb = meanOf(xb);
  if (mb === 0) return null;
  // Pooled sd from whichever sides have ≥ 2 runs.
  let ss = 0;
  for (const xs of [xb, xc]) if (xs.length >= 2) ss += varianceOf(xs) * (xs.length - 1);
  const dfPooled = Math.max(0, n - 1) + Math.max(0, m - 1);
  const sp = Math.sqrt(ss / dfPooled);
  const delta = (noisePct / 100) * Math.abs(mb);
  if (sp === 0) return 2; // no visible noise: the minimum for any test
  const enough = (k: number): boolean => {
    const df = 2 * k - 2;
    return (tQuantile(1 - alpha / 2, df) + tQuantile(power, df)) * sp * Math.sqrt(2 / k) <= delta;
  };
  if (!enough(RUNS_NEEDED_CAP)) return RUNS_NEEDED_CAP;
  // The left side falls monotonically with k: binary search for the smallest k that is enough.
  let lo = 2;
  let hi = RUNS_NEEDED_CAP;
  while (lo < hi) {
    const mid = Math.floor((lo + hi) / 2);
    if (enough(mid)) hi = mid;
    else lo = mid + 1;
  }
  return lo;
}



/**
 * Percentile CI of Δ% = 100·(mean(c) − mean(b))/mean(b) from a block bootstrap that
 * resamples whole time windows of one baseline and one candidate run (windows keep the
 * autocorrelation of samples inside a run, which a per-sample bootstrap would ignore).
 * Null with fewer than 2 windows a side or a zero baseline mean.
 */
export function blockBootstrapDeltaPct(
  b: readonly WindowSum[],
  c: readonly WindowSum[],
  opts: { resamples?: number; seed?: number; level?: number } = {},
): [number, number] | null {
  const bw = b.filter((w) => w.n > 0);
  const cw = c.filter((w) => w.n > 0);
  if (bw.length < 2 || cw.length < 2) return null;
  const resamples = opts.resamples ?? 2000;
  const level = opts.level ?? 0.95;
  const rand = mulberry32(opts.seed ?? 1);
  const draw = (ws: readonly WindowSum[]): number => {
    let n = 0;
    let total = 0;
    for (let i = 0; i < ws.length; i++) {
      const w = ws[Math.floor(rand() * ws.length)] as WindowSum;
      n += w.n;
      total += w.total;
    }
    return total / n;
  };
  const out: number[] = [];
  for (let r = 0; r < resamples; r++) {
    const mb = draw(bw);
    const mc = draw(cw);
    if (mb !== 0) out.push((100 * (mc - mb)) / mb);
  }
  if (out.length < resamples / 2) return null;
  out.sort((x, y) => x - y);
  const lo = out[Math.floor(((1 - level) / 2) * (out.length - 1))] as number;
  const hi = out[Math.ceil((1 - (1 - level) / 2) * (out.length - 1))] as number;
  return [lo, hi];
}
