// report.json (schema bench-report/report@1, DESIGN §6): a projection of the report model.
// Documented keys come first in the documented order; extra keys follow them. Numbers stay
// numbers, and anything unknown or non-finite becomes null so the file is plain JSON.
import { gateJson } from './gate-view.js';
import { decisions, type RenderedDecision } from './decision.js';
import type { Decision, DecisionItem, MetricComparison, Report, RunManifest, SetManifest, SetStats } from '../core/index.js';

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
    ...(r.packages ? { packages: r.packages.map((p) => ({ name: p.name, commit: p.commit, branch: p.branch, version: p.version })) } : {}),
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
    ...(m.coincides_with ? { coincides_with: m.coincides_with } : {}),
    family: m.family,
    margin_pct: num(m.margin_pct),
    ...(m.too_noisy ? { too_noisy: true } : {}),
    ...(m.margin_abs !== undefined ? { margin_abs: m.margin_abs, ci95_delta: pair(m.ci95_delta) } : {}),
    within_run: m.within_run
      ? { ci95_pct: [num(m.within_run.ci95_pct[0]), num(m.within_run.ci95_pct[1])], windows: m.within_run.windows, resamples: m.within_run.resamples, method: m.within_run.method }
      : null,
  };
}

function item(i: DecisionItem, standing: string): { [key: string]: Json } {
  return {
    metric: i.metric,
    standing,
    delta_pct: num(i.delta_pct),
    ci95_pct: pair(i.ci95_pct),
    margin_pct: num(i.margin_pct),
    budget_pct: num(i.budget_pct),
    runs_needed: num(i.runs_needed),
    verdict: i.verdict,
    reason: i.reason,
  };
}

/** DESIGN §6 `decision`: the documented keys (ids), then each listed metric with its numbers. */
function decision(d: Decision): { [key: string]: Json } {
  return {
    status: d.status,
    line: d.line,
    from: d.from,
    costs: d.costs.map((i) => i.metric),
    gains: d.gains.map((i) => i.metric),
    undecided: d.undecided.map((i) => i.metric),
    set: d.set,
    items: [...d.costs.map((i) => item(i, 'cost')), ...d.gains.map((i) => item(i, 'gain')), ...d.undecided.map((i) => item(i, 'undecided'))],
    cleared: [...d.cleared],
  };
}

/** The report.json object; serialise with `JSON.stringify(x, null, 2)`. */
export function toReportJson(report: Report): { [key: string]: Json } {
  const first: RenderedDecision | undefined = decisions(report)[0];
  const titles = new Map(report.catalogue.map((d) => [d.id, d.title]));
  return {
    schema: 'bench-report/report@1',
    title: report.title,
    generated_at: report.generated_at,
    baseline: set(report.baseline),
    candidate: set(report.candidate),
    metrics: report.metrics.map((m) => metric(m, titles.get(m.id) ?? null)),
    decision: first === undefined ? null : decision(first.decision),
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
    ...(report.blocks_used
      ? {
          blocks_used: Object.fromEntries(
            Object.entries(report.blocks_used).map(([k, b]) => [k, { used: b.used, forged: b.forged, undecided: b.undecided, undecided_slots: [...b.undecided_slots] }]),
          ),
        }
      : {}),
    provenance: {
      inputs: [...report.provenance.inputs],
      queries: [...report.provenance.queries],
      versions: { ...report.provenance.versions },
    },
  };
}

/**
 * report.json of a multi-way report (schema bench-report/matrix@1, DESIGN §6): `sets[0]` is the
 * baseline, each comparison's `candidate` indexes `sets`. Documented keys first, then extras.
 */
export function toMatrixJson(report: Report): { [key: string]: Json } {
  const cands = report.candidates ?? [];
  const titles = new Map(report.catalogue.map((d) => [d.id, d.title]));
  return {
    schema: 'bench-report/matrix@1',
    title: report.title,
    generated_at: report.generated_at,
    sets: [set(report.baseline), ...cands.map(set)],
    metrics: report.metrics.map((m, i) => {
      const per = cands.map((c) => c.metrics[i] ?? m);
      return {
        id: m.id,
        section: m.section,
        unit: m.unit,
        better: m.better,
        sets: [stats(m.baseline), ...per.map((c) => stats(c.candidate))],
        comparisons: per.map((c, k) => ({
          candidate: k + 1,
          delta_pct: num(c.delta_pct),
          ci95_pct: pair(c.ci95_pct),
          p_value: num(c.p_value),
          q_value: num(c.q_value),
          verdict: c.verdict,
          variance: { verdict: c.variance.verdict, sd_ratio: num(c.variance.sd_ratio), p_value: num(c.variance.p_value), q_value: num(c.variance.q_value) },
          delta: num(c.delta),
          ci_method: c.ci_method,
          p_value_mwu: num(c.p_value_mwu),
          noise_pct: num(c.noise_pct),
          mde_pct: num(c.mde_pct),
          runs_needed: num(c.runs_needed),
          family: c.family,
          margin_pct: num(c.margin_pct),
          ...(c.too_noisy ? { too_noisy: true } : {}),
        })),
        title: titles.get(m.id) ?? null,
      };
    }),
    decisions: decisions(report).map((d, k) => ({ candidate: k + 1, ...decision(d.decision) })),
    warnings: report.warnings.map((w) => ({ run: w.run, code: w.code, message: w.message })),
    gate: gateJson(report.gate) as Json,
    workload: report.workload ?? null,
    tool_version: report.tool_version,
    alpha: num(report.alpha),
    ci_method_note: report.ci_method_note,
    differences: [...report.differences],
    observations: [...report.observations],
    undecided: [...report.undecided],
    provenance: {
      inputs: [...report.provenance.inputs],
      queries: [...report.provenance.queries],
      versions: { ...report.provenance.versions },
    },
  };
}

/** report.json's text: two-space indented, newline-terminated; matrix@1 with 2+ candidate sets. */
export function reportJsonText(report: Report): string {
  const multi = (report.candidates?.length ?? 0) > 1;
  return `${JSON.stringify(multi ? toMatrixJson(report) : toReportJson(report), null, 2)}\n`;
}
