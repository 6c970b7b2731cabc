// The `history` job: the warehouse's builds → trends, change points and the latest build's
// verdicts, per configuration. Its stages, in order:
//   1. ingest    the paths given, if any (discover.ts, ingest.ts); unchanged runs are skipped
//   2. select    the warehouse's runs (history-runs.ts; --where, --since), no log is read
//   3. values    each run's metric values, cached in the warehouse (history-values.ts)
//   4. judge     series → builds → change points and the latest build (history-series.ts)
//   5. gate      the latest builds' verdicts against a gates file (gate.ts), when asked
//   6. render    history.{json,md,html,pdf} (history-render.ts)
import { resolve } from 'node:path';
import { CATALOGUE, CliError, ensureWritableDir, seconds, type Logger } from '../core/index.js';
import { defaultDb, Warehouse, ingestRuns, TOOL_VERSION } from '../warehouse/index.js';
import { discoverRuns } from '../discover/index.js';
import { DEFAULT_FILTERS } from '../metrics/index.js';
import { evaluateGate, loadGate, namedMetrics, NOISE_GATE } from '../gate/index.js';
import type { History } from '../history/index.js';
import {
  latestGateInputs,
  renderHistory,
  type HistoryFormat,
  listWarehouseRuns,
  parseSince,
  parseWhere,
  selectRuns,
  groupSeries,
  judgeSeries,
  historyValues,
} from '../history/index.js';
import { loadNoiseConfig, noiseFor } from '../analysis/index.js';

export interface HistoryOptions {
  paths: string[];
  out: string;
  formats: HistoryFormat[];
  db?: string;
  where?: string[];
  since?: string;
  noise?: number;
  noiseConfig?: string;
  alpha?: number;
  gate?: string;
  failOnRegression?: boolean;
  /** `--max-margin`: ceiling of every equivalence margin in % (default 10). */
  maxMargin?: number;
  /** Change-point test (changepoint.ts). */
  significance?: number;
  permutations?: number;
  seed?: number;
  generatedAt?: string;
}

/**
 * The change-point test: significance per family of metrics (divided among its metrics), so
 * enough permutations that a p-value can reach significance / ~55 (1/(R+1) ≈ 0.0005).
 */
export const CHANGE_POINT_DEFAULTS = { significance: 0.05, permutations: 1999, minSize: 3, seed: 1 } as const;

export async function runHistory(opts: HistoryOptions, log: Logger): Promise<{ history: History; written: string[] }> {
  const t0 = performance.now();
  const filters = parseWhere(opts.where ?? [], '--where');
  const since = opts.since === undefined ? undefined : parseSince(opts.since);
  const noiseConfig = opts.noiseConfig ? await loadNoiseConfig(opts.noiseConfig) : null;
  const alpha = opts.alpha ?? noiseConfig?.alpha ?? 0.05;
  const gateSpec = opts.gate ? await loadGate(opts.gate, CATALOGUE.map((m) => m.id)) : opts.failOnRegression ? NOISE_GATE : null;
  const cp = {
    significance: opts.significance ?? CHANGE_POINT_DEFAULTS.significance,
    permutations: opts.permutations ?? CHANGE_POINT_DEFAULTS.permutations,
    minSize: CHANGE_POINT_DEFAULTS.minSize,
    seed: opts.seed ?? CHANGE_POINT_DEFAULTS.seed,
  };
  const discovered = opts.paths.length > 0 ? await discoverRuns(opts.paths) : [];
  await ensureWritableDir(resolve(opts.out), '--out');

  const db = await Warehouse.open(resolve(opts.db ?? defaultDb()), { onWarn: (m) => log.warn(m) });
  try {
    // 1. ingest
    if (discovered.length > 0) await ingestRuns(db, discovered, log);

    // 2. select
    const runs = selectRuns(await listWarehouseRuns(db), filters, since);
    if (runs.length === 0) {
      throw new CliError(`history: no run in the warehouse ${db.path}${filters.length > 0 || since ? ' matches --where/--since' : ''}; ingest runs first (bench-report ingest <path...> --db ${db.path}) or give their paths.`);
    }
    const groups = groupSeries(runs);
    log.info(`select → ${runs.length} runs in ${groups.length} series, ${groups.reduce((n, g) => n + g.builds.length, 0)} builds`);

    // 3. values
    const t1 = performance.now();
    let computed = 0;
    const values = await historyValues(db, runs, DEFAULT_FILTERS, (n) => (computed += n));
    log.info(`values → ${runs.length - computed} runs from the cache, ${computed} computed from events in ${seconds(t1)}`);

    // 4. judge
    const series = groups.map((g) =>
      judgeSeries(g, CATALOGUE, values, {
        ...cp,
        alpha,
        noiseFor: (id) => noiseFor(id, noiseConfig, opts.noise),
        primary: gateSpec ? namedMetrics(gateSpec) : null,
        ...(gateSpec ? { budgets: gateSpec.budgets } : {}),
        ...(opts.maxMargin === undefined ? {} : { maxMargin: opts.maxMargin }),
      }),
    );
    const history: History = {
      schema: 'bench-report/history@1',
      generated_at: opts.generatedAt ?? new Date().toISOString(),
      tool_version: TOOL_VERSION,
      series,
      warnings: series
        .filter((s) => s.builds.length < 4)
        .map((s) => ({ run: null, code: 'short-history', message: `${s.label} has ${s.builds.length} build(s): change points need at least ${2 * cp.minSize}, a latest-build verdict at least 3 earlier runs.` })),
      gate: null,
      method: { name: 'E-divisive means with a permutation test (Matteson & James 2014)', significance: cp.significance, permutations: cp.permutations, min_size: cp.minSize, seed: cp.seed, alpha },
    };

    // 5. gate
    if (gateSpec) {
      history.gate = evaluateGate(gateSpec, latestGateInputs(history));
    }

    // 6. render
    const res = await renderHistory(history, resolve(opts.out), opts.formats, (l) => log.info(l));
    for (const w of res.warnings) log.warn(w);
    log.info(`history → ${res.written.length} files in ${seconds(t0)}`);
    return { history, written: res.written };
  } finally {
    db.close();
  }
}

/**
 * `--fail-on-change`: the primary metrics whose latest build regressed, as `series / metric`
 * (exploratory metrics are reported on the page and fail nothing, DESIGN §5.5).
 */
export function latestRegressions(h: History): string[] {
  return h.series.flatMap((s) =>
    s.metrics.filter((m) => m.family === 'primary' && m.coincides_with === undefined && m.latest?.verdict === 'regressed').map((m) => `${s.label} / ${m.id}`),
  );
}
