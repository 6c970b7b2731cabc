// The HTML template's input: the report model joined with its catalogue, grouped by section in
// locli's order, with verdict labels and manifest differences resolved. Numbers stay numbers
// here; the templates format them through the helpers in format.ts. Every field is always
// present (null when unknown) because the templates run in Handlebars strict mode.
import { gateView, type GateView } from './gate-view.js';
import type {
  MetricComparison,
  Report,
  RunManifest,
  Section,
  SetStats,
  VarianceVerdict,
  Verdict,
} from '../types.js';
import type { Chart } from './charts.js';
import { formatNumber, DASH } from './format.js';
import { MANIFEST_FIELDS, SECTIONS, VARIANCE_LABELS, VERDICT_LABELS, VERDICT_ORDER, sectionTitle } from './labels.js';

export interface Label {
  key: string;
  symbol: string;
  word: string;
}

export interface MetricRow {
  id: string;
  title: string;
  unit: string;
  sectionTitle: string;
  baseline: SetStats;
  candidate: SetStats;
  delta_pct: number | null;
  ci95_pct: [number, number] | null;
  /** Within-run Δ% interval, shown (marked †) only with one run per side. */
  within_ci95_pct: [number, number] | null;
  q_value: number | null;
  noise_pct: number;
  mde_pct: number | null;
  runs_needed: number | null;
  sd_ratio: number | null;
  variance_q: number | null;
  verdict: Label;
  variance: Label;
}

export interface SectionView {
  id: Section;
  title: string;
  anchor: string;
  metrics: MetricRow[];
  charts: Chart[];
  /** Some row shows a within-run estimate: the table gets its footnote. */
  withinRun: boolean;
}

export interface ManifestCell {
  text: string;
  /** RTS flags, one per entry, so a flag never breaks at its hyphens; empty for other fields. */
  flags: string[];
  differs: boolean;
  numeric: boolean;
}

export interface ReportView {
  title: string;
  workload: string | null;
  generated_at: string;
  tool_version: string;
  generator: string;
  css: string;
  baselineLabel: string;
  candidateLabel: string;
  baselineRuns: number;
  candidateRuns: number;
  counts: (Label & { count: number; zero: boolean })[];
  varianceChangeCount: number;
  regressions: MetricRow[];
  improvements: MetricRow[];
  changes: MetricRow[];
  varianceChanges: MetricRow[];
  warnings: { run: string | null; code: string; message: string }[];
  gate: GateView | null;
  observations: string[];
  undecided: string[];
  manifest: {
    rows: { label: string; baseline: ManifestCell; candidate: ManifestCell; differs: boolean }[];
    columns: { label: string; differs: boolean; numeric: boolean }[];
    runs: { set: string; setLabel: string; cells: ManifestCell[] }[];
  };
  sections: SectionView[];
  dictionary: { id: string; sectionTitle: string; title: string; unit: string; better: string; definition: string }[];
  filters: { name: string; description: string; removed: { run: string; count: number | null }[] }[];
  malformed: { run: string; file: string; line: string }[];
  malformedTotal: number;
  messages: { name: string; baseline: number; candidate: number }[];
  provenance: { inputs: string[]; queries: string[]; versions: { name: string; value: string }[] };
  method: { alpha: number; note: string; ciMethods: string; noise: string };
}

function verdictLabel(v: Verdict): Label {
  return { key: v, ...VERDICT_LABELS[v] };
}

function varianceLabel(v: VarianceVerdict): Label {
  return { key: v, ...VARIANCE_LABELS[v] };
}

function metricRow(m: MetricComparison, report: Report): MetricRow {
  const def = report.catalogue.find((d) => d.id === m.id);
  return {
    id: m.id,
    title: def?.title ?? m.id,
    unit: m.unit,
    sectionTitle: sectionTitle(m.section),
    baseline: m.baseline,
    candidate: m.candidate,
    delta_pct: m.delta_pct,
    ci95_pct: m.ci95_pct,
    within_ci95_pct: m.within_run?.ci95_pct ?? null,
    q_value: m.q_value,
    noise_pct: m.noise_pct,
    mde_pct: m.mde_pct,
    runs_needed: m.runs_needed,
    sd_ratio: m.variance.sd_ratio,
    variance_q: m.variance.q_value,
    verdict: verdictLabel(m.verdict),
    variance: varianceLabel(m.variance.verdict),
  };
}

/** A manifest field of one run as text; unknown is the dash. */
function fieldText(r: RunManifest, key: keyof RunManifest): string {
  const v = r[key];
  if (v === null || v === undefined) return DASH;
  if (Array.isArray(v)) return v.length === 0 ? DASH : v.join(' ');
  return typeof v === 'number' ? formatNumber(v) : String(v);
}

function cell(text: string, key: keyof RunManifest, differs: boolean): ManifestCell {
  const isFlags = key === 'rts_flags' && text !== DASH && !text.includes(';');
  const numeric = MANIFEST_FIELDS.find((f) => f.key === key)?.kind === 'count';
  return { text, flags: isFlags ? text.split(' ') : [], differs, numeric };
}

/** A set's value of a field: distinct values joined, or the total for line counts. */
function setText(runs: RunManifest[], key: keyof RunManifest): string {
  if (runs.length === 0) return DASH;
  if (key === 'log_lines' || key === 'malformed_lines') {
    const total = runs.reduce((s, r) => s + (r[key] ?? 0), 0);
    return `${formatNumber(total)} in ${runs.length} ${runs.length === 1 ? 'run' : 'runs'}`;
  }
  return [...new Set(runs.map((r) => fieldText(r, key)))].join('; ');
}

