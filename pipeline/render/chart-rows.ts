// Chart data: the report's distributions, resource series, run values and deltas shaped into
// the rows the Vega-Lite specs draw, the per-set colours, the units charts use (those of the
// tables), and which CDFs are steps rather than distributions.
import type { Report, Section } from '../core/index.js';

export type Row = Record<string, string | number>;

/** Colours, dashes and point shapes per set, in set order (baseline first). */
// Verdict colours are red (regressed) and green (improved): no set is drawn in either, so a
// set's colour never reads as its verdict. Blue, orange, purple, brown, cyan, grey, gold, navy.
export const SET_COLORS = ['#4c78a8', '#f58518', '#7b4fa0', '#8c6d31', '#17becf', '#7f7f7f', '#e7ba52', '#393b79'];
export const SET_DASHES = [[1, 0], [6, 3], [2, 2], [8, 3, 2, 3], [4, 2], [1, 3], [10, 2], [3, 3, 1, 3]];
export const SET_SHAPES = ['circle', 'diamond', 'square', 'triangle-up', 'cross', 'triangle-down', 'triangle-left', 'triangle-right'];

export interface Series {
  /** Legend names in set order. */
  domain: string[];
  /** The legend name of a point's set. */
  of: (p: { set: 'baseline' | 'candidate'; set_index?: number }) => string;
}

/** Legend names: "Baseline: …" and "Candidate: …", or every candidate set by its own label. */
export function series(report: Report): Series {
  // Prefixed so the sets stay distinct in a legend even when their labels are equal.
  const base = `Baseline: ${report.baseline.label}`;
  const cands = report.candidates && report.candidates.length > 1 ? report.candidates.map((c) => c.label) : [`Candidate: ${report.candidate.label}`];
  const domain = [base, ...cands];
  return { domain, of: (p) => (p.set === 'baseline' ? base : (cands[(p.set_index ?? 1) - 1] ?? cands[0] ?? '')) };
}

export function setParams(sv: Series): Record<string, unknown> {
  const n = sv.domain.length;
  const cycle = <T>(xs: T[]): T[] => Array.from({ length: n }, (_, i) => xs[i % xs.length] as T);
  return { set_domain: sv.domain, set_colors: cycle(SET_COLORS), set_dashes: cycle(SET_DASHES), set_shapes: cycle(SET_SHAPES) };
}

export function metricInfo(report: Report, id: string): { title: string; unit: string; section: Section } | null {
  const def = report.catalogue.find((d) => d.id === id);
  if (def) return { title: def.title, unit: def.unit, section: def.section };
  const m = report.metrics.find((x) => x.id === id);
  return m ? { title: id, unit: m.unit, section: m.section } : null;
}

export function withUnit(title: string, unit: string): string {
  return unit === '' ? title : `${title} (${unit})`;
}

/** Per set and centile: the mean, lowest and highest value over the set's runs. */
export function cdfRows(report: Report, metric: string): Row[] {
  const sv = series(report);
  const groups = new Map<string, { set: string; order: number; centile: number; values: number[] }>();
  for (const p of report.distributions) {
    if (p.metric !== metric || !Number.isFinite(p.value) || !Number.isFinite(p.centile)) continue;
    const set = sv.of(p);
    const key = `${set}\u0000${p.centile}`;
    const g = groups.get(key) ?? { set, order: sv.domain.indexOf(set), centile: p.centile, values: [] };
    g.values.push(p.value);
    groups.set(key, g);
  }
  return [...groups.values()]
    .sort((a, b) => (a.order === b.order ? a.centile - b.centile : a.order - b.order))
    .map((g) => ({
      set: g.set,
      centile: g.centile,
      mean: g.values.reduce((s, v) => s + v, 0) / g.values.length,
      min: Math.min(...g.values),
      max: Math.max(...g.values),
    }));
}

export const MEASURES = [
  { key: 'cpu_pct', label: 'CPU (% of one core)' },
  { key: 'rss_mb', label: 'RSS (MiB)' },
] as const;

export function resourceRows(report: Report): Row[] {
  const sv = series(report);
  const rows: Row[] = [];
  for (const { key, label } of MEASURES) {
    for (const p of report.resources) {
      const value = p[key];
      if (value === null || !Number.isFinite(value) || !Number.isFinite(p.t)) continue;
      // The run key carries the set so equal tags in two sets stay separate lines.
      rows.push({ measure: label, set: sv.of(p), run: `${p.set_index ?? p.set}/${p.run}`, t: p.t, value });
    }
  }
  return rows;
}

