// Report charts: Vega-Lite specs from templates/charts/*.vl.json, data injected at render time,
// compiled by vega-lite and rendered by vega to SVG strings without a browser.
//
//   1. shape the report's distributions, resource series and run values into chart rows
//   2. fill the spec's {{placeholders}} and inline the rows as its data
//   3. compile → vega View (renderer 'none') → toSVG → finalize
//   4. make the SVG safe to inline next to other charts (unique ids, no namespace URLs)
//
// A chart without data is skipped; a chart that fails to render is skipped with a warning.
import * as vega from 'vega';
import * as vl from 'vega-lite';
import type { Report, Section } from '../core/index.js';
import { CliError } from '../core/index.js';
import { readTemplateOver } from './paths.js';

export interface Chart {
  /** Unique within a report; also prefixes the SVG's element ids. */
  id: string;
  /** The report section the chart sits under. */
  section: Section;
  title: string;
  caption: string;
  svg: string;
}

export interface ChartOptions {
  /** Metric ids drawn as CDFs when `report.distributions` has points for them (default: every distribution metric). */
  cdfMetrics?: readonly string[];
  /** Metric ids whose run values are drawn as dots per run (resource usage). */
  runValueMetrics?: readonly string[];
  /** `--templates DIR`: chart specs (charts/*.vl.json) found there replace the built-in ones. */
  templates?: string;
  warn?: (message: string) => void;
}

export const DEFAULT_RUN_VALUE_METRICS: readonly string[] = [
  'cpu_pct',
  'gc_cpu_pct',
  'alloc_mb_s',
  'rss_mb',
  'heap_mb',
  'live_mb',
];

type Row = Record<string, string | number>;

interface ChartJob {
  id: string;
  section: Section;
  title: string;
  caption: string;
  specFile: string;
  params: Record<string, unknown>;
  rows: Row[];
}

/** Colours, dashes and point shapes per set, in set order (baseline first). */
const SET_COLORS = ['#4c78a8', '#f58518', '#54a24b', '#e45756', '#b279a2', '#72b7b2', '#9d755d', '#bab0ac'];
const SET_DASHES = [[1, 0], [6, 3], [2, 2], [8, 3, 2, 3], [4, 2], [1, 3], [10, 2], [3, 3, 1, 3]];
const SET_SHAPES = ['circle', 'diamond', 'square', 'triangle-up', 'cross', 'triangle-down', 'triangle-left', 'triangle-right'];

interface Series {
  /** Legend names in set order. */
  domain: string[];
  /** The legend name of a point's set. */
  of: (p: { set: 'baseline' | 'candidate'; set_index?: number }) => string;
}

/** Legend names: "Baseline: …" and "Candidate: …", or every candidate set by its own label. */
function series(report: Report): Series {
  // Prefixed so the sets stay distinct in a legend even when their labels are equal.
  const base = `Baseline: ${report.baseline.label}`;
  const cands = report.candidates && report.candidates.length > 1 ? report.candidates.map((c) => c.label) : [`Candidate: ${report.candidate.label}`];
  const domain = [base, ...cands];
  return { domain, of: (p) => (p.set === 'baseline' ? base : (cands[(p.set_index ?? 1) - 1] ?? cands[0] ?? '')) };
}

function setParams(sv: Series): Record<string, unknown> {
  const n = sv.domain.length;
  const cycle = <T>(xs: T[]): T[] => Array.from({ length: n }, (_, i) => xs[i % xs.length] as T);
  return { set_domain: sv.domain, set_colors: cycle(SET_COLORS), set_dashes: cycle(SET_DASHES), set_shapes: cycle(SET_SHAPES) };
}

function metricInfo(report: Report, id: string): { title: string; unit: string; section: Section } | null {
  const def = report.catalogue.find((d) => d.id === id);
  if (def) return { title: def.title, unit: def.unit, section: def.section };
  const m = report.metrics.find((x) => x.id === id);
  return m ? { title: id, unit: m.unit, section: m.section } : null;
}

