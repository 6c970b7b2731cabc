// The HTML template's input for a multi-way report (DESIGN §5.2): the two-set view (appendices,
// method, dictionary) plus the matrix — every set side by side, one column per candidate with
// its Δ%, CI and verdict against the one baseline. Same strict-mode rule: every field present.
import type { CandidateSet, MetricComparison, Report, SetStats } from '../core/index.js';
import type { Chart } from './charts.js';
import { DASH } from './format.js';
import { MANIFEST_FIELDS, SECTIONS, VARIANCE_LABELS, VERDICT_LABELS, VERDICT_ORDER, sectionTitle } from './labels.js';
import { buildView, cell, coincidenceNote, fieldText, marginText, packageRows, setText, type Label, type ManifestCell, type ReportView } from './view-model.js';

export interface MatrixCell {
  delta_pct: number | null;
  ci95_pct: [number, number] | null;
  q_value: number | null;
  verdict: Label;
  variance: Label;
}

export interface MatrixRow {
  id: string;
  title: string;
  unit: string;
  baseline: SetStats;
  /** The threshold beside the verdicts (the same for every set). */
  margin: string;
  cells: MatrixCell[];
}

export interface MatrixChange {
  set: string;
  id: string;
  title: string;
  sectionTitle: string;
  unit: string;
  verdict: Label;
  delta_pct: number | null;
  ci95_pct: [number, number] | null;
  q_value: number | null;
  from: number | null;
  to: number | null;
}

export interface MatrixView extends ReportView {
  sets: { label: string; role: string; runs: number }[];
  candidateSets: {
    label: string;
    counts: (Label & { count: number; zero: boolean })[];
    varianceChangeCount: number;
  }[];
  /** Regressions first, then improvements, then direction-less changes, by set. */
  matrixChanges: MatrixChange[];
  matrixManifest: { label: string; cells: ManifestCell[]; differs: boolean }[];
  matrixRuns: { setLabel: string; cells: ManifestCell[] }[];
  matrixSections: { id: string; title: string; anchor: string; rows: MatrixRow[]; charts: Chart[]; note: string }[];
  matrixVariance: { title: string; metrics: { id: string; title: string; unit: string; sets: (SetStats & { label: string })[] }[] }[];
}

function label(v: MetricComparison): { verdict: Label; variance: Label } {
  return {
    verdict: { key: v.verdict, ...VERDICT_LABELS[v.verdict] },
    variance: { key: v.variance.verdict, ...VARIANCE_LABELS[v.variance.verdict] },
  };
}

export function buildMatrixView(report: Report, charts: Chart[], css: string, generator: string): MatrixView {
  const base = buildView(report, charts, css, generator);
  const cands: CandidateSet[] = report.candidates ?? [];
  const titles = new Map(report.catalogue.map((d) => [d.id, d.title]));
  const title = (id: string): string => titles.get(id) ?? id;
  const allSets = [report.baseline, ...cands];

  const matrixChanges: MatrixChange[] = [];
  for (const v of ['regressed', 'improved', 'changed'] as const) {
    cands.forEach((c) => {
      for (const m of c.metrics.filter((x) => x.verdict === v && x.coincides_with === undefined)) {
        matrixChanges.push({
          set: c.label,
          id: m.id,
          title: title(m.id),
          sectionTitle: sectionTitle(m.section),
          unit: m.unit,
          verdict: label(m).verdict,
          delta_pct: m.delta_pct,
          ci95_pct: m.ci95_pct,
          q_value: m.q_value,
          from: m.baseline.mean,
          to: m.candidate.mean,
        });
      }
    });
  }

  const matrixManifest = MANIFEST_FIELDS.map((f) => {
    const texts = allSets.map((s) => setText(s.runs, f.key));
    const differs = f.kind !== 'count' && new Set(texts).size > 1;
    return { label: f.label, cells: texts.map((t) => cell(t, f.key, differs)), differs };
  });
  matrixManifest.push(...packageRows(allSets.map((x) => x.runs)));
  const runFields = MANIFEST_FIELDS.filter((f) => !['profile', 'era', 'batch'].includes(f.key));
  const matrixRuns = allSets.flatMap((s) =>
    s.runs.map((r) => ({
      setLabel: s.label,
      cells: [cell(r.tag, 'tag', false), ...runFields.map((f) => cell(fieldText(r, f.key), f.key, false))],
    })),
  );

  const rows: MatrixRow[] = report.metrics.map((m, i) => ({
    id: m.id,
    title: title(m.id),
    unit: m.unit,
    baseline: m.baseline,
    margin: marginText(m),
    cells: cands.map((c) => {
      const x = c.metrics[i] ?? m;
      return { delta_pct: x.delta_pct, ci95_pct: x.ci95_pct, q_value: x.q_value, ...label(x) };
    }),
  }));
  const matrixSections = SECTIONS.map((s) => ({
    id: s.id,
    title: s.title,
    anchor: `section-${s.id}`,
    rows: rows.filter((_, i) => report.metrics[i]?.section === s.id && report.metrics[i]?.coincides_with === undefined),
    charts: charts.filter((c) => c.section === s.id),
    note: s.id === 'propagation' ? coincidenceNote(report) : '',
  })).filter((s) => s.rows.length > 0);

  const matrixVariance = matrixSections.map((s) => ({
    title: s.title,
    metrics: s.rows.map((r) => {
      const i = report.metrics.findIndex((m) => m.id === r.id);
      return {
        id: r.id,
        title: r.title,
        unit: r.unit,
        sets: [
          { ...r.baseline, label: report.baseline.label },
          ...cands.map((c) => ({ ...(c.metrics[i]?.candidate ?? r.baseline), label: c.label })),
        ],
      };
    }),
  }));

  return {
    ...base,
    candidateLabel: cands.map((c) => c.label).join(', ') || DASH,
    sets: allSets.map((s, k) => ({ label: s.label, role: k === 0 ? 'Baseline' : `Candidate ${k}`, runs: s.runs.length })),
    candidateSets: cands.map((c) => ({
      label: c.label,
      counts: VERDICT_ORDER.map((v) => {
        const count = c.metrics.filter((m) => m.verdict === v && m.coincides_with === undefined).length;
        return { key: v, ...VERDICT_LABELS[v], count, zero: count === 0 };
      }),
      varianceChangeCount: c.metrics.filter((m) => m.variance.verdict === 'larger' || m.variance.verdict === 'smaller').length,
    })),
    matrixChanges,
    matrixManifest,
    matrixRuns,
    matrixSections,
    matrixVariance,
  };
}
