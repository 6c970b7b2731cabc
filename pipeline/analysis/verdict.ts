// Verdicts over a whole report (DESIGN §5, §5.5): per-metric change and variance-change verdicts
// with Benjamini-Hochberg q-values within each family (primary, exploratory) across the report,
// margins that make "unchanged" a claim, and the largest harm an interval allows. The sentences
// that answer "what changed?" are in sentences.ts.
import {
  benjaminiHochberg,
  describe,
  fTest,
  mannWhitney,
  mdePct,
  predictionTest,
  runsNeeded,
  welch,
} from './stats.js';
import { ABSOLUTE_MARGIN, DEFAULT_MAX_MARGIN_PCT, PRIMARY_METRICS, TOO_NOISY_PCT } from '../core/index.js';
import type { ComparisonMethod, Family, MetricComparison, MetricDef, VarianceChange, Verdict } from '../core/index.js';

export interface MetricInput {
  def: MetricDef;
  baseline: (number | null)[];
  candidate: (number | null)[];
  noisePct: number;
  /** Primary metrics decide, exploratory ones are reported (DESIGN §5.5); default: the catalogue's primary list. */
  family?: Family;
  /** The metric's gate budget in %, when a gate gives one: the margin is never wider. */
  budgetPct?: number | null;
}

export interface AnalyseOptions {
  alpha: number;
  /** Ceiling of every equivalence margin in % (`--max-margin`; default 10). */
  maxMargin?: number;
}

/** Minimum runs a side for the Mann-Whitney p-value to be reported (DESIGN §5). */
const MWU_MIN_RUNS = 4;

/** Power for the MDE and runs needed (DESIGN §5); α is the report's, so power matches the test. */
const POWER = 0.8;

/** A comparison before the report-wide q-values (BH families) are known. */
interface FirstPass {
  comp: Omit<MetricComparison, 'q_value' | 'verdict' | 'variance'>;
  fp: number | null;
  sdRatio: number | null;
}

/** The family of a metric when the caller does not say: the catalogue's primary list. */
export function defaultFamily(id: string): Family {
  return PRIMARY_METRICS.includes(id) ? 'primary' : 'exploratory';
}

/** The equivalence margin (DESIGN §5.5): min(noise threshold, budget, max margin). */
export function marginPct(noisePct: number, budgetPct: number | null | undefined, maxMargin = DEFAULT_MAX_MARGIN_PCT): number {
  return Math.min(noisePct, budgetPct ?? Infinity, maxMargin);
}

export function analyse(inputs: MetricInput[], opts: AnalyseOptions): MetricComparison[] {
  const { alpha } = opts;
  const first: FirstPass[] = inputs.map(({ def, baseline, candidate, noisePct, family, budgetPct }) => {
    const b = describe(baseline);
    const c = describe(candidate);
    const method = runToRunMethod(b.n, c.n);
    const w = method === 'prediction-interval' ? predictionTest(baseline, c.mean, 0.95, c.n) : welch(baseline, candidate);
    const mb = b.mean;
    const delta = b.mean !== null && c.mean !== null ? c.mean - b.mean : null;
    const scale = mb !== null && mb !== 0 ? 100 / mb : null;
    const deltaPct = delta !== null && scale !== null ? delta * scale : null;
    let ci: [number, number] | null = null;
    if (w !== null && scale !== null) {
      // A negative baseline mean flips the interval's ends.
      const lo = w.ci[0] * scale;
      const hi = w.ci[1] * scale;
      ci = boundRatioCi(lo <= hi ? [lo, hi] : [hi, lo], baseline, candidate);
    }
    const mwu = b.n >= MWU_MIN_RUNS && c.n >= MWU_MIN_RUNS ? mannWhitney(baseline, candidate) : null;
    const f = fTest(baseline, candidate);
    const abs = ABSOLUTE_MARGIN[def.id];
    const margin = marginPct(noisePct, budgetPct, opts.maxMargin);
    return {
      comp: {
        id: def.id,
        section: def.section,
        unit: def.unit,
        better: def.better,
        baseline: b,
        candidate: c,
        delta,
        delta_pct: deltaPct,
        ci95_pct: ci,
        ci_method: method,
        method,
        p_value: w?.p ?? null,
        p_value_mwu: mwu?.p ?? null,
        noise_pct: noisePct,
        mde_pct: mdePct(baseline, candidate, alpha, POWER),
        // The runs that would decide it: detect a change the size of the margin (for a rare
        // count, its absolute margin as a % of the baseline mean).
        runs_needed: runsNeeded(baseline, candidate, abs !== undefined && mb !== null && mb !== 0 ? (100 * abs) / Math.abs(mb) : margin, alpha, POWER),
        family: family ?? defaultFamily(def.id),
        margin_pct: margin,
        ...(abs !== undefined
          ? { margin_abs: abs, ci95_delta: w === null ? null : ([w.ci[0], w.ci[1]] as [number, number]) }
          : noisePct > TOO_NOISY_PCT
            ? { too_noisy: true }
            : {}),
      },
      fp: f?.p ?? null,
      sdRatio: f?.ratio ?? null,
    };
  });

  // Mean changes: one BH family per metric family (primary, exploratory), each across the
  // whole report; variance changes: one family of their own.
  const q = familyQ(first.map((x) => x.comp.p_value), first.map((x) => x.comp.family));
  const fq = benjaminiHochberg(first.map((x) => x.fp));

  return first.map((x, i) => {
    const qi = q[i] ?? null;
    const fqi = fq[i] ?? null;
    const variance: VarianceChange = {
      sd_ratio: x.sdRatio,
      p_value: x.fp,
      q_value: fqi,
      verdict:
        x.comp.baseline.n < 2 || x.comp.candidate.n < 2
          ? 'insufficient-data'
          : fqi !== null && fqi < alpha && x.sdRatio !== null
            ? x.sdRatio < 1
              ? 'smaller'
              : 'larger'
            : 'inconclusive',
    };
    return { ...x.comp, q_value: qi, verdict: decide(x.comp, qi, alpha), variance };
  });
}

