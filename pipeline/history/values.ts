// History's run values: each run's catalogue metric values, read from the warehouse cache
// (queries/00_hist_schema.sql) or, for runs not cached yet, computed once from the events the
// warehouse already holds (metrics.ts) and stored. No log file is read here: a nightly
// `history` over hundreds of builds costs one cache read plus tonight's new runs.
import { DOUBLE, INTEGER, LIST, VARCHAR, listValue } from '@duckdb/node-api';
import type { Warehouse } from '../warehouse/index.js';
import type { BlockFilter } from '../metrics/index.js';
import type { WarehouseRun } from './runs.js';
import type { RunValueMap } from './series.js';
import { computeMetrics } from '../metrics/index.js';
import { TOOL_VERSION } from '../warehouse/index.js';

/** Runs computed per metrics pass: bounds the temporary tables on a first history of many runs. */
const CHUNK = 16;

/** The cache key: values change with the tool (queries) and the block filters. */
export function calcKey(filters: readonly BlockFilter[]): string {
  return `${TOOL_VERSION}|${filters.map((f) => f.name).join(',')}`;
}

export async function historyValues(
  db: Warehouse,
  runs: readonly WarehouseRun[],
  filters: BlockFilter[],
  onComputed: (n: number) => void = () => undefined,
): Promise<RunValueMap> {
  await db.runFile('00_hist_schema.sql');
  const calc = calcKey(filters);
  const out: RunValueMap = new Map(runs.map((r) => [r.run_id, new Map<string, number>()]));
  const ids = runs.map((r) => r.run_id);
  const cached = await db.queryFile<{ run_id: number; metric: string; value: number | null }>(
    '70_hist_cached_values.sql',
    { run_ids: listValue(ids), calc },
    { run_ids: LIST(INTEGER) },
  );
  for (const c of cached) if (c.value !== null) out.get(c.run_id)?.set(c.metric, c.value);

  const missing = runs.filter((r) => (out.get(r.run_id)?.size ?? 0) === 0);
  for (let i = 0; i < missing.length; i += CHUNK) {
    const chunk = missing.slice(i, i + CHUNK);
    const m = await computeMetrics(db, chunk.map((r) => r.run_id), filters);
    const rows: { run_id: number; fingerprint: string; metric: string; value: number }[] = [];
    for (const r of chunk) {
      for (const [metric, value] of m.byRun.get(r.run_id)?.values ?? []) {
        out.get(r.run_id)?.set(metric, value);
        rows.push({ run_id: r.run_id, fingerprint: r.fingerprint, metric, value });
      }
    }
    await storeValues(db, rows, calc);
    onComputed(chunk.length);
  }
  return out;
}

/** Appends computed values to the cache (replacing a run's earlier rows for this key). */
export async function storeValues(db: Warehouse, rows: { run_id: number; fingerprint: string; metric: string; value: number }[], calc: string): Promise<void> {
  if (rows.length === 0) return;
  const runIds = [...new Set(rows.map((r) => r.run_id))];
  await db.transaction(async () => {
    await db.runFile('80_hist_forget_values.sql', { ids: listValue(runIds), calc }, { ids: LIST(INTEGER) });
    await db.runFile(
      '80_hist_store_values.sql',
      {
        run_ids: listValue(rows.map((r) => r.run_id)),
        fps: listValue(rows.map((r) => r.fingerprint)),
        calc,
        metrics: listValue(rows.map((r) => r.metric)),
        values: listValue(rows.map((r) => r.value)),
      },
      { run_ids: LIST(INTEGER), fps: LIST(VARCHAR), metrics: LIST(VARCHAR), values: LIST(DOUBLE) },
    );
  });
}
