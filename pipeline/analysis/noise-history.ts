// Noise thresholds from spread (DESIGN §5.1): a metric's threshold is K × its run-to-run CoV.
// `bench/noise.ts` applies it to simulated A/A runs for the catalogue defaults;
// `--noise-from-history` applies it to the warehouse's runs of the baseline's configuration.
import type { Warehouse } from '../warehouse/index.js';
import { CATALOGUE } from '../core/index.js';
import type { BlockFilter } from '../metrics/index.js';
import { computeMetrics } from '../metrics/index.js';
import { describe } from './stats.js';
import type { RunInfo } from '../core/index.js';

/** Twice the CoV: at 5 vs 5 runs an A/A comparison's 95% CI spans about ±1.5 CoV around ±0.6 CoV. */
export const NOISE_K = 2;

/** Runs below which a history says too little about spread to set a threshold. */
export const MIN_HISTORY_RUNS = 5;

/** K × CoV in %, rounded up to 0.5, at least 1; null where the mean is 0 or unknown. */
export function thresholdFromSpread(values: (number | null)[], k = NOISE_K): number | null {
  const s = describe(values);
  if (s.mean === null || s.sd === null || s.mean === 0 || s.n < 2) return null;
  const raw = k * Math.abs(s.sd / s.mean) * 100;
  return Math.max(1, Math.ceil(raw * 2) / 2);
}

export interface HistoryNoise {
  /** metric id → threshold in %, for metrics with at least MIN_HISTORY_RUNS values. */
  thresholds: Record<string, number>;
  runs: number;
}

/**
 * Thresholds from every warehouse run of the baseline's configuration (the first baseline run's
 * profile, tracing backend and RTS flags). Call it before the report's own metrics: both use the
 * same temporary tables.
 */
export async function noiseFromHistory(db: Warehouse, baseline: RunInfo[], filters: BlockFilter[]): Promise<HistoryNoise> {
  const [first] = baseline;
  if (!first) return { thresholds: {}, runs: 0 };
  const rows = await db.queryFile<{ run_id: number }>('70_runs_of_config.sql', {
    profile: first.profile ?? '',
    backend: first.tracingBackend ?? '',
    rts: JSON.stringify(first.rtsFlags),
  });
  const ids = rows.map((r) => r.run_id);
  if (ids.length < MIN_HISTORY_RUNS) return { thresholds: {}, runs: ids.length };
  const m = await computeMetrics(db, ids, filters);
  const thresholds: Record<string, number> = {};
  for (const def of CATALOGUE) {
    const values = ids.map((id) => m.byRun.get(id)?.values.get(def.id) ?? null);
    if (values.filter((v) => v !== null).length < MIN_HISTORY_RUNS) continue;
    const t = thresholdFromSpread(values);
    if (t !== null) thresholds[def.id] = t;
  }
  return { thresholds, runs: ids.length };
}
