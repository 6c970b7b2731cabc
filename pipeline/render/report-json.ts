// report.json (schema bench-report/report@1, DESIGN §6): a projection of the report model.
// Documented keys come first in the documented order; extra keys follow them. Numbers stay
// numbers, and anything unknown or non-finite becomes null so the file is plain JSON.
import { gateJson } from './gate-view.js';
import type { MetricComparison, Report, RunManifest, SetManifest, SetStats } from '../types.js';

type Json = null | boolean | number | string | Json[] | { [key: string]: Json };

function num(x: number | null | undefined): number | null {
  return typeof x === 'number' && Number.isFinite(x) ? x : null;
}

function pair(p: readonly [number, number] | null | undefined): [number, number] | null {
  if (!p) return null;
  const [a, b] = p;
  return Number.isFinite(a) && Number.isFinite(b) ? [a, b] : null;
}

function run(r: RunManifest): { [key: string]: Json } {
  return {
    tag: r.tag,
    path: r.path,
    tracing_backend: r.tracing_backend ?? null,
    rts_flags: [...r.rts_flags],
    hosts: num(r.hosts),
    log_lines: num(r.log_lines),
    malformed_lines: num(r.malformed_lines),
    // Extra keys, after the documented ones.
    profile: r.profile ?? null,
    ghc_version: r.ghc_version ?? null,
    node_version: r.node_version ?? null,
    era: r.era ?? null,
    batch: r.batch ?? null,
  };
}

function set(s: SetManifest): { [key: string]: Json } {
  return { label: s.label, runs: s.runs.map(run) };
}

function stats(s: SetStats): { [key: string]: Json } {
  return {
    runs: s.runs.map((v) => num(v)),
    n: s.n,
    mean: num(s.mean),
    sd: num(s.sd),
    cov: num(s.cov),
    min: num(s.min),
    max: num(s.max),
    ci95: pair(s.ci95),
    range: num(s.range),
  };
}

function metric(m: MetricComparison, title: string | null): { [key: string]: Json } {
  return {
    id: m.id,
    section: m.section,
    unit: m.unit,
    better: m.better,
    baseline: stats(m.baseline),
    candidate: stats(m.candidate),
    delta: num(m.delta),
    delta_pct: num(m.delta_pct),
    ci95_pct: pair(m.ci95_pct),
    p_value: num(m.p_value),
    q_value: num(m.q_value),
    noise_pct: num(m.noise_pct),
    mde_pct: num(m.mde_pct),
    runs_needed: num(m.runs_needed),
    verdict: m.verdict,
    variance: {
      sd_ratio: num(m.variance.sd_ratio),
      p_value: num(m.variance.p_value),
      q_value: num(m.variance.q_value),
      verdict: m.variance.verdict,
    },
    method: m.method,
    title,
    ci_method: m.ci_method,
    p_value_mwu: num(m.p_value_mwu),
    within_run: m.within_run
      ? { ci95_pct: [num(m.within_run.ci95_pct[0]), num(m.within_run.ci95_pct[1])], windows: m.within_run.windows, resamples: m.within_run.resamples, method: m.within_run.method }
      : null,
  };
}

/** The report.json object; serialise with `JSON.stringify(x, null, 2)`. */
export function toReportJson(report: Report): { [key: string]: Json } {
  const titles = new Map(report.catalogue.map((d) => [d.id, d.title]));
  return {
    schema: 'bench-report/report@1',
    title: report.title,
    generated_at: report.generated_at,
    baseline: set(report.baseline),
    candidate: set(report.candidate),
    metrics: report.metrics.map((m) => metric(m, titles.get(m.id) ?? null)),
    warnings: report.warnings.map((w) => ({ run: w.run, code: w.code, message: w.message })),
    gate: gateJson(report.gate) as Json,
    workload: report.workload ?? null,
    tool_version: report.tool_version,
    alpha: num(report.alpha),
    ci_method_note: report.ci_method_note,
    messages: (report.messages ?? []).map((m) => ({ ns: m.ns, kind: m.kind, baseline: num(m.baseline), candidate: num(m.candidate) })),
    differences: [...report.differences],
    observations: [...report.observations],
    undecided: [...report.undecided],
    filters: report.filters.map((f) => ({
      name: f.name,
      description: f.description,
      removed: Object.fromEntries(Object.entries(f.removed).map(([k, v]) => [k, num(v)])),
    })),
    provenance: {
      inputs: [...report.provenance.inputs],
      queries: [...report.provenance.queries],
      versions: { ...report.provenance.versions },
    },
  };
}

/** report.json's text: two-space indented, newline-terminated. */
export function reportJsonText(report: Report): string {
  return `${JSON.stringify(toReportJson(report), null, 2)}\n`;
}
