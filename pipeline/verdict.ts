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
import type { ComparisonMethod, MetricComparison, MetricDef, VarianceChange, Verdict } from './types.js';

export interface MetricInput {
  def: MetricDef;
  baseline: (number | null)[];
  candidate: (number | null)[];
  noisePct: number;
}

/** Minimum runs a side for the Mann-Whitney p-value to be reported (DESIGN §5). */
const MWU_MIN_RUNS = 4;

/** Power for the MDE and runs needed (DESIGN §5); α is the report's, so power matches the test. */
const POWER = 0.8;

/** A comparison before the report-wide q-values (two BH families) are known. */
interface FirstPass {
  comp: Omit<MetricComparison, 'q_value' | 'verdict' | 'variance'>;
  fp: number | null;
  sdRatio: number | null;
}

export function analyse(inputs: MetricInput[], opts: { alpha: number }): MetricComparison[] {
  const { alpha } = opts;
  const first: FirstPass[] = inputs.map(({ def, baseline, candidate, noisePct }) => {
    const b = describe(baseline);
    const c = describe(candidate);
    const method = runToRunMethod(b.n, c.n);
    const w = method === 'prediction-interval' ? predictionTest(baseline, c.mean) : welch(baseline, candidate);
    const mb = b.mean;
    const delta = b.mean !== null && c.mean !== null ? c.mean - b.mean : null;
    const scale = mb !== null && mb !== 0 ? 100 / mb : null;
    const deltaPct = delta !== null && scale !== null ? delta * scale : null;
    let ci: [number, number] | null = null;
    if (w !== null && scale !== null) {
      // A negative baseline mean flips the interval's ends.
      const lo = w.ci[0] * scale;
      const hi = w.ci[1] * scale;
      ci = lo <= hi ? [lo, hi] : [hi, lo];
    }
    const mwu = b.n >= MWU_MIN_RUNS && c.n >= MWU_MIN_RUNS ? mannWhitney(baseline, candidate) : null;
    const f = fTest(baseline, candidate);
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
        runs_needed: runsNeeded(baseline, candidate, noisePct, alpha, POWER),
      },
      fp: f?.p ?? null,
      sdRatio: f?.ratio ?? null,
    };
  });

  // Two families, each corrected across the whole report: mean changes and variance changes.
  const q = benjaminiHochberg(first.map((x) => x.comp.p_value));
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

/**
 * The run-to-run test a pair of set sizes allows: Welch with ≥ 2 runs a side, the baseline's
 * prediction interval for one new run against ≥ 3 (DESIGN §5.1). Anything else has no
 * run-to-run verdict; with one run a side compare.ts may add a labelled within-run one.
 */
export function runToRunMethod(n: number, m: number): ComparisonMethod {
  return n >= 3 && m === 1 ? 'prediction-interval' : 'welch';
}

function decide(comp: FirstPass['comp'], q: number | null, alpha: number): Verdict {
  const { baseline: b, candidate: c, delta, delta_pct: pct, ci95_pct: ci, noise_pct: noise } = comp;
  if (comp.method !== 'prediction-interval' && (b.n < 2 || c.n < 2)) return 'insufficient-data';
  // Both sides constant and equal: nothing moved, even where Δ% is n/a (e.g. counts all 0).
  if (b.sd === 0 && c.sd === 0 && delta === 0) return 'unchanged';
  if (pct === null || delta === null) return 'inconclusive';
  if (q !== null && q < alpha && Math.abs(pct) >= noise) {
    if (comp.better === 'none' || delta === 0) return 'changed';
    const up = delta > 0;
    return up === (comp.better === 'lower') ? 'regressed' : 'improved';
  }
  if (ci !== null && ci[0] >= -noise && ci[1] <= noise) return 'unchanged';
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
  if (ci[0] >= -noise && ci[1] <= noise) return 'unchanged';
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

function withUnit(x: number, unit: string): string {
  if (unit === '') return fmt(x);
  return unit === '%' ? `${fmt(x)}%` : `${fmt(x)} ${unit}`;
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

const CHANGE_SUFFIX: Record<string, string> = {
  regressed: ': a regression',
  improved: ': an improvement',
  changed: '',
};

export function summarise(
  comps: MetricComparison[],
  catalogue: MetricDef[],
): { observations: string[]; undecided: string[] } {
  const titles = new Map(catalogue.map((d) => [d.id, d.title]));
  const title = (c: MetricComparison): string => titles.get(c.id) ?? c.id;
  const observations: string[] = [];

  // Decided changes: regressions, improvements, then direction-less changes; the largest
  // relative change first within each class.
  for (const verdict of ['regressed', 'improved', 'changed'] as const) {
    const group = comps
      .filter((c) => c.verdict === verdict)
      .sort((a, b) => Math.abs(b.delta_pct ?? 0) - Math.abs(a.delta_pct ?? 0));
    for (const c of group) observations.push(changeSentence(c, title(c), CHANGE_SUFFIX[verdict] ?? ''));
  }

  // Variance changes: the largest ratio (either way) first.
  const spread = comps
    .filter((c) => (c.variance.verdict === 'smaller' || c.variance.verdict === 'larger') && c.variance.sd_ratio !== null)
    .sort((a, b) => Math.abs(Math.log(b.variance.sd_ratio as number)) - Math.abs(Math.log(a.variance.sd_ratio as number)));
  for (const c of spread) {
    const v = c.variance;
    const q = v.q_value !== null ? `, ${fmtQ(v.q_value)}` : '';
    observations.push(
      `Run-to-run spread of ${title(c)} was ${v.verdict}: sd ratio ${fmt(v.sd_ratio as number)} ` +
        `(candidate ${fmtSd(c.candidate.sd, c.unit)} against ${fmtSd(c.baseline.sd, c.unit)}${q}).`,
    );
  }

  const undecided: string[] = [];
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

function fmtSd(sd: number | null, unit: string): string {
  return sd === null ? 'n/a' : withUnit(sd, unit);
}

function changeSentence(c: MetricComparison, name: string, suffix: string): string {
  const pct = c.delta_pct;
  const from = c.baseline.mean;
  const to = c.candidate.mean;
  if (pct === null || from === null || to === null) return `${name} changed${suffix}.`;
  const verb = (c.delta ?? 0) >= 0 ? 'rose' : 'fell';
  const parts: string[] = [];
  const ci = c.method === 'within-run' ? (c.within_run?.ci95_pct ?? null) : c.ci95_pct;
  if (ci !== null) {
    // Stated as the size of the rise or fall, so the interval reads alongside the verb.
    const [lo, hi] = verb === 'rose' ? ci : [-ci[1], -ci[0]];
    parts.push(`${c.method === 'within-run' ? 'within-run ' : ''}95% CI ${pctRange(lo, hi)}`);
  }
  if (c.q_value !== null) parts.push(fmtQ(c.q_value));
  const detail = parts.length > 0 ? ` (${parts.join(', ')})` : '';
  return (
    `${name} ${verb} ${fmt(Math.abs(pct))}%, from ${withUnit(from, c.unit)} to ${withUnit(to, c.unit)}` +
    `${detail}${suffix}${c.method === 'within-run' ? ' of these two runs †' : ''}.`
  );
}
