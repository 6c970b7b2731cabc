// The sentences of a report's summary (DESIGN §5.1, §6): the observations that say what the
// lists of verdicts cannot (findings that belong together, numbers that seem to disagree) and
// what could not be decided, riskiest first, with the runs that would decide it.
import { RUNS_NEEDED_CAP } from './stats.js';
import { worstCase } from './verdict.js';
import type { MetricComparison, MetricDef, Verdict } from '../core/index.js';

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
        `; ${runsPhrase(most)} would make a change the size of the margin detectable ` +
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
  // Rare counts are judged on their absolute scale: a % of a near-zero mean is no risk measure.
  const open = comps
    .filter((c) => c.verdict === 'inconclusive' && c.margin_abs === undefined)
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
