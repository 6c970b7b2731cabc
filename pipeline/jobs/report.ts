// The `report` job: two sets of runs → one comparison report. Its stages, in order:
//   1. discover  both sets of runs (discover.ts), or take them from the warehouse (history-runs.ts)
//   2. ingest    them into the warehouse (ingest.ts); unchanged runs are not read again
//   3. metrics   every catalogue metric per run (metrics.ts, queries/)
//   4. compare   statistics and verdicts per metric (compare.ts, verdict.ts)
//   5. assemble  the report model (assemble.ts)
//   6. gate      judge the verdicts against a gates file (gate.ts), when asked
//   7. render    the requested formats (render/)
// Every job in pipeline/jobs/ is such a list of stage calls; the stages hold the work.
import { resolve } from 'node:path';
import { assembleReport } from '../assemble.js';
import { ensureWritableDir } from '../atomic.js';
import { CATALOGUE } from '../catalogue.js';
import { compareSets } from '../compare.js';
import { defaultDb, Warehouse } from '../db.js';
import { discoverRuns } from '../discover.js';
import { CliError } from '../errors.js';
import { DEFAULT_FILTERS, type BlockFilter } from '../filters.js';
import { evaluateGate, loadGate, NOISE_GATE } from '../gate.js';
import { ingestRuns } from '../ingest.js';
import { seconds, type Logger } from '../log.js';
import { computeMetrics } from '../metrics.js';
import { loadNoiseConfig } from '../noise-config.js';
import { renderReport, type Format } from '../render/index.js';
import { runsFromWarehouse } from '../history-runs.js';
import type { Report, RunInfo, Warning } from '../types.js';

export { TOOL_VERSION } from '../version.js';

export interface ReportOptions {
  baseline?: string[];
  candidate?: string[];
  /** `KEY=VALUE` selections of warehouse runs instead of paths (`--baseline-where`). */
  baselineWhere?: string[];
  candidateWhere?: string[];
  out: string;
  formats: Format[];
  title?: string;
  db?: string;
  baselineLabel?: string;
  candidateLabel?: string;
  noise?: number;
  noiseConfig?: string;
  alpha?: number;
  filters?: BlockFilter[];
  /** A gates file (DESIGN §5.4); `failOnRegression` alone gates every metric at its noise threshold. */
  gate?: string;
  failOnRegression?: boolean;
  /** Fail on a bad run instead of skipping it with a `run-skipped` warning. */
  strict?: boolean;
  /** Fixed timestamp for reproducible (golden) output. */
  generatedAt?: string;
}

export interface ReportOutcome {
  report: Report;
  written: string[];
  warnings: string[];
}

export async function runReport(opts: ReportOptions, log: Logger): Promise<ReportOutcome> {
  const t0 = performance.now();
  const warnings: Warning[] = [];

  // 1. discover (or take the sets from the warehouse); a bad run is skipped with a warning
  //    unless strict, and --out must be writable before any ingest
  const onSkip = opts.strict ? undefined : (w: Warning) => warnings.push(w);
  const dbPath = resolve(opts.db ?? defaultDb());
  const baseline = await pickSet(opts.baseline, opts.baselineWhere, 'baseline', dbPath, onSkip);
  const candidate = await pickSet(opts.candidate, opts.candidateWhere, 'candidate', dbPath, onSkip);
  const shared = baseline.find((b) => candidate.some((c) => c.path === b.path));
  if (shared) throw new CliError(`${shared.path}: the same run is in both the baseline and the candidate set.`);
  log.info(`discover → ${baseline.length} baseline and ${candidate.length} candidate runs`);
  const noiseConfig = opts.noiseConfig ? await loadNoiseConfig(opts.noiseConfig) : null;
  const alpha = opts.alpha ?? noiseConfig?.alpha ?? 0.05;
  // Read before any ingest, so a typo in the gates file costs nothing.
  const gateSpec = opts.gate ? await loadGate(opts.gate, CATALOGUE.map((m) => m.id)) : opts.failOnRegression ? NOISE_GATE : null;
  await ensureWritableDir(resolve(opts.out), '--out');

  const db = await Warehouse.open(dbPath, { onWarn: (m) => log.warn(m) });
  try {
    // 2. ingest
    const all = [...baseline, ...candidate];
    const ingested = await ingestRuns(db, all, log);
    for (const r of ingested) warnings.push(...r.warnings);
    const idOf = new Map(all.map((r, i) => [r.path, ingested[i]?.runId ?? -1]));
    const ids = (runs: typeof all): number[] => runs.map((r) => idOf.get(r.path) ?? -1);

    // 3. metrics
    const t1 = performance.now();
    const metrics = await computeMetrics(db, [...idOf.values()], opts.filters ?? DEFAULT_FILTERS);
    warnings.push(...metrics.warnings);
    log.info(`metrics → ${CATALOGUE.length} metrics over ${all.length} runs in ${seconds(t1)}`);

    // 4. compare
    const compared = await compareSets(db, metrics, {
      baseline: ids(baseline),
      candidate: ids(candidate),
      alpha,
      noise: opts.noise,
      noiseConfig,
    });

    // 5. assemble
    const report = await assembleReport(db, { ...opts, baseline, candidate, idOf, metrics, compared, warnings, alpha });
    for (const w of report.warnings) log.warn(`${w.run === null ? '' : `${w.run}: `}${w.message}`);

    // 6. gate
    report.gate = gateSpec
      ? evaluateGate(gateSpec, report.metrics.map((m) => ({ metric: m.id, verdict: m.verdict, method: m.method, delta_pct: m.delta_pct, noise_pct: m.noise_pct })))
      : null;

    // 7. render
    const t2 = performance.now();
    const res = await renderReport(report, resolve(opts.out), opts.formats, (l) => log.info(l));
    for (const w of res.warnings) log.warn(w);
    log.info(`render → ${res.written.length} files in ${seconds(t2)} (total ${seconds(t0)})`);
    return { report, written: res.written, warnings: res.warnings };
  } finally {
    db.close();
  }
}

/** A set from paths or from the warehouse; exactly one of the two must be given. */
async function pickSet(
  paths: string[] | undefined,
  where: string[] | undefined,
  set: string,
  dbPath: string,
  onSkip: ((w: Warning) => void) | undefined,
): Promise<RunInfo[]> {
  const hasPaths = (paths?.length ?? 0) > 0;
  const hasWhere = (where?.length ?? 0) > 0;
  if (hasPaths === hasWhere) {
    throw new CliError(`report needs either --${set} <path...> or --${set}-where KEY=VALUE (runs already in the warehouse), not ${hasPaths ? 'both' : 'neither'}.`);
  }
  if (hasPaths) return discoverRuns(paths ?? [], { onSkip });
  const db = await Warehouse.open(dbPath, { mustExist: true });
  try {
    return await runsFromWarehouse(db, where ?? [], `--${set}-where`);
  } finally {
    db.close();
  }
}
