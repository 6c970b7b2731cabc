// compare stage: run values of the baseline and each candidate set → per-metric statistics and
// verdicts (DESIGN §5), the generated observations, and — with one run per side — labelled
// within-run estimates. With several candidate sets (DESIGN §5.2) every (metric, candidate)
// comparison is one Benjamini-Hochberg family, so adding sets cannot inflate false flags.
import { CATALOGUE } from '../core/index.js';
import type { Warehouse } from '../warehouse/index.js';
import { readWindows, type MetricsResult } from '../metrics/index.js';
import { noiseFor, type NoiseConfig } from './noise-config.js';
import { blockBootstrapDeltaPct } from './stats.js';
import type { Family, MetricComparison } from '../core/index.js';
import { analyse, defaultFamily, withinRunVerdict } from './verdict.js';
import { summarise, summariseMatrix } from './sentences.js';

export interface CompareInput {
  /** Warehouse run ids of each set, in the set's order. */
  baseline: number[];
  /** One list per candidate set. */
  candidates: number[][];
  /** Candidate set names, for the sentences of a multi-way report. */
  labels: string[];
  alpha: number;
  noise?: number;
  noiseConfig: NoiseConfig | null;
  /** Thresholds calibrated from the warehouse's history (`--noise-from-history`). */
  history?: Record<string, number>;
  /** The metrics a gate names (DESIGN §5.5): the primary family; default the catalogue's list. */
  primary?: ReadonlySet<string> | null;
  /** Gate budgets in %: a metric's margin is never wider than its budget. */
  budgets?: ReadonlyMap<string, number>;
  /** `--max-margin`: ceiling of every equivalence margin in % (default 10). */
  maxMargin?: number;
}

export interface CompareResult {
  /** The first candidate set's comparisons (the only set of a two-set report). */
  comparisons: MetricComparison[];
  /** Every candidate set's comparisons, in set order. */
  perCandidate: MetricComparison[][];
  observations: string[];
  undecided: string[];
}

export const WITHIN_RUN_WINDOWS = 10;
const WITHIN_RUN_RESAMPLES = 2000;

export async function compareSets(db: Warehouse, metrics: MetricsResult, input: CompareInput): Promise<CompareResult> {
  const valuesOf = (ids: number[], metric: string): (number | null)[] =>
    ids.map((id) => metrics.byRun.get(id)?.values.get(metric) ?? null);
  // Adoption centiles that pick the same node at this node count are one test, not several.
  const runIds = [input.baseline, ...input.candidates].flat();
  const same = coincidingCentiles(CATALOGUE.map((d) => d.id), (id) => runIds.map((r) => metrics.byRun.get(r)?.values.get(id) ?? null));
  const tested = CATALOGUE.filter((d) => !same.has(d.id));
  const family = familiesOf(CATALOGUE.map((d) => d.id), same, input.primary ?? null);
  // One analyse call over all sets: its BH families span every (metric, candidate) pair.
  const analysed = analyse(
    input.candidates.flatMap((cand) =>
      tested.map((def) => ({
        def,
        baseline: valuesOf(input.baseline, def.id),
        candidate: valuesOf(cand, def.id),
        noisePct: noiseFor(def.id, input.noiseConfig, input.noise, input.history),
        family: family.get(def.id) ?? defaultFamily(def.id),
        budgetPct: minBudget(def.id, same, input.budgets),
      })),
    ),
    { alpha: input.alpha, ...(input.maxMargin === undefined ? {} : { maxMargin: input.maxMargin }) },
  );
  const perCandidate = input.candidates.map((_, k) => {
    const own = new Map(analysed.slice(k * tested.length, (k + 1) * tested.length).map((c) => [c.id, c]));
    return CATALOGUE.flatMap((d): MetricComparison[] => {
      const rep = same.get(d.id);
      const c = own.get(rep ?? d.id);
      return c === undefined ? [] : [rep === undefined ? c : { ...c, id: d.id, coincides_with: rep }];
    });
  });
  const comparisons = perCandidate[0] ?? [];
  if (perCandidate.length > 1) {
    return { comparisons, perCandidate, ...summariseMatrix(perCandidate, input.labels, CATALOGUE, input.alpha) };
  }
  const [bId] = input.baseline;
  const candidate = input.candidates[0] ?? [];
  const [cId] = candidate;
  const oneASide = input.baseline.length === 1 && candidate.length === 1 && bId !== undefined && cId !== undefined;
  // Within-run verdicts first, so the summary sentences below see them (labelled †).
  const nWithin = oneASide ? await withinRunEstimates(db, comparisons, bId, cId) : 0;
  const { observations, undecided } = summarise(comparisons, CATALOGUE, { alpha: input.alpha });
  if (nWithin > 0) {
    undecided.push(
      `With one run per side no run-to-run verdict is possible; ${nWithin} metrics carry a within-run verdict instead (block bootstrap over ${WITHIN_RUN_WINDOWS} time windows of each run, marked †), which describes these two runs, not the configurations, and never passes a gate.`,
    );
  }
  return { comparisons, perCandidate, observations, undecided };
}