export function runValueRows(report: Report, metrics: readonly string[]): Row[] {
  const sv = series(report);
  const cands = report.candidates && report.candidates.length > 1 ? report.candidates : [{ ...report.candidate, metrics: report.metrics }];
  const rows: Row[] = [];
  for (const id of metrics) {
    const m = report.metrics.find((x) => x.id === id);
    const info = metricInfo(report, id);
    if (!m || !info) continue;
    const metric = withUnit(info.title, info.unit);
    const sets = [
      { name: sv.domain[0] ?? '', values: m.baseline.runs, runs: report.baseline.runs },
      ...cands.map((c, k) => ({ name: sv.domain[k + 1] ?? '', values: c.metrics.find((x) => x.id === id)?.candidate.runs ?? [], runs: c.runs })),
    ];
    for (const s of sets) {
      s.values.forEach((value, i) => {
        if (value === null || !Number.isFinite(value)) return;
        rows.push({ metric, set: s.name, run: s.runs[i]?.tag ?? String(i + 1), value });
      });
    }
  }
  return rows;
}

/** Forest plot rows of one section: per metric and candidate set, Δ% with its 95% CI. */
export function forestRows(report: Report, section: Section): Row[] {
  const sv = series(report);
  const rows: Row[] = [];
  (report.candidates ?? []).forEach((c, k) => {
    for (const m of c.metrics) {
      if (m.section !== section || m.delta_pct === null || m.ci95_pct === null) continue;
      const info = metricInfo(report, m.id);
      rows.push({
        metric: info ? info.title : m.id,
        set: sv.domain[k + 1] ?? c.label,
        delta: m.delta_pct,
        lo: m.ci95_pct[0],
        hi: m.ci95_pct[1],
        noise_lo: -m.noise_pct,
        noise_hi: m.noise_pct,
        decided: ['regressed', 'improved', 'changed'].includes(m.verdict) ? 'decided' : 'not decided',
      });
    }
  });
  return rows;
}

/** Trade-off rows: per set, CPU Δ% and RSS Δ% with their CIs; the baseline at the origin. */
export function tradeoffRows(report: Report, x = 'cpu_pct', y = 'rss_mb'): Row[] {
  const sv = series(report);
  const rows: Row[] = [{ set: sv.domain[0] ?? '', x: 0, x_lo: 0, x_hi: 0, y: 0, y_lo: 0, y_hi: 0 }];
  (report.candidates ?? []).forEach((c, k) => {
    const mx = c.metrics.find((m) => m.id === x);
    const my = c.metrics.find((m) => m.id === y);
    if (!mx?.ci95_pct || !my?.ci95_pct || mx.delta_pct === null || my.delta_pct === null) return;
    rows.push({
      set: sv.domain[k + 1] ?? c.label,
      x: mx.delta_pct,
      x_lo: mx.ci95_pct[0],
      x_hi: mx.ci95_pct[1],
      y: my.delta_pct,
      y_lo: my.ci95_pct[0],
      y_hi: my.ci95_pct[1],
    });
  });
  return rows.length > 1 ? rows : [];
}


/**
 * The unit a chart draws a metric in: the tables show seconds below one as ms (formatValue), so
 * a metric in s whose values all lie below 1 s is drawn in ms too.
 */
export function chartUnit(unit: string, values: readonly number[]): { unit: string; factor: number } {
  const top = Math.max(0, ...values.filter(Number.isFinite).map(Math.abs));
  return unit === 's' && top < 1 ? { unit: 'ms', factor: 1000 } : { unit, factor: 1 };
}

/** CDF rows (cdfRows) in the chart's unit. */
export function scaleCdfRows(rows: Row[], factor: number): Row[] {
  return factor === 1 ? rows : rows.map((r) => ({ ...r, mean: Number(r.mean) * factor, min: Number(r.min) * factor, max: Number(r.max) * factor }));
}

/**
 * A CDF worth no panel: in every set, the mean line between the 5th and 95th centiles takes at
 * most two values (a flat line or one step: 1 loop start per slot, a constant thread count).
 * Returns the values it takes, lowest to highest, or null when the CDF is a distribution.
 */
export function stepValues(rows: readonly Row[]): number[] | null {
  if (rows.length === 0) return null;
  const all = new Set<number>();
  const bySet = new Map<string, Set<number>>();
  for (const r of rows) {
    const c = Number(r.centile);
    if (c < 0.05 || c > 0.95) continue;
    const v = Number(Number(r.mean).toPrecision(6));
    const s = bySet.get(String(r.set)) ?? new Set<number>();
    s.add(v);
    all.add(v);
    bySet.set(String(r.set), s);
  }
  if (bySet.size === 0 || [...bySet.values()].some((s) => s.size > 2) || all.size > 3) return null;
  return [...all].sort((x, y) => x - y);
}
