// assemble stage: the report model (types.ts `Report`) from the discovered runs, their metrics
// and the comparison — manifest, differences, distributions, resource series, filters,
// trace frequency, malformed samples and provenance. Pure but for two small warehouse reads.
import { CATALOGUE } from '../core/index.js';
import type { CompareResult } from './compare.js';
import type { Warehouse } from '../warehouse/index.js';
import type { MetricsResult } from '../metrics/index.js';
import { TOOL_VERSION } from '../warehouse/index.js';
import type { DistributionPoint, MessageCount, Report, ResourcePoint, RunInfo, RunManifest, Warning } from '../core/index.js';

export interface AssembleInput {
  baseline: RunInfo[];
  /** The first candidate set (the only one of a two-set report). */
  candidate: RunInfo[];
  /** Every candidate set, in order, and its label. */
  candidates: RunInfo[][];
  labels: string[];
  /** run path → warehouse run id */
  idOf: Map<string, number>;
  metrics: MetricsResult;
  compared: CompareResult;
  warnings: Warning[];
  alpha: number;
  title?: string;
  baselineLabel?: string;
  generatedAt?: string;
  notes?: string | null;
}

type SetOf = Map<number, { set: 'baseline' | 'candidate'; index: number; tag: string }>;

export async function assembleReport(db: Warehouse, a: AssembleInput): Promise<Report> {
  const all = [...a.baseline, ...a.candidates.flat()];
  const multi = a.candidates.length > 1;
  const id = (r: RunInfo): number => a.idOf.get(r.path) ?? -1;
  const manifest = (r: RunInfo): RunManifest => {
    const m = a.metrics.byRun.get(id(r))?.values;
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
      ...(r.packages && r.packages.length > 0 ? { packages: r.packages } : {}),
    };
  };
  const baseLabel = a.baselineLabel ?? setLabel(a.baseline);
  const candLabel = a.labels[0] ?? setLabel(a.candidate);
  const baseRuns = a.baseline.map(manifest);
  const candRuns = a.candidate.map(manifest);
  const tagOf: SetOf = new Map();
  for (const r of a.baseline) tagOf.set(id(r), { set: 'baseline', index: 0, tag: r.tag });
  a.candidates.forEach((runs, k) => {
    for (const r of runs) tagOf.set(id(r), { set: 'candidate', index: k + 1, tag: r.tag });
  });
  const malformed = await db.queryFile<{ run_id: number; path: string; line: string }>('60_fct_malformed.sql', { limit: 50 });
  const [duck] = await db.all<{ v: string }>('SELECT version() AS v');
  return {
    schema: 'bench-report/report@1',
    title: a.title ?? `${multi ? a.labels.join(', ') : candLabel} against ${baseLabel}`,
    workload: workload(all),
    generated_at: a.generatedAt ?? new Date().toISOString(),
    tool_version: TOOL_VERSION,
    baseline: { label: baseLabel, runs: baseRuns },
    candidate: { label: candLabel, runs: candRuns },
    metrics: a.compared.comparisons,
    catalogue: CATALOGUE,
    differences: differences(baseRuns, multi ? a.candidates.flat().map(manifest) : candRuns),
    warnings: a.warnings,
    observations: a.compared.observations,
    undecided: a.compared.undecided,
    alpha: a.alpha,
    ci_method_note:
      'Δ% and its 95% CI use Welch’s interval for the difference of run means, divided by the baseline mean; p from Welch’s t-test, q by Benjamini-Hochberg across all metrics of this report. The run is the unit of inference.',
    distributions: distributions(a.metrics, tagOf, multi),
    resources: resourcePoints(a.metrics, tagOf, multi),
    filters: a.metrics.filters.map((f) => ({
      name: f.name,
      description: f.description,
      removed: Object.fromEntries([...tagOf.entries()].map(([rid, t]) => [t.tag, f.removed.get(rid) ?? 0])),
    })),
    ...blocksUsed(a.metrics, tagOf),
    messages: messageCounts(a.metrics, tagOf, a.baseline.length, a.candidates.flat().length),
    malformed: malformed.map((m) => ({ run: tagOf.get(m.run_id)?.tag ?? String(m.run_id), file: m.path, line: m.line })),
    provenance: {
      inputs: all.map((r) => r.path),
      queries: [...db.queriesRun].sort(),
      versions: { 'bench-report': TOOL_VERSION, duckdb: duck?.v ?? 'unknown', node: process.version },
    },
    ...(a.notes ? { notes: a.notes } : {}),
    ...(multi
      ? {
          candidates: a.candidates.map((runs, k) => ({
            label: a.labels[k] ?? `set ${k + 1}`,
            runs: runs.map(manifest),
            metrics: a.compared.perCandidate[k] ?? [],
          })),
        }
      : {}),
  };
}

