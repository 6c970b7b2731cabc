// compare: the `report` job. Phases, in order:
//   1. discover both sets of runs          4. statistics and verdicts per metric (verdict.ts)
//   2. ingest them into the warehouse      5. assemble the report model (types.ts `Report`)
//   3. compute every metric (metrics.ts)   6. render the requested formats (render/)
import { readFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { CATALOGUE } from './catalogue.js';
import { defaultDb, PACKAGE_ROOT, Warehouse } from './db.js';
import { discoverRuns } from './discover.js';
import { CliError } from './errors.js';
import { DEFAULT_FILTERS, type BlockFilter } from './filters.js';
import { ingestRuns } from './ingest.js';
import { seconds, type Logger } from './log.js';
import { computeMetrics, readWindows, type MetricsResult } from './metrics.js';
import { loadNoiseConfig, noiseFor, type NoiseConfig } from './noise-config.js';
import { renderReport, type Format } from './render/index.js';
import type { DistributionPoint, MessageCount, MetricComparison, Report, ResourcePoint, RunInfo, RunManifest } from './types.js';
import { blockBootstrapDeltaPct } from './stats.js';
import { analyse, summarise } from './verdict.js';

export interface ReportOptions {
  baseline: string[];
  candidate: string[];
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
  /** Fixed timestamp for reproducible (golden) output. */
  generatedAt?: string;
}

export interface ReportOutcome {
  report: Report;
  written: string[];
  warnings: string[];
}

export const TOOL_VERSION = (JSON.parse(readFileSync(join(PACKAGE_ROOT, 'package.json'), 'utf8')) as { version: string }).version;

export async function runReport(opts: ReportOptions, log: Logger): Promise<ReportOutcome> {
  const t0 = performance.now();
  // 1. discover
  const baseline = await discoverRuns(opts.baseline);
  const candidate = await discoverRuns(opts.candidate);
  const shared = baseline.filter((b) => candidate.some((c) => c.path === b.path));
  if (shared.length > 0) {
    throw new CliError(`${shared[0]?.path}: the same run is in both the baseline and the candidate set.`);
  }
  log.info(`discover → ${baseline.length} baseline and ${candidate.length} candidate runs`);
  const noiseCfg: NoiseConfig | null = opts.noiseConfig ? await loadNoiseConfig(opts.noiseConfig) : null;

  const db = await Warehouse.open(resolve(opts.db ?? defaultDb()), { onWarn: (m) => log.warn(m) });
  try {
    // 2. ingest
    const all = [...baseline, ...candidate];
    const ingested = await ingestRuns(db, all, log);
    const idOf = new Map(all.map((r, i) => [r.path, ingested[i]?.runId ?? -1]));

    // 3. metrics
    const t1 = performance.now();
    const metrics = await computeMetrics(db, [...idOf.values()], opts.filters ?? DEFAULT_FILTERS);
    log.info(`metrics → ${CATALOGUE.length} metrics over ${all.length} runs in ${seconds(t1)}`);

    // 4. statistics
    const alpha = opts.alpha ?? noiseCfg?.alpha ?? 0.05;
    const valuesOf = (runs: RunInfo[], id: string): (number | null)[] =>
      runs.map((r) => metrics.byRun.get(idOf.get(r.path) ?? -1)?.values.get(id) ?? null);
    const comparisons = analyse(
      CATALOGUE.map((def) => ({
        def,
        baseline: valuesOf(baseline, def.id),
        candidate: valuesOf(candidate, def.id),
        noisePct: noiseFor(def.id, noiseCfg, opts.noise),
      })),
      { alpha },
    );
    const { observations, undecided } = summarise(comparisons, CATALOGUE);
    if (baseline.length === 1 && candidate.length === 1) {
      const bId = idOf.get(baseline[0]?.path ?? '') ?? -1;
      const cId = idOf.get(candidate[0]?.path ?? '') ?? -1;
      const n = await withinRunEstimates(db, comparisons, bId, cId);
      if (n > 0) {
        undecided.push(
          `With one run per side no verdict is possible; ${n} metrics show a within-run estimate instead (block bootstrap over ${WITHIN_RUN_WINDOWS} time windows of each run, marked †), which describes these two runs, not the configurations.`,
        );
      }
    }

    // 5. the report model
    const manifest = (r: RunInfo): RunManifest => {
      const m = metrics.byRun.get(idOf.get(r.path) ?? -1)?.values;
      return {
        tag: r.tag,
        path: r.path,
        tracing_backend: r.tracingBackend,
        rts_flags: r.rtsFlags,
        hosts: r.hosts ?? r.nodes.length,
        log_lines: m?.get('log_lines') ?? 0,
        malformed_lines: m?.get('malformed_lines') ?? 0,
        profile: r.profile,
        ghc_version: r.ghcVersion,
        node_version: r.nodeVersion,
        era: r.era,
        batch: r.batch,
      };
    };
    const baseLabel = opts.baselineLabel ?? setLabel(baseline);
    const candLabel = opts.candidateLabel ?? setLabel(candidate);
    const baseRuns = baseline.map(manifest);
    const candRuns = candidate.map(manifest);
    const tagOf = new Map<number, { set: 'baseline' | 'candidate'; tag: string }>();
    for (const r of baseline) tagOf.set(idOf.get(r.path) ?? -1, { set: 'baseline', tag: r.tag });
    for (const r of candidate) tagOf.set(idOf.get(r.path) ?? -1, { set: 'candidate', tag: r.tag });
    const malformed = await db.queryFile<{ run_id: number; path: string; line: string }>('60_fct_malformed.sql', { limit: 50 });
    const [duck] = await db.all<{ v: string }>('SELECT version() AS v');
    const report: Report = {
      schema: 'bench-report/report@1',
      title: opts.title ?? `${candLabel} against ${baseLabel}`,
      workload: common(all.map((r) => r.profile)),
      generated_at: opts.generatedAt ?? new Date().toISOString(),
      tool_version: TOOL_VERSION,
      baseline: { label: baseLabel, runs: baseRuns },
      candidate: { label: candLabel, runs: candRuns },
      metrics: comparisons,
      catalogue: CATALOGUE,
      differences: differences(baseRuns, candRuns),
      observations,
      undecided,
      alpha,
      ci_method_note:
        'Δ% and its 95% CI use Welch’s interval for the difference of run means, divided by the baseline mean; p from Welch’s t-test, q by Benjamini-Hochberg across all metrics of this report. The run is the unit of inference.',
      distributions: distributions(metrics, tagOf),
      resources: resourcePoints(metrics, tagOf),
      filters: metrics.filters.map((f) => ({
        name: f.name,
        description: f.description,
        removed: Object.fromEntries([...tagOf.entries()].map(([id, t]) => [t.tag, f.removed.get(id) ?? 0])),
      })),
      messages: messageCounts(metrics, tagOf, baseline.length, candidate.length),
      malformed: malformed.map((m) => ({ run: tagOf.get(m.run_id)?.tag ?? String(m.run_id), file: m.path, line: m.line })),
      provenance: {
        inputs: all.map((r) => r.path),
        queries: [...db.queriesRun].sort(),
        versions: { 'bench-report': TOOL_VERSION, duckdb: duck?.v ?? 'unknown', node: process.version },
      },
    };

    // 6. render
    const t2 = performance.now();
    const res = await renderReport(report, resolve(opts.out), opts.formats, (l) => log.info(l));
    for (const w of res.warnings) log.warn(w);
    log.info(`render → ${res.written.length} files in ${seconds(t2)} (total ${seconds(t0)})`);
    return { report, written: res.written, warnings: res.warnings };
  } finally {
    db.close();
  }
}

const WITHIN_RUN_WINDOWS = 10;
const WITHIN_RUN_RESAMPLES = 2000;

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
    if (ci) n++;
  }
  return n;
}