function manifest(report: Report): ReportView['manifest'] {
  const differs = new Set(report.differences);
  const rows = [
    {
      label: 'Runs',
      baseline: cell(String(report.baseline.runs.length), 'tag', false),
      candidate: cell(String(report.candidate.runs.length), 'tag', false),
      differs: false,
    },
    ...MANIFEST_FIELDS.map((f) => ({
      label: f.label,
      baseline: cell(setText(report.baseline.runs, f.key), f.key, false),
      candidate: cell(setText(report.candidate.runs, f.key), f.key, false),
      differs: differs.has(f.key),
    })),
  ];
  const fields = MANIFEST_FIELDS.filter((f) => !['profile', 'era', 'batch'].includes(f.key));
  const columns = [
    { label: 'Tag', differs: false, numeric: false },
    ...fields.map((f) => ({ label: f.label, differs: differs.has(f.key), numeric: f.kind === 'count' })),
  ];
  const runs: ReportView['manifest']['runs'] = [];
  for (const set of ['baseline', 'candidate'] as const) {
    report[set].runs.forEach((r) => {
      runs.push({
        set,
        setLabel: report[set].label,
        cells: [cell(r.tag, 'tag', false), ...fields.map((f) => cell(fieldText(r, f.key), f.key, differs.has(f.key)))],
      });
    });
  }
  return { rows, columns, runs };
}

/** "2%" when every metric uses it; otherwise the common value and the exceptions. */
function noiseText(metrics: MetricComparison[]): string {
  if (metrics.length === 0) return DASH;
  const counts = new Map<number, number>();
  for (const m of metrics) counts.set(m.noise_pct, (counts.get(m.noise_pct) ?? 0) + 1);
  const common = [...counts.entries()].sort((a, b) => b[1] - a[1])[0]?.[0] ?? 0;
  const others = metrics.filter((m) => m.noise_pct !== common).map((m) => `${m.id} ${formatNumber(m.noise_pct)}%`);
  return others.length === 0
    ? `±${formatNumber(common)}%`
    : `±${formatNumber(common)}% (except ${others.join(', ')})`;
}

export function buildView(report: Report, charts: Chart[], css: string, generator: string): ReportView {
  const rows = report.metrics.map((m) => metricRow(m, report));
  const runTags = [...report.baseline.runs, ...report.candidate.runs].map((r) => r.tag);
  const sections = SECTIONS.map((s) => ({
    id: s.id,
    title: s.title,
    anchor: `section-${s.id}`,
    metrics: rows.filter((_, i) => report.metrics[i]?.section === s.id),
    charts: charts.filter((c) => c.section === s.id),
    withinRun: report.metrics.some((m) => m.section === s.id && m.within_run),
  })).filter((s) => s.metrics.length > 0);

  return {
    title: report.title,
    workload: report.workload,
    generated_at: report.generated_at,
    tool_version: report.tool_version,
    generator,
    css,
    baselineLabel: report.baseline.label,
    candidateLabel: report.candidate.label,
    baselineRuns: report.baseline.runs.length,
    candidateRuns: report.candidate.runs.length,
    counts: VERDICT_ORDER.map((v) => {
      const count = report.metrics.filter((m) => m.verdict === v).length;
      return { ...verdictLabel(v), count, zero: count === 0 };
    }),
    varianceChangeCount: rows.filter((r) => r.variance.key === 'larger' || r.variance.key === 'smaller').length,
    regressions: rows.filter((r) => r.verdict.key === 'regressed'),
    improvements: rows.filter((r) => r.verdict.key === 'improved'),
    changes: rows.filter((r) => r.verdict.key === 'changed'),
    varianceChanges: rows.filter((r) => r.variance.key === 'larger' || r.variance.key === 'smaller'),
    warnings: report.warnings.map((w) => ({ run: w.run, code: w.code, message: w.message })),
    gate: report.gate ? gateView(report.gate) : null,
    observations: report.observations,
    undecided: report.undecided,
    manifest: manifest(report),
    sections,
    dictionary: report.catalogue.map((d) => ({
      id: d.id,
      sectionTitle: sectionTitle(d.section),
      title: d.title,
      unit: d.unit === '' ? DASH : d.unit,
      better: d.better,
      definition: d.definition,
    })),
    filters: report.filters.map((f) => {
      const tags = [...runTags, ...Object.keys(f.removed).filter((t) => !runTags.includes(t))];
      return {
        name: f.name,
        description: f.description,
        removed: tags.filter((t) => t in f.removed).map((t) => ({ run: t, count: f.removed[t] ?? null })),
      };
    }),
    malformed: report.malformed,
    messages: (report.messages ?? []).map((m) => ({ name: [m.ns, m.kind].filter(Boolean).join(' · '), baseline: m.baseline, candidate: m.candidate })),
    malformedTotal: [...report.baseline.runs, ...report.candidate.runs].reduce((s, r) => s + r.malformed_lines, 0),
    provenance: {
      inputs: report.provenance.inputs,
      queries: report.provenance.queries,
      versions: Object.entries(report.provenance.versions).map(([name, value]) => ({ name, value })),
    },
    method: {
      alpha: report.alpha,
      note: report.ci_method_note,
      ciMethods: [...new Set(report.metrics.map((m) => m.ci_method))].join(', ') || DASH,
      noise: noiseText(report.metrics),
    },
  };
}