/** Benjamini-Hochberg q-values computed within each family separately. */
export function familyQ(p: readonly (number | null)[], family: readonly Family[]): (number | null)[] {
  const out: (number | null)[] = p.map(() => null);
  for (const fam of ['primary', 'exploratory'] as const) {
    const idx = family.flatMap((f, i) => (f === fam ? [i] : []));
    const q = benjaminiHochberg(idx.map((i) => p[i] ?? null));
    idx.forEach((i, k) => (out[i] = q[k] ?? null));
  }
  return out;
}

/**
 * The run-to-run test a pair of set sizes allows (DESIGN §5.1, §5.5): with ≥ 3 baseline runs
 * and few candidate runs (m < 3, or m < n/3) the candidate's mean is tested against the
 * baseline's prediction for the mean of m new runs — its own 2 runs would give Welch about one
 * degree of freedom, so more data would decide less; Welch where both sides have enough runs.
 * Anything else has no run-to-run verdict; with one run a side compare.ts may add a labelled
 * within-run one.
 */
export function runToRunMethod(n: number, m: number): ComparisonMethod {
  return n >= 3 && m >= 1 && (m < 3 || m < n / 3) ? 'prediction-interval' : 'welch';
}

function decide(comp: FirstPass['comp'], q: number | null, alpha: number): Verdict {
  const { baseline: b, candidate: c, delta, delta_pct: pct, ci95_pct: ci, noise_pct: noise, margin_pct: margin } = comp;
  if (comp.method !== 'prediction-interval' && (b.n < 2 || c.n < 2)) return 'insufficient-data';
  // Both sides constant and equal: nothing moved, even where Δ% is n/a (e.g. counts all 0).
  if (b.sd === 0 && c.sd === 0 && delta === 0) return 'unchanged';
  if (comp.margin_abs !== undefined && delta !== null) return decideAbsolute(comp, delta, q, alpha);
  if (pct === null || delta === null) return 'inconclusive';
  // A noise threshold above 50% is not a threshold (DESIGN §5.5): too noisy to call a change.
  if (comp.too_noisy !== true && q !== null && q < alpha && Math.abs(pct) >= noise) {
    if (comp.better === 'none' || delta === 0) return 'changed';
    const up = delta > 0;
    return up === (comp.better === 'lower') ? 'regressed' : 'improved';
  }
  // Unchanged is a claim: the whole interval inside ±margin (never wider than 10% by default).
  if (ci !== null && ci[0] >= -margin && ci[1] <= margin) return 'unchanged';
  return 'inconclusive';
}

/** A rare count on its absolute scale: a change of at least the margin, or the whole CI of Δ inside ±margin. */
function decideAbsolute(comp: FirstPass['comp'], delta: number, q: number | null, alpha: number): Verdict {
  const m = comp.margin_abs as number;
  const ci = comp.ci95_delta ?? null;
  if (q !== null && q < alpha && Math.abs(delta) >= m) {
    if (comp.better === 'none') return 'changed';
    return delta > 0 === (comp.better === 'lower') ? 'regressed' : 'improved';
  }
  if (ci !== null && ci[0] >= -m && ci[1] <= m) return 'unchanged';
  return 'inconclusive';
}

/**
 * One run a side (DESIGN §5.1): a verdict from the within-run interval of Δ% alone, labelled
 * `within-run`. No q-value: the block bootstrap gives an interval, not a p-value, so a change
 * needs the whole interval on one side of 0 and |Δ%| ≥ noise; the interval inside ±noise is
 * `unchanged`. It describes these two runs, not the configurations, so gates never count it.
 */
export function withinRunVerdict(comp: MetricComparison): Verdict {
  const ci = comp.within_run?.ci95_pct;
  const pct = comp.delta_pct;
  if (!ci || pct === null || comp.delta === null) return 'insufficient-data';
  const noise = comp.noise_pct;
  if ((ci[0] > 0 || ci[1] < 0) && Math.abs(pct) >= noise) {
    if (comp.better === 'none' || comp.delta === 0) return 'changed';
    return comp.delta > 0 === (comp.better === 'lower') ? 'regressed' : 'improved';
  }
  if (ci[0] >= -comp.margin_pct && ci[1] <= comp.margin_pct) return 'unchanged';
  return 'inconclusive';
}

/**
 * A Δ% interval of a metric that cannot go negative never extends below −100%: the Welch
 * interval is symmetric and can, but the candidate's mean cannot fall below zero.
 */
export function boundRatioCi(ci: [number, number], b: (number | null)[], c: (number | null)[]): [number, number] {
  const nonNegative = [...b, ...c].every((v) => v === null || v >= 0);
  return nonNegative && ci[0] < -100 ? [-100, Math.max(ci[1], -100)] : ci;
}

/** The largest harmful change the CI allows, in % (positive), or null when none beyond 0. */
export function worstCase(c: Pick<MetricComparison, 'better' | 'ci95_pct'>): number | null {
  if (c.ci95_pct === null) return null;
  const [lo, hi] = c.ci95_pct;
  const harm = c.better === 'lower' ? hi : c.better === 'higher' ? -lo : Math.max(Math.abs(lo), Math.abs(hi));
  return harm > 0 ? harm : null;
}