function common(values: (string | null)[]): string | null {
  const set = new Set(values);
  return set.size === 1 ? ([...set][0] ?? null) : null;
}

/** A readable default label from what the set's runs have in common. */
export function setLabel(runs: RunInfo[]): string {
  const backend = common(runs.map((r) => r.tracingBackend));
  const rts = common(runs.map((r) => r.rtsOverride.join(' ')));
  const parts: string[] = [];
  if (backend === 'trace-dispatcher') parts.push('new tracing');
  else if (backend === 'iohk-monitoring') parts.push('legacy tracing');
  else if (backend) parts.push(backend);
  if (rts) parts.push(rts);
  if (parts.length === 0) parts.push(common(runs.map((r) => r.profile)) ?? runs[0]?.tag ?? 'runs');
  return parts.join(' ');
}

const MANIFEST_FIELDS: (keyof RunManifest)[] = ['tracing_backend', 'rts_flags', 'ghc_version', 'node_version', 'profile', 'era', 'hosts'];

function differences(b: RunManifest[], c: RunManifest[]): string[] {
  const key = (v: unknown): string => JSON.stringify(v);
  return MANIFEST_FIELDS.filter((f) => {
    const bs = new Set(b.map((r) => key(r[f])));
    const cs = new Set(c.map((r) => key(r[f])));
    return bs.size !== cs.size || [...bs].some((v) => !cs.has(v));
  });
}

function distributions(m: MetricsResult, tagOf: Map<number, { set: 'baseline' | 'candidate'; tag: string }>): DistributionPoint[] {
  return m.centiles.flatMap((c) => {
    const t = tagOf.get(c.run_id);
    return t ? [{ metric: c.metric, set: t.set, run: t.tag, centile: c.centile, value: c.value }] : [];
  });
}

/** Mean count per run of each non-canonical message in each set, most frequent first. */
function messageCounts(
  m: MetricsResult,
  tagOf: Map<number, { set: 'baseline' | 'candidate'; tag: string }>,
  baseRuns: number,
  candRuns: number,
): MessageCount[] {
  const acc = new Map<string, MessageCount>();
  for (const r of m.messages) {
    const set = tagOf.get(r.run_id)?.set;
    if (!set) continue;
    const key = `${r.ns}\u0000${r.kind}`;
    const c = acc.get(key) ?? { ns: r.ns, kind: r.kind, baseline: 0, candidate: 0 };
    c[set] += r.n / (set === 'baseline' ? baseRuns : candRuns);
    acc.set(key, c);
  }
  return [...acc.values()].sort((a, b) => b.baseline + b.candidate - (a.baseline + a.candidate)).slice(0, 30);
}

function resourcePoints(m: MetricsResult, tagOf: Map<number, { set: 'baseline' | 'candidate'; tag: string }>): ResourcePoint[] {
  return m.series.flatMap((s) => {
    const t = tagOf.get(s.run_id);
    return t ? [{ set: t.set, run: t.tag, t: s.t, cpu_pct: s.cpu_pct, rss_mb: s.rss_mb }] : [];
  });
}