function withUnit(title: string, unit: string): string {
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

const MEASURES = [
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

function jobs(report: Report, options: ChartOptions): ChartJob[] {
  const sets = setParams(series(report));
  const out: ChartJob[] = [];
  const multi = (report.candidates?.length ?? 0) > 1;
  const counts = multi
    ? `${report.baseline.runs.length} baseline runs; ${(report.candidates ?? []).map((c) => c.runs.length).join(', ')} runs in the candidate sets`
    : `${report.baseline.runs.length} baseline and ${report.candidate.runs.length} candidate runs`;
  if (multi) out.push(...matrixJobs(report, sets));

  const runValueIds = options.runValueMetrics ?? DEFAULT_RUN_VALUE_METRICS;
  const runValues = runValueRows(report, runValueIds);
  if (runValues.length > 0) {
    const order = [...new Set(runValues.map((r) => String(r.metric)))];
    out.push({
      id: 'resources-run-values',
      section: 'resources',
      title: 'Resource usage: run values',
      caption: `Each dot is one run's value (the mean over its samples and hosts); the tick is the set's mean. ${counts}.`,
      specFile: 'run-values.vl.json',
      params: { ...sets, metric_order: order },
      rows: runValues,
    });
  }

  const resources = resourceRows(report);
  if (resources.length > 0) {
    out.push({
      id: 'resources-timeseries',
      section: 'resources',
      title: 'Resource usage over time',
      caption: 'One line per run: CPU and RSS averaged over the run’s hosts in each time bucket.',
      specFile: 'resources.vl.json',
      params: { ...sets, measure_order: MEASURES.map((m) => m.label) },
      rows: resources,
    });
  }

  // Every metric with a within-run distribution gets a CDF: one compact grid per section.
  const cdfIds = options.cdfMetrics ?? report.catalogue.filter((d) => d.kind === 'distribution').map((d) => d.id);
  const coincide = new Set(report.metrics.filter((m) => m.coincides_with !== undefined).map((m) => m.id));
  for (const section of ['resources', 'anomaly', 'forging', 'peer', 'propagation'] as const) {
    const rows: Row[] = [];
    for (const id of cdfIds) {
      const info = metricInfo(report, id);
      if (!info || info.section !== section || coincide.has(id)) continue;
      const metric = withUnit(info.title, info.unit);
      rows.push(...cdfRows(report, id).map((r) => ({ ...r, metric })));
    }
    if (rows.length === 0) continue;
    const order = [...new Set(rows.map((r) => String(r.metric)))];
    out.push({
      id: `cdf-${section}`,
      section,
      title: `Distributions within runs (${order.length} ${order.length === 1 ? 'metric' : 'metrics'})`,
      caption:
        `CDFs at locli’s centiles, one panel per metric with its own scale. Line: mean over a set’s runs at each centile; ` +
        `band: lowest to highest run. ${counts}.`,
      specFile: 'cdf-grid.vl.json',
      params: { ...sets, metric_order: order },
      rows,
    });
  }
  return out;
}

/** Multi-way reports: the trade-off chart, then a forest plot per section. */
function matrixJobs(report: Report, sets: Record<string, unknown>): ChartJob[] {
  const out: ChartJob[] = [];
  const trade = tradeoffRows(report);
  if (trade.length > 0) {
    out.push({
      id: 'tradeoff-cpu-rss',
      section: 'resources',
      title: 'Trade-off: CPU against RSS',
      caption: 'Each candidate set’s Δ% of CPU use (x) and RSS (y) against the baseline at the origin, with 95% CIs as bars; lower-left is better on both.',
      specFile: 'tradeoff.vl.json',
      params: { ...sets, x_title: 'CPU use Δ% (95% CI)', y_title: 'RSS Δ% (95% CI)' },
      rows: trade,
    });
  }
  for (const section of ['resources', 'anomaly', 'forging', 'peer', 'propagation'] as const) {
    const rows = forestRows(report, section);
    if (rows.length === 0) continue;
    out.push({
      id: `forest-${section}`,
      section,
      title: 'Δ% by candidate set',
      caption: 'Per metric, each candidate set’s Δ% against the baseline (◆ decided, ● not decided) with its 95% CI, in % of the baseline mean; the grey band is the metric’s noise threshold. Each metric has its own scale.',
      specFile: 'forest.vl.json',
      params: { ...sets, set_domain: (sets.set_domain as string[]).slice(1), set_colors: (sets.set_colors as string[]).slice(1), metric_order: [...new Set(rows.map((r) => String(r.metric)))] },
      rows,
    });
  }
  return out;
}

/**
 * Replaces "{{name}}" strings in a spec: a string that is exactly one placeholder takes the
 * parameter's value (arrays included), a placeholder inside a longer string its text.
 */
export function fillPlaceholders(node: unknown, params: Record<string, unknown>): unknown {
  if (typeof node === 'string') {
    const whole = /^\{\{(\w+)\}\}$/.exec(node);
    if (whole) {
      const key = whole[1] ?? '';
      if (!(key in params)) throw new Error(`chart parameter "${key}" is not set`);
      return params[key];
    }
    return node.replace(/\{\{(\w+)\}\}/g, (_, key: string) => {
      if (!(key in params)) throw new Error(`chart parameter "${key}" is not set`);
      return String(params[key]);
    });
  }
  if (Array.isArray(node)) return node.map((x) => fillPlaceholders(x, params));
  if (node !== null && typeof node === 'object') {
    return Object.fromEntries(Object.entries(node).map(([k, v]) => [k, fillPlaceholders(v, params)]));
  }
  return node;
}

/**
 * Makes a vega SVG safe to inline beside others: element ids (clip paths, gradients) get the
 * chart's prefix, and the namespace attributes go (HTML parses inline SVG without them).
 */
export function inlineSvg(svg: string, prefix: string, title: string): string {
  const esc = title.replace(/&/g, '&amp;').replace(/"/g, '&quot;').replace(/</g, '&lt;');
  return svg
    .replace(/ xmlns(:xlink)?="[^"]*"/g, '')
    .replace(/\bid="([^"]+)"/g, `id="${prefix}-$1"`)
    .replace(/url\(#([^)]+)\)/g, `url(#${prefix}-$1)`)
    .replace(/href="#([^"]+)"/g, `href="#${prefix}-$1"`)
    .replace(/^<svg /, `<svg role="img" aria-label="${esc}" `);
}

async function renderJob(job: ChartJob, theme: unknown, templates: string | undefined): Promise<string> {
  const template = JSON.parse(await readTemplateOver(templates, 'charts', job.specFile)) as Record<string, unknown>;
  const filled = fillPlaceholders(template, job.params) as Record<string, unknown>;
  const spec = { ...filled, data: { values: job.rows }, config: theme } as vl.TopLevelSpec;
  const compiled = vl.compile(spec).spec;
  const view = new vega.View(vega.parse(compiled), { renderer: 'none' });
  try {
    // Numbering restarts per chart so the SVG, and the golden HTML, do not depend on what was drawn before.
    vega.resetSVGDefIds();
    return inlineSvg(await view.toSVG(), job.id, job.title);
  } finally {
    view.finalize();
  }
}

export async function renderCharts(report: Report, options: ChartOptions = {}): Promise<Chart[]> {
  const theme: unknown = JSON.parse(await readTemplateOver(options.templates, 'charts', 'theme.json'));
  const charts: Chart[] = [];
  for (const job of jobs(report, options)) {
    try {
      const svg = await renderJob(job, theme, options.templates);
      charts.push({ id: job.id, section: job.section, title: job.title, caption: job.caption, svg });
    } catch (err) {
      if (err instanceof CliError) throw err; // a --templates file refused (paths.ts): not a drawing problem
      options.warn?.(`The chart "${job.title}" could not be drawn and was left out: ${(err as Error).message}`);
    }
  }
  return charts;
}
