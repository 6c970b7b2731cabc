// The `report` job: a baseline and one or more candidate sets of runs → one comparison report.
// Its stages, in order:
//   1. discover  the sets of runs (discover.ts), or take them from the warehouse
//                (history-runs.ts); split and check them (sets.ts)
//   2. ingest    them into the warehouse (ingest.ts); unchanged runs are not read again
//   3. metrics   every catalogue metric per run (metrics.ts, queries/)
//   4. compare   statistics and verdicts per metric (compare.ts, verdict.ts)
//   5. assemble  the report model (assemble.ts)
//   6. gate      judge the verdicts against a gates file (gate.ts), when asked
//   7. render    the requested formats (render/)
// Every job in pipeline/jobs/ is such a list of stage calls; the stages hold the work.
import { stat } from 'node:fs/promises';
import { resolve } from 'node:path';
import {
  assembleReport,
  setLabel,
  compareSets,
  decideSet,
  loadNoiseConfig,
  MIN_HISTORY_RUNS,
  noiseFromHistory,
  assertDisjoint,
  mixedConfigurationWarnings,
  splitSets,
  uniqueLabels,
} from '../analysis/index.js';
import { differingLabels } from './set-labels.js';
import { ensureWritableDir, CATALOGUE, CliError, readOptionFile, seconds, type Logger } from '../core/index.js';
import { defaultDb, Warehouse, ingestRuns } from '../warehouse/index.js';
import { discoverRuns } from '../discover/index.js';
import { DEFAULT_FILTERS, type BlockFilter, computeMetrics } from '../metrics/index.js';
import { evaluateGate, loadGate, namedMetrics, NOISE_GATE } from '../gate/index.js';
import { runsFromWarehouse } from '../history/index.js';
import { renderReport, type Format } from '../render/index.js';
import type { Report, RunInfo, Warning } from '../core/index.js';

export { TOOL_VERSION } from '../warehouse/index.js';

export interface ReportOptions {
  baseline?: string[];
  candidate?: string[];
  /** `KEY=VALUE` selections of warehouse runs instead of paths (`--baseline-where`). */
  baselineWhere?: string[];
  candidateWhere?: string[];
  /** Each `--candidate` occurrence, when there were several; wins over `candidate`. */
  candidateSets?: string[][];
  /** Split every candidate set by this configuration field (sets.ts SPLIT_FIELDS). */
  splitBy?: string;
  out: string;
  formats: Format[];
  title?: string;
  db?: string;
  baselineLabel?: string;
  /** One label, or one per candidate set in order. */
  candidateLabel?: string | string[];
  noise?: number;
  noiseConfig?: string;
  /** Thresholds from the warehouse's runs of the baseline's configuration (DESIGN §5.1). */
  noiseFromHistory?: boolean;
  alpha?: number;
  filters?: BlockFilter[];
  /** `--templates DIR`: partials, chart specs or CSS overriding the built-in ones. */
  templates?: string;
  /** `--notes FILE.md`: the reviewer's notes, rendered sanitised in the report. */
  notes?: string;
  /** `--md-brief`: report.md with only what changed, the decision and the runs needed. */
  mdBrief?: boolean;
  /** A gates file (DESIGN §5.4); `failOnRegression` alone gates every metric at its noise threshold. */
  gate?: string;
  failOnRegression?: boolean;
  /** `--max-margin`: ceiling of every equivalence margin in % (DESIGN §5.5; default 10). */
  maxMargin?: number;
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
  const given: RunInfo[][] = [];
  if (opts.candidateSets) for (const paths of opts.candidateSets) given.push(await discoverRuns(paths, { onSkip }));
  else given.push(await pickSet(opts.candidate, opts.candidateWhere, 'candidate', dbPath, onSkip));
  const candidates = splitSets(given, opts.splitBy);
  const derived = differingLabels([baseline, ...candidates]);
  const labels = candidateLabels(candidates, opts.candidateLabel, derived.slice(1));
  const named = [{ name: 'baseline', runs: baseline }, ...candidates.map((runs, k) => ({ name: candidates.length > 1 ? `“${labels[k]}”` : 'candidate', runs }))];
  assertDisjoint(named);
  warnings.push(...mixedConfigurationWarnings(named));
  const candidate = candidates[0] ?? [];
  log.info(`discover → ${baseline.length} baseline and ${candidates.map((c) => c.length).join(' + ')} candidate runs`);
  const noiseConfig = opts.noiseConfig ? await loadNoiseConfig(opts.noiseConfig) : null;
  const notes = opts.notes === undefined ? null : await readInput(opts.notes, '--notes', 'a Markdown file');
  if (opts.templates !== undefined && !(await isDir(opts.templates))) {
    throw new CliError(`--templates ${opts.templates}: no such folder; give a folder holding partials/, charts/ or report.css.`);
  }
  const alpha = opts.alpha ?? noiseConfig?.alpha ?? 0.05;
  // Read before any ingest, so a typo in the gates file costs nothing.
  const gateSpec = opts.gate ? await loadGate(opts.gate, CATALOGUE.map((m) => m.id)) : opts.failOnRegression ? NOISE_GATE : null;
  await ensureWritableDir(resolve(opts.out), '--out');

