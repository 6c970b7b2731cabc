// Verdicts over a whole report (DESIGN §5): per-metric change and variance-change verdicts with
// Benjamini-Hochberg q-values across the report, and the generated sentences ("observations",
// "undecided") that answer "what changed?" in the report summary.
import {
  benjaminiHochberg,
  describe,
  fTest,
  mannWhitney,
  mdePct,
  predictionTest,
  runsNeeded,
  welch,
  RUNS_NEEDED_CAP,
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
    const margin = marginPct(noisePct, budgetPct, opts.maxMargin);
    const abs = ABSOLUTE_MARGIN[def.id];
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
        // The runs that would decide it: detect a change the size of the margin.
        runs_needed: runsNeeded(baseline, candidate, margin, alpha, POWER),
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

// ---------------------------------------------------------------------------------------------
// Sentences

/** 3 significant figures; integers from 100 up; a true minus sign. */
export function fmt(x: number): string {
  if (!Number.isFinite(x)) return String(x);
  const s = Math.abs(x) >= 100 ? Math.round(x).toString() : x.toPrecision(3);
  return s.replace(/^-/, '−');
}

/** q- and p-values: 2 significant figures, "< 0.001" below that. */
export function fmtQ(q: number): string {
  return q < 0.001 ? 'q < 0.001' : `q = ${q.toPrecision(2)}`;
}

/** "6.00–10.2%" when both ends are non-negative, "−1.91% to 31.3%" otherwise. */
function pctRange(lo: number, hi: number): string {
  return lo >= 0 ? `${fmt(lo)}–${fmt(hi)}%` : `${fmt(lo)}% to ${fmt(hi)}%`;
}

/** "A", "A and B", "A, B and C"; long lists cut to the first few and "N more". */
function list(items: string[], max = 8): string {
  const shown = items.length > max ? [...items.slice(0, max), `${items.length - max} more`] : items;
  if (shown.length <= 1) return shown.join('');
  return `${shown.slice(0, -1).join(', ')} and ${shown[shown.length - 1] as string}`;
}

function runsPhrase(k: number): string {
  return k >= RUNS_NEEDED_CAP ? `${RUNS_NEEDED_CAP} or more runs per side` : `about ${k} runs per side`;
}

export function summarise(
  comps: MetricComparison[],
  catalogue: MetricDef[],
  opts: { alpha?: number; family?: number } = {},
): { observations: string[]; undecided: string[] } {
  // A metric that coincides with another is the same test: said once, under the other's name.
  comps = comps.filter((c) => c.coincides_with === undefined);
  const titles = new Map(catalogue.map((d) => [d.id, d.title]));
  const title = (c: MetricComparison): string => titles.get(c.id) ?? c.id;
  // The lists beside the summary already name every decided change and variance change; the
  // observations say what the lists cannot: findings that belong together, and numbers that
  // seem to disagree.
  const observations = [...cpuFinding(comps, title), ...disagreements(comps, title, opts.alpha, opts.family)];

  const undecided: string[] = risks(comps, title);
  const inconclusive = comps.filter((c) => c.verdict === 'inconclusive');
  const noRelative = inconclusive.filter((c) => c.delta_pct === null && c.delta !== null);
  const open = inconclusive.filter((c) => c.delta_pct !== null);
  if (open.length > 0) {
    const needed = open.map((c) => c.runs_needed).filter((k): k is number => k !== null);
    const most = needed.length > 0 ? Math.max(...needed) : null;
    const worst = most !== null ? open.find((c) => c.runs_needed === most) : undefined;
    let s =
      `Inconclusive for ${list(open.map(title))}: neither a change beyond the noise threshold ` +
      `nor equivalence within it was shown`;
    if (most !== null && worst !== undefined) {
      s +=
        `; ${runsPhrase(most)} would make a change the size of the noise threshold detectable ` +
        `(80% power)${open.length > 1 ? `, ${title(worst)} needing the most` : ''}`;
    }
    s += '.';
    undecided.push(s);
  }
  if (noRelative.length > 0) {
    undecided.push(
      `No relative change can be stated for ${list(noRelative.map(title))}: the baseline mean is 0.`,
    );
  }
  const insufficient = comps.filter((c) => c.verdict === 'insufficient-data');
  if (insufficient.length > 0) {
    undecided.push(
      `Insufficient data for ${list(insufficient.map(title))}: a set has fewer than 2 runs with ` +
        `a value, and at least 2 runs per side (or 3 baseline runs against one) are needed for a run-to-run verdict.`,
    );
  }
  return { observations, undecided };
}

/**
 * Sentences of a multi-way report: each candidate set's own observations and undecided
 * lines, prefixed with the set's name so no sentence is ambiguous about which set it means.
 */
export function summariseMatrix(
  perCandidate: MetricComparison[][],
  labels: string[],
  catalogue: MetricDef[],
  alpha = 0.05,
): { observations: string[]; undecided: string[] } {
  const observations: string[] = [];
  const undecided: string[] = [];
  perCandidate.forEach((comps, k) => {
    const name = labels[k] ?? `candidate set ${k + 1}`;
    const s = summarise(comps, catalogue, { alpha, family: perCandidate.flat().length });
    observations.push(...s.observations.map((x) => `${name}: ${x}`));
    undecided.push(...s.undecided.map((x) => `${name}: ${x}`));
  });
  return { observations, undecided };
}

// ---------------------------------------------------------------------------------------------
// Risk first (issue 10): what an undecided metric may still hide, findings that belong together,
// and intervals that seem to disagree with their q-value.

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

function signedPct(x: number): string {
  return `${x >= 0 ? '+' : '−'}${fmt(Math.abs(x))}%`;
}

/** How many risk lines are listed one by one; the rest are named in one line. */
const RISKS_LISTED = 6;

/**
 * Undecided metrics whose CI still allows a harmful change beyond the noise threshold, the
 * largest possible harm first — measured in noise thresholds, so a count with a mean near 0
 * (+500% of 0.2 blocks) does not bury RSS: "RSS: a rise up to +7.2% is not ruled out (…)".
 */
export function risks(comps: MetricComparison[], title: (c: MetricComparison) => string): string[] {
  const open = comps
    .filter((c) => c.verdict === 'inconclusive')
    .map((c) => ({ c, harm: worstCase(c) }))
    .filter((x): x is { c: MetricComparison; harm: number } => x.harm !== null && x.harm > x.c.noise_pct)
    .sort((a, b) => b.harm / Math.max(b.c.noise_pct, 1e-9) - a.harm / Math.max(a.c.noise_pct, 1e-9));
  const lines = open.slice(0, RISKS_LISTED).map(({ c, harm }) => {
    const what =
      c.better === 'lower' ? `a rise up to ${signedPct(harm)}` : c.better === 'higher' ? `a fall down to ${signedPct(-harm)}` : `a change of up to ±${fmt(harm)}%`;
    const est = c.delta_pct === null ? '' : `Δ% ${signedPct(c.delta_pct)}, `;
    return `${title(c)}: ${what} is not ruled out (${est}noise threshold ±${fmt(c.noise_pct)}%).`;
  });
  const rest = open.slice(RISKS_LISTED);
  if (rest.length > 0) {
    lines.push(`Also not ruled out beyond their noise thresholds: ${list(rest.map(({ c, harm }) => `${title(c)} (${signedPct(c.better === 'higher' ? -harm : harm)})`), 12)}.`);
  }
  return lines;
}

const CPU_PARTS = ['cpu_pct', 'gc_cpu_pct', 'mut_cpu_pct'] as const;
const DECIDED = new Set<Verdict>(['regressed', 'improved', 'changed']);

/**
 * CPU, GC CPU and mutator CPU move together when the work itself changed: one finding, not
 * three. When only total and GC CPU moved, the change is in the garbage collector.
 */
export function cpuFinding(comps: MetricComparison[], title: (c: MetricComparison) => string): string[] {
  const parts = CPU_PARTS.map((id) => comps.find((c) => c.id === id));
  const [cpu, gc, mut] = parts;
  if (!cpu || !gc || !mut) return [];
  const moved = parts.filter((c): c is MetricComparison => c !== undefined && DECIDED.has(c.verdict) && c.delta_pct !== null);
  if (moved.length < 2) return [];
  const up = (c: MetricComparison) => (c.delta_pct ?? 0) > 0;
  if (!moved.every((c) => up(c) === up(moved[0] as MetricComparison))) return [];
  const dir = up(moved[0] as MetricComparison) ? 'rose' : 'fell';
  const named = moved.map((c) => `${title(c)} ${signedPct(c.delta_pct as number)}`).join(', ');
  if (moved.length === 3) {
    return [`CPU, GC and mutator CPU all ${dir} (${named}): one finding — the node does more or less work of both kinds, not a shift between them.`];
  }
  const still = parts.find((c) => c !== undefined && !moved.includes(c)) as MetricComparison;
  const where = still.id === 'mut_cpu_pct' ? 'the garbage collector' : still.id === 'gc_cpu_pct' ? 'the mutator (the node’s own work)' : 'its parts';
  return [`${named} ${dir} together while ${title(still)} did not change decidedly: one finding — the change is in ${where}.`];
}

/**
 * Numbers that seem to disagree, explained once for all the metrics they concern (not once per
 * metric): a 95% CI of Δ% that excludes 0 while q ≥ α (the interval is for one metric, q corrects
 * for every comparison of its family), and q < α with |Δ%| under the noise threshold (a real but
 * small change).
 */
export function disagreements(comps: MetricComparison[], title: (c: MetricComparison) => string, alpha = 0.05, family = comps.length): string[] {
  const excludes: string[] = [];
  const small: string[] = [];
  for (const c of comps) {
    if (c.ci95_pct === null || c.q_value === null || c.delta_pct === null) continue;
    const [lo, hi] = c.ci95_pct;
    if ((lo > 0 || hi < 0) && c.q_value >= alpha) excludes.push(`${title(c)} (${pctRange(lo, hi)}, ${fmtQ(c.q_value)})`);
    else if (c.q_value < alpha && Math.abs(c.delta_pct) < c.noise_pct) small.push(`${title(c)} ${signedPct(c.delta_pct)} (${fmtQ(c.q_value)}, threshold ±${fmt(c.noise_pct)}%)`);
  }
  const out: string[] = [];
  if (excludes.length > 0) {
    out.push(
      `The 95% CI of Δ% excludes 0 but q ≥ ${alpha} for ${list(excludes)}: an interval speaks for its metric alone, q corrects for all ${family} comparisons of the report's families, so no verdict.`,
    );
  }
  if (small.length > 0) out.push(`Real changes too small to count (q < ${alpha}, |Δ%| inside the noise threshold): ${list(small)}.`);
  return out;
}