/**
 * The workload in words from profile_content: "<profile>: 6 nodes, 15 TPS, 2 h, conway era";
 * each part only when every run agrees on it.
 */
export function workload(runs: RunInfo[]): string | null {
  const profile = common(runs.map((r) => r.profile));
  const hosts = common(runs.map((r) => (r.hosts === null ? null : String(r.hosts))));
  const tps = common(runs.map((r) => (r.tps === null ? null : String(r.tps))));
  const dur = common(runs.map((r) => (r.durationS === null || r.durationS === undefined ? null : String(r.durationS))));
  const era = common(runs.map((r) => r.era));
  const parts = [
    hosts === null ? null : `${hosts} nodes`,
    tps === null ? null : `${tps} TPS`,
    dur === null ? null : duration(Number(dur)),
    era === null ? null : `${era} era`,
  ].filter((x): x is string => x !== null);
  if (profile === null && parts.length === 0) return null;
  return profile === null ? parts.join(', ') : parts.length === 0 ? profile : `${profile}: ${parts.join(', ')}`;
}

function duration(s: number): string {
  if (s >= 3600) return `${+(s / 3600).toFixed(1)} h`;
  if (s >= 60) return `${+(s / 60).toFixed(1)} min`;
  return `${s} s`;
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

/** Points carry `set_index` only in a multi-way report, so two-set models stay as they were. */
function distributions(m: MetricsResult, tagOf: SetOf, multi: boolean): DistributionPoint[] {
  return m.centiles.flatMap((c) => {
    const t = tagOf.get(c.run_id);
    const idx = multi && t ? { set_index: t.index } : {};
    return t ? [{ metric: c.metric, set: t.set, ...idx, run: t.tag, centile: c.centile, value: c.value }] : [];
  });
}

/** Mean count per run of each non-canonical message in each set, most frequent first. */
/** `blocks_used`, only when some run's chain is incomplete: per-block metrics over n of N forged. */
function blocksUsed(m: MetricsResult, tagOf: SetOf): Pick<Report, 'blocks_used'> {
  const rows = (m.blocks ?? []).filter((b) => tagOf.has(b.run_id));
  if (!rows.some((b) => b.undecided > 0)) return {};
  return {
    blocks_used: Object.fromEntries(
      rows.map((b) => [
        tagOf.get(b.run_id)?.tag ?? String(b.run_id),
        { used: b.used, forged: b.forged, undecided: b.undecided, undecided_slots: [...b.undecided_slots] },
      ]),
    ),
  };
}

function messageCounts(m: MetricsResult, tagOf: SetOf, baseRuns: number, candRuns: number): MessageCount[] {
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

function resourcePoints(m: MetricsResult, tagOf: SetOf, multi: boolean): ResourcePoint[] {
  return m.series.flatMap((s) => {
    const t = tagOf.get(s.run_id);
    const idx = multi && t ? { set_index: t.index } : {};
    return t ? [{ set: t.set, ...idx, run: t.tag, t: s.t, cpu_pct: s.cpu_pct, rss_mb: s.rss_mb }] : [];
  });
}