  // Every set from the warehouse (--*-where): it is only read, so a read-only one will do.
  const readOnly = !opts.baseline?.length && !opts.candidate?.length && !opts.candidateSets?.length;
  const db = await Warehouse.open(dbPath, { onWarn: (m) => log.warn(m), readOnly });
  try {
    // 2. ingest
    const all = [...baseline, ...candidates.flat()];
    const ingested = await ingestRuns(db, all, log);
    for (const r of ingested) warnings.push(...r.warnings);
    const idOf = new Map(all.map((r, i) => [r.path, ingested[i]?.runId ?? -1]));
    const ids = (runs: typeof all): number[] => runs.map((r) => idOf.get(r.path) ?? -1);

    // 3. metrics (first the history's, when thresholds are calibrated from it: same temp tables)
    const filters = opts.filters ?? DEFAULT_FILTERS;
    const history = opts.noiseFromHistory ? await noiseFromHistory(db, baseline, filters) : undefined;
    if (history) {
      const n = Object.keys(history.thresholds).length;
      if (n === 0) {
        warnings.push({ run: null, code: 'noise-history-short', message: `--noise-from-history: the warehouse holds ${history.runs} run(s) of the baseline's configuration, fewer than ${MIN_HISTORY_RUNS}; the catalogue's thresholds were used.` });
      } else log.info(`noise → ${n} thresholds from ${history.runs} warehouse runs of the baseline's configuration`);
    }
    const t1 = performance.now();
    const metrics = await computeMetrics(db, [...idOf.values()], filters);
    warnings.push(...metrics.warnings);
    log.info(`metrics → ${CATALOGUE.length} metrics over ${all.length} runs in ${seconds(t1)}`);

    // 4. compare
    const compared = await compareSets(db, metrics, {
      baseline: ids(baseline),
      candidates: candidates.map(ids),
      labels,
      alpha,
      noise: opts.noise,
      noiseConfig,
      ...(history ? { history: history.thresholds } : {}),
      primary: gateSpec ? namedMetrics(gateSpec) : null,
      ...(gateSpec ? { budgets: gateSpec.budgets } : {}),
      ...(opts.maxMargin === undefined ? {} : { maxMargin: opts.maxMargin }),
    });

    // 5. assemble
    const baselineLabel = opts.baselineLabel ?? derived[0];
    const report = await assembleReport(db, { ...opts, baselineLabel, baseline, candidate, candidates, labels, idOf, metrics, compared, warnings, alpha, notes });
    for (const w of report.warnings) log.warn(`${w.run === null ? '' : `${w.run}: `}${w.message}`);

    // 6. gate: every candidate set's verdicts (named by set when there are several)
    const gated = report.candidates && report.candidates.length > 1 ? report.candidates : [{ label: report.candidate.label, metrics: report.metrics }];
    report.gate = gateSpec
      ? evaluateGate(
          gateSpec,
          gated.flatMap((set) =>
            set.metrics.map((m) => ({
              metric: m.id,
              ...(gated.length > 1 ? { series: set.label } : {}),
              verdict: m.verdict,
              method: m.method,
              delta_pct: m.delta_pct,
              noise_pct: m.noise_pct,
              family: m.family,
              better: m.better,
              ci95_pct: m.ci95_pct,
              margin_pct: m.margin_pct,
              runs_needed: m.runs_needed,
            })),
          ),
        )
      : null;
    // The decision line of each set (DESIGN §5.5), with or without a gate.
    report.decisions = gated.map((set) =>
      decideSet(set.label, set.metrics, report.catalogue, gateSpec ? { budgets: gateSpec.budgets, waivers: gateSpec.waivers, gate: true } : {}),
    );

    // 7. render
    const t2 = performance.now();
    const res = await renderReport(report, resolve(opts.out), opts.formats, (l) => log.info(l), {
      ...(opts.templates === undefined ? {} : { templates: resolve(opts.templates) }),
      ...(opts.mdBrief ? { mdBrief: true } : {}),
    });
    for (const w of res.warnings) log.warn(w);
    log.info(`render → ${res.written.length} files in ${seconds(t2)} (total ${seconds(t0)})`);
    const c = await db.closeCompacting();
    if (c) log.info(`warehouse → compacted ${dbPath} from ${c.beforeMb.toFixed(1)} to ${c.afterMb.toFixed(1)} MiB`);
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
  const db = await Warehouse.open(dbPath, { readOnly: true });
  try {
    return await runsFromWarehouse(db, where ?? [], `--${set}-where`);
  } finally {
    db.close();
  }
}

/** Candidate set names: given ones in order, the rest from what each set's runs share. */
function candidateLabels(sets: RunInfo[][], given: string | string[] | undefined, derived: readonly string[]): string[] {
  const list = given === undefined ? [] : Array.isArray(given) ? given : [given];
  if (list.length > sets.length) {
    throw new CliError(`--candidate-label was given ${list.length} times for ${sets.length} candidate set(s); give at most one per set.`);
  }
  return uniqueLabels(sets.map((runs, k) => list[k] ?? derived[k] ?? setLabel(runs)));
}

async function readInput(path: string, option: string, what: string): Promise<string> {
  try {
    return await readOptionFile(path, option, 'notes file', false);
  } catch (err) {
    if (err instanceof CliError) throw err;
    const code = (err as NodeJS.ErrnoException).code;
    throw new CliError(`${option} ${path}: ${code === 'ENOENT' ? 'no such file' : `cannot be read (${code ?? 'error'})`}; give ${what}.`);
  }
}

async function isDir(path: string): Promise<boolean> {
  try {
    return (await stat(path)).isDirectory();
  } catch {
    return false;
  }
}
