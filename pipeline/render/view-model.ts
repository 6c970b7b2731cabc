// The HTML template's input: the report model joined with its catalogue, grouped by section in
// locli's order, with verdict labels and manifest differences resolved. Numbers stay numbers
// here; the templates format them through the helpers in format.ts. Every field is always
// present (null when unknown) because the templates run in Handlebars strict mode.
import { gateView, type GateView } from './gate-view.js';
import type {
  MessageCount,
  MetricComparison,
  Report,
  RunManifest,
  Section,
  SetStats,
  VarianceVerdict,
  Verdict,
} from '../core/index.js';
import type { Chart } from './charts.js';
import { DECISION_WORDS, decisionRows, decisions, type DecisionRow } from './decision.js';
import { notesToHtml } from './notes.js';
import { formatNumber, DASH } from './format.js';
import { blocksNote, MANIFEST_FIELDS, SECTIONS, VARIANCE_LABELS, VERDICT_LABELS, VERDICT_ORDER, sectionTitle } from './labels.js';

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
  /** The threshold beside the verdict: "±5.5%", with "too noisy" when the noise threshold is over 50%. */
  margin: string;
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
  /** Why some metrics are shown once for several (coinciding centiles); "" when none. */
  note: string;
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
  /** The decision line(s) at the top: ship / hold / trade-off, and what they rest on. */
  decisions: { set: string; word: string; wordText: string; source: string; reason: string; multi: boolean; rows: DecisionRow[]; cleared: string }[];
  /** Once under the decisions: a gate decided, or the primary metrics' verdicts alone. */
  decisionSource: string;
  /** `--notes`: the reviewer's Markdown, already escaped and rendered (safe to inline). */
  notesHtml: string | null;
}

function verdictLabel(v: Verdict): Label {
  return { key: v, ...VERDICT_LABELS[v] };
}

function varianceLabel(v: VarianceVerdict): Label {
  return { key: v, ...VARIANCE_LABELS[v] };
}

/** "±5.5%"; a noise threshold over 50% is not a threshold: "±10%, too noisy (noise 75%)". */
export function marginText(m: Pick<MetricComparison, 'margin_pct' | 'noise_pct' | 'too_noisy' | 'margin_abs' | 'unit'>): string {
  const margin = m.margin_pct ?? m.noise_pct;
  const plain = (x: number) => String(Number(x.toPrecision(3)));
  if (m.margin_abs !== undefined) return `±${plain(m.margin_abs)} ${m.unit} (absolute)`;
  return m.too_noisy ? `±${plain(margin)}%, too noisy (noise ${plain(m.noise_pct)}%)` : `±${plain(margin)}%`;
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
    margin: marginText(m),
    mde_pct: m.mde_pct,
    runs_needed: m.runs_needed,
    sd_ratio: m.variance.sd_ratio,
    variance_q: m.variance.q_value,
    verdict: verdictLabel(m.verdict),
    variance: varianceLabel(m.variance.verdict),
  };
}

/** A manifest field of one run as text; unknown is the dash. */
export function fieldText(r: RunManifest, key: keyof RunManifest): string {
  const v = r[key];
  if (v === null || v === undefined) return DASH;
  if (Array.isArray(v)) return v.length === 0 ? DASH : v.join(' ');
  return typeof v === 'number' ? formatNumber(v) : String(v);
}

export function cell(text: string, key: keyof RunManifest, differs: boolean): ManifestCell {
  const isFlags = key === 'rts_flags' && text !== DASH && !text.includes(';');
  const numeric = MANIFEST_FIELDS.find((f) => f.key === key)?.kind === 'count';
  return { text, flags: isFlags ? text.split(' ') : [], differs, numeric };
}

