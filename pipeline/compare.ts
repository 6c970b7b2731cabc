// compare stage: run values of two sets → per-metric statistics and verdicts (DESIGN §5),
// the generated observations, and — with one run per side — labelled within-run estimates.
import { CATALOGUE } from './catalogue.js';
import type { Warehouse } from './db.js';
import { readWindows, type MetricsResult } from './metrics.js';
import { noiseFor, type NoiseConfig } from './noise-config.js';
import { blockBootstrapDeltaPct } from './stats.js';
import type { MetricComparison } from './types.js';
import { analyse, summarise, withinRunVerdict } from './verdict.js';

export interface CompareInput {
  /** Warehouse run ids of each set, in the set's order. */
  baseline: number[];
  candidate: number[];
  alpha: number;
  noise?: number;
  noiseConfig: NoiseConfig | null;
}

export interface CompareResult {
  comparisons: MetricComparison[];
  observations: string[];
  undecided: string[];
}

export const WITHIN_RUN_WINDOWS = 10;
const WITHIN_RUN_RESAMPLES = 2000;

export async function compareSets(db: Warehouse, metrics: MetricsResult, input: CompareInput): Promise<CompareResult> {
  const valuesOf = (ids: number[], metric: string): (number | null)[] =>
    ids.map((id) => metrics.byRun.get(id)?.values.get(metric) ?? null);
  const comparisons = analyse(
    CATALOGUE.map((def) => ({
      def,
      baseline: valuesOf(input.baseline, def.id),
      candidate: valuesOf(input.candidate, def.id),
      noisePct: noiseFor(def.id, input.noiseConfig, input.noise),
    })),
    { alpha: input.alpha },
  );
  const [bId] = input.baseline;
  const [cId] = input.candidate;
  const oneASide = input.baseline.length === 1 && input.candidate.length === 1 && bId !== undefined && cId !== undefined;
  // Within-run verdicts first, so the summary sentences below see them (labelled †).
  const nWithin = oneASide ? await withinRunEstimates(db, comparisons, bId, cId) : 0;
  const { observations, undecided } = summarise(comparisons, CATALOGUE);
  if (nWithin > 0) {
    undecided.push(
      `With one run per side no run-to-run verdict is possible; ${nWithin} metrics carry a within-run verdict instead (block bootstrap over ${WITHIN_RUN_WINDOWS} time windows of each run, marked †), which describes these two runs, not the configurations, and never passes a gate.`,
    );
  }
  return { comparisons, observations, undecided };
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
