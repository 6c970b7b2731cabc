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
import type { Report, Section } from '../types.js';
import { readTemplate } from './paths.js';

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
  /** Metric ids drawn as CDFs when `report.distributions` has points for them. */
  cdfMetrics?: readonly string[];
  /** Metric ids whose run values are drawn as dots per run (resource usage). */
  runValueMetrics?: readonly string[];
  warn?: (message: string) => void;
}

export const DEFAULT_CDF_METRICS: readonly string[] = [
  'adoption_p50_s',
  'adoption_p90_s',
  'peer_fetch_s',
  'peer_adoption_s',
  'forge_forge_s',
];

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

function setLabels(report: Report): { baseline: string; candidate: string } {
  // Prefixed so the two sets stay distinct in a legend even when their labels are equal.
  return { baseline: `Baseline: ${report.baseline.label}`, candidate: `Candidate: ${report.candidate.label}` };
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
  const labels = setLabels(report);
  const groups = new Map<string, { set: 'baseline' | 'candidate'; centile: number; values: number[] }>();
  for (const p of report.distributions) {
    if (p.metric !== metric || !Number.isFinite(p.value) || !Number.isFinite(p.centile)) continue;
    const key = `${p.set}\u0000${p.centile}`;
    const g = groups.get(key) ?? { set: p.set, centile: p.centile, values: [] };
    g.values.push(p.value);
    groups.set(key, g);
  }
  return [...groups.values()]
    .sort((a, b) => (a.set === b.set ? a.centile - b.centile : a.set === 'baseline' ? -1 : 1))
    .map((g) => ({
      set: labels[g.set],
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
  const labels = setLabels(report);
  const rows: Row[] = [];
  for (const { key, label } of MEASURES) {
    for (const p of report.resources) {
      const value = p[key];
      if (value === null || !Number.isFinite(value) || !Number.isFinite(p.t)) continue;
      // The run key carries the set so equal tags in both sets stay separate lines.
      rows.push({ measure: label, set: labels[p.set], run: `${p.set}/${p.run}`, t: p.t, value });
    }
  }
  return rows;
}

export function runValueRows(report: Report, metrics: readonly string[]): Row[] {
  const labels = setLabels(report);
  const rows: Row[] = [];
  for (const id of metrics) {
    const m = report.metrics.find((x) => x.id === id);
    const info = metricInfo(report, id);
    if (!m || !info) continue;
    const metric = withUnit(info.title, info.unit);
    for (const set of ['baseline', 'candidate'] as const) {
      m[set].runs.forEach((value, i) => {
        if (value === null || !Number.isFinite(value)) return;
        const run = report[set].runs[i]?.tag ?? String(i + 1);
        rows.push({ metric, set: labels[set], run, value });
      });
    }
  }
  return rows;
}

function jobs(report: Report, options: ChartOptions): ChartJob[] {
  const labels = setLabels(report);
  const setDomain = [labels.baseline, labels.candidate];
  const out: ChartJob[] = [];
  const counts = `${report.baseline.runs.length} baseline and ${report.candidate.runs.length} candidate runs`;

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
      params: { set_domain: setDomain, metric_order: order },
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
      params: { set_domain: setDomain, measure_order: MEASURES.map((m) => m.label) },
      rows: resources,
    });
  }

  for (const id of options.cdfMetrics ?? DEFAULT_CDF_METRICS) {
    const info = metricInfo(report, id);
    const rows = cdfRows(report, id);
    if (!info || rows.length === 0) continue;
    out.push({
      id: `cdf-${id}`,
      section: info.section,
      title: `${info.title}: distribution within runs`,
      caption:
        `CDF of ${id} at locli’s centiles. Line: mean over a set’s runs at each centile; ` +
        `band: lowest to highest run. ${counts}.`,
      specFile: 'cdf.vl.json',
      params: { set_domain: setDomain, x_title: withUnit(info.title, info.unit) },
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

async function renderJob(job: ChartJob, theme: unknown): Promise<string> {
  const template = JSON.parse(await readTemplate('charts', job.specFile)) as Record<string, unknown>;
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
  const theme: unknown = JSON.parse(await readTemplate('charts', 'theme.json'));
  const charts: Chart[] = [];
  for (const job of jobs(report, options)) {
    try {
      const svg = await renderJob(job, theme);
      charts.push({ id: job.id, section: job.section, title: job.title, caption: job.caption, svg });
    } catch (err) {
      options.warn?.(`The chart "${job.title}" could not be drawn and was left out: ${(err as Error).message}`);
    }
  }
  return charts;
}