/** A set's value of a field: distinct values joined, or the total for line counts. */
export function setText(runs: RunManifest[], key: keyof RunManifest): string {
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
  rows.push(...packageRows([report.baseline.runs, report.candidate.runs]).map((p) => ({
    label: p.label,
    baseline: p.cells[0] as ManifestCell,
    candidate: p.cells[1] as ManifestCell,
    differs: p.differs,
  })));
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

/**
 * One manifest row per build package (meta.manifest): "commit · branch" of each set, commits cut
 * to 12 characters, marked when the sets differ. No rows when no run has a manifest.
 */
export function packageRows(sets: RunManifest[][]): { label: string; cells: ManifestCell[]; differs: boolean }[] {
  const names = [...new Set(sets.flat().flatMap((r) => (r.packages ?? []).map((p) => p.name)))];
  return names.map((name) => {
    const texts = sets.map((runs) => {
      const vals = new Set(
        runs.map((r) => {
          const p = r.packages?.find((x) => x.name === name);
          return p ? [p.commit?.slice(0, 12), p.branch].filter(Boolean).join(' · ') || DASH : DASH;
        }),
      );
      return [...vals].join('; ');
    });
    const differs = new Set(texts).size > 1;
    return { label: name, cells: texts.map((t) => ({ text: t, flags: [], differs, numeric: false })), differs };
  });
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

/**
 * Metrics that coincide with another (adoption centiles picking the same node) are shown once:
 * the note says which and why. "" when none coincide.
 */
export function coincidenceNote(report: Report): string {
  const groups = new Map<string, string[]>();
  for (const m of report.metrics) if (m.coincides_with) groups.set(m.coincides_with, [...(groups.get(m.coincides_with) ?? []), m.id]);
  if (groups.size === 0) return '';
  const pct = (id: string) => /_p(\d+)_/.exec(id)?.[1] ?? id;
  const nodes = [...new Set([...report.baseline.runs, ...report.candidate.runs].map((r) => r.hosts))];
  const count = nodes.length === 1 && nodes[0] !== null ? `With ${nodes[0]} nodes` : 'At these node counts';
  const parts = [...groups].map(([rep, dups]) => {
    const all = [rep, ...dups].map((id) => `${pct(id)}%`);
    const title = report.catalogue.find((d) => d.id === rep)?.title ?? rep;
    return `${all.slice(0, -1).join(', ')} and ${all[all.length - 1] ?? ''} (shown as ${title})`;
  });
  return `${count} the nearest-rank adoption centiles ${parts.join('; ')} pick the same node in every run: each group is shown and tested once.`;
}

/** The one sentence under the decisions saying what they rest on (DESIGN §5.5). */
export function decisionSource(report: Report): string {
  if (report.gate) return `Decided with the gate (${report.gate.source}) over the metrics it names; the other metrics are exploratory: reported, failing nothing.`;
  const primary = report.metrics.filter((m) => m.family === 'primary' && m.coincides_with === undefined).map((m) => report.catalogue.find((d) => d.id === m.id)?.title ?? m.id);
  return `No gate was given: decided from the verdicts of the primary metrics (${primary.join(', ') || 'none in this report'}); the other metrics are exploratory: reported, deciding nothing.`;
}

export function buildView(report: Report, charts: Chart[], css: string, generator: string): ReportView {
  const catalogueTitles = new Map(report.catalogue.map((d) => [d.id, d.title]));
  const shown = report.metrics.filter((m) => m.coincides_with === undefined);
  const rows = shown.map((m) => metricRow(m, report));
  const runTags = [...report.baseline.runs, ...report.candidate.runs].map((r) => r.tag);
  const note = coincidenceNote(report);
  const sections = SECTIONS.map((s) => ({
    id: s.id,
    title: s.title,
    anchor: `section-${s.id}`,
    metrics: rows.filter((_, i) => shown[i]?.section === s.id),
    charts: charts.filter((c) => c.section === s.id),
    withinRun: shown.some((m) => m.section === s.id && m.within_run),
    note: [s.id === 'propagation' ? note : '', s.id === 'forging' || s.id === 'peer' || s.id === 'propagation' ? blocksNote(report) : ''].filter(Boolean).join(' '),
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
      const count = shown.filter((m) => m.verdict === v).length;
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
    messages: alignedMessages(report.messages ?? []),
    malformedTotal: [...report.baseline.runs, ...report.candidate.runs].reduce((s, r) => s + r.malformed_lines, 0),
    provenance: {
      inputs: report.provenance.inputs,
      queries: report.provenance.queries,
      versions: Object.entries(report.provenance.versions).map(([name, value]) => ({ name, value })),
    },
    decisions: decisions(report).map((d) => ({
      set: d.set,
      word: d.word,
      wordText: DECISION_WORDS[d.word],
      // Kept for --templates partials written against earlier versions (e.g. a sign-off block).
      source: d.source === 'gate' ? 'from the gate' : 'derived from the verdicts (no gate was given)',
      reason: d.reason,
      multi: (report.candidates?.length ?? 0) > 1,
      rows: decisionRows(d.decision),
      cleared: d.decision.cleared.map((id) => catalogueTitles.get(id) ?? id).join(', '),
    })),
    decisionSource: decisionSource(report),
    notesHtml: report.notes ? notesToHtml(report.notes) : null,
    method: {
      alpha: report.alpha,
      note: report.ci_method_note,
      ciMethods: [...new Set(report.metrics.map((m) => m.ci_method))].join(', ') || DASH,
      noise: noiseText(report.metrics),
    },
  };
}

/** A legacy (iohk-monitoring) message: its namespace is the logger name `cardano.node.*`. */
function isLegacy(ns: string): boolean {
  return ns.startsWith('["cardano.node') || ns.startsWith('cardano.node');
}

/** The name a message keeps in both systems: the kind's last segment without Trace/Tr. */
function messageKey(kind: string): string {
  const last = kind.split('.').pop() ?? kind;
  return last.replace(/^(Trace|Tr)(?=[A-Z])/, '');
}

/**
 * The "other messages" rows, with a legacy message and a new-tracing message of the same name
 * (TrPromotedToHotRemote ≡ Net.InboundGovernor.Remote.PromotedToHotRemote) on one row, so the
 * two sets' counts of one message read side by side instead of as two one-sided rows.
 */
export function alignedMessages(messages: MessageCount[]): { name: string; baseline: number; candidate: number }[] {
  const name = (m: MessageCount) => [m.ns, m.kind].filter(Boolean).join(' · ');
  const byKey = new Map<string, { legacy: MessageCount[]; fresh: MessageCount[] }>();
  for (const m of messages) {
    const k = messageKey(m.kind);
    const g = byKey.get(k) ?? { legacy: [], fresh: [] };
    (isLegacy(m.ns) ? g.legacy : g.fresh).push(m);
    byKey.set(k, g);
  }
  const paired = new Set<MessageCount>();
  const rows: { name: string; baseline: number; candidate: number }[] = [];
  for (const m of messages) {
    if (paired.has(m)) continue;
    const g = byKey.get(messageKey(m.kind));
    const [l, f] = [g?.legacy ?? [], g?.fresh ?? []];
    if (l.length === 1 && f.length === 1 && l[0] && f[0]) {
      paired.add(l[0]);
      paired.add(f[0]);
      rows.push({ name: `${name(f[0])} ≡ ${name(l[0])}`, baseline: l[0].baseline + f[0].baseline, candidate: l[0].candidate + f[0].candidate });
    } else rows.push({ name: name(m), baseline: m.baseline, candidate: m.candidate });
  }
  return rows;
}