/** One run per side: attach a labelled within-run Δ% interval to each distribution metric. */
async function withinRunEstimates(db: Warehouse, comparisons: MetricComparison[], bId: number, cId: number): Promise<number> {
  const windows = await readWindows(db, WITHIN_RUN_WINDOWS);
  let n = 0;
  for (const [i, c] of comparisons.entries()) {
    const ci = blockBootstrapDeltaPct(windows.get(`${bId}:${c.id}`) ?? [], windows.get(`${cId}:${c.id}`) ?? [], {
      resamples: WITHIN_RUN_RESAMPLES,
      seed: 1 + i,
    });
    c.within_run = ci
      ? { ci95_pct: ci, windows: WITHIN_RUN_WINDOWS, resamples: WITHIN_RUN_RESAMPLES, method: 'block bootstrap over time windows of one run per side' }
      : null;
    if (ci) {
      n++;
      c.verdict = withinRunVerdict(c);
      c.method = 'within-run';
    }
  }
  return n;
}

/**
 * Adoption centile metrics whose run values equal those of the next lower centile in every run:
 * with N nodes the nearest-rank centiles p and p' pick the same node when ⌈pN⌉ = ⌈p'N⌉ (with 6
 * nodes, 90% … 100% are all the last node). `values(id)` gives the metric's value in every run
 * compared. Returns metric id → the lowest such centile's id.
 */
export function coincidingCentiles(ids: string[], values: (id: string) => (number | null)[]): Map<string, string> {
  const adoption = ids.filter((id) => /^adoption_p\d+_s$/.test(id));
  const out = new Map<string, string>();
  for (let i = 1; i < adoption.length; i++) {
    const prev = adoption[i - 1] as string;
    const here = adoption[i] as string;
    const a = values(prev);
    const b = values(here);
    const equal = a.length > 0 && a.every((v, k) => v !== null && b[k] !== null && Math.abs(v - (b[k] as number)) <= 1e-12 * Math.max(1, Math.abs(v)));
    if (equal) out.set(here, out.get(prev) ?? prev);
  }
  return out;
}

/**
 * Each tested metric's family (DESIGN §5.5): primary when it, or a centile that coincides with
 * it, is named by the gate (`primary`) or, without a gate, is on the catalogue's primary list.
 */
export function familiesOf(ids: readonly string[], same: ReadonlyMap<string, string>, primary: ReadonlySet<string> | null): Map<string, Family> {
  const isPrimary = (id: string) => (primary !== null ? primary.has(id) : defaultFamily(id) === 'primary');
  const out = new Map<string, Family>();
  for (const id of ids) {
    const rep = same.get(id) ?? id;
    if (isPrimary(id) || out.get(rep) === 'primary') out.set(rep, 'primary');
    else if (!out.has(rep)) out.set(rep, 'exploratory');
    if (rep !== id) out.set(id, out.get(rep) as Family);
  }
  return out;
}

/** The tightest budget among a metric and the centiles that coincide with it. */
export function minBudget(id: string, same: ReadonlyMap<string, string>, budgets: ReadonlyMap<string, number> | undefined): number | null {
  if (!budgets) return null;
  const group = [id, ...[...same.entries()].filter(([, rep]) => rep === id).map(([k]) => k)];
  const bs = group.map((g) => budgets.get(g)).filter((b): b is number => b !== undefined);
  return bs.length > 0 ? Math.min(...bs) : null;
}
