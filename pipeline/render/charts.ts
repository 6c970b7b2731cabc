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
import {
  cdfRows,
  chartUnit,
  forestRows,
  MEASURES,
  metricInfo,
  resourceRows,
  runValueRows,
  scaleCdfRows,
  series,
  setParams,
  stepValues,
  tradeoffRows,
  withUnit,
  type Row,
} from './chart-rows.js';
import { formatNumber } from './format.js';

export interface Chart {
  /** Unique within a report; also prefixes the SVG's element ids. */
  id: string;
  /** The report section the chart sits under. */
  section: Section;
  title: string;
  caption: string;
  /** The chart's text alternative: what it shows, in a sentence (the SVG's aria-label). */
  alt: string;
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

interface ChartJob {
  id: string;
  section: Section;
  title: string;
  caption: string;
  alt: string;
  specFile: string;
  params: Record<string, unknown>;
  rows: Row[];
}

/** "a, b and c". */
function list(xs: readonly string[]): string {
  return xs.length <= 1 ? (xs[0] ?? '') : `${xs.slice(0, -1).join(', ')} and ${xs[xs.length - 1] ?? ''}`;
}

/** Chart widths fit the printed page (A4 less margins: about 680 CSS px for the plot area and axes). */
const PAGE_WIDTH = 660;

function jobs(report: Report, options: ChartOptions): ChartJob[] {
  const sv = series(report);
  const sets = setParams(sv);
  const out: ChartJob[] = [];
  const multi = (report.candidates?.length ?? 0) > 1;
  const counts = multi
    ? `${report.baseline.runs.length} baseline runs; ${(report.candidates ?? []).map((c) => c.runs.length).join(', ')} runs in the candidate sets`
    : `${report.baseline.runs.length} baseline and ${report.candidate.runs.length} candidate runs`;
  const setList = list(sv.domain);
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
      alt: `Dot plot, one panel per metric (${list(order)}): each run's value as a dot and each set's mean as a tick, for ${setList}.`,
      specFile: 'run-values.vl.json',
      params: { ...sets, metric_order: order, width: PAGE_WIDTH - 220 },
      rows: runValues,
    });
  }

  const resources = resourceRows(report);
  if (resources.length > 0) {
    // Small multiples: one column per set, so 20 runs are never one tangle of overlaid lines.
    const n = sv.domain.length;
    out.push({
      id: 'resources-timeseries',
      section: 'resources',
      title: 'Resource usage over time',
      caption: 'One panel per set, one line per run: CPU and RSS averaged over the run’s hosts in each time bucket; each row shares its scale.',
      alt: `Line charts of CPU and RSS over each run's time, one column of panels per set (${setList}), one line per run.`,
      specFile: 'resources.vl.json',
      params: { ...sets, measure_order: MEASURES.map((m) => m.label), cpu_label: MEASURES[0].label, rss_label: MEASURES[1].label, panel_width: Math.floor((PAGE_WIDTH - 60 - (n - 1) * 12) / n) },
      rows: resources,
    });
  }

  // Every metric with a within-run distribution gets a CDF: one grid per section, in the unit
  // the tables use. A CDF that is a flat line or one step is named with its values instead.
  const cdfIds = options.cdfMetrics ?? report.catalogue.filter((d) => d.kind === 'distribution').map((d) => d.id);
  const coincide = new Set(report.metrics.filter((m) => m.coincides_with !== undefined).map((m) => m.id));
  for (const section of ['resources', 'anomaly', 'forging', 'peer', 'propagation'] as const) {
    const rows: Row[] = [];
    const steps: string[] = [];
    for (const id of cdfIds) {
      const info = metricInfo(report, id);
      if (!info || info.section !== section || coincide.has(id)) continue;
      const raw = cdfRows(report, id);
      if (raw.length === 0) continue;
      const u = chartUnit(info.unit, raw.map((r) => Number(r.max)));
      const scaled = scaleCdfRows(raw, u.factor);
      const step = stepValues(scaled);
      if (step) {
        const unit = u.unit === '' ? '' : ` ${u.unit}`;
        steps.push(`${info.title}: ${step.map((v) => formatNumber(v)).join(' or ')}${unit}`);
        continue;
      }
      const metric = withUnit(info.title, u.unit);
      rows.push(...scaled.map((r) => ({ ...r, metric })));
    }
    if (rows.length === 0) continue;
    const order = [...new Set(rows.map((r) => String(r.metric)))];
    const stepNote = steps.length === 0 ? '' : ` Not drawn, their CDFs being a flat line or one step between the 5th and 95th centiles (mean over runs): ${steps.join('; ')}.`;
    // At most CDF_CHUNK panels a figure (three rows of three): a figure is never split by a page
    // break, so a taller one left most of the page before it empty.
    for (let at = 0; at < order.length; at += CDF_CHUNK) {
      const part = order.slice(at, at + CDF_CHUNK);
      const first = at === 0;
      const columns = Math.min(3, order.length);
      out.push({
        id: first ? `cdf-${section}` : `cdf-${section}-${at / CDF_CHUNK + 1}`,
        section,
        title: first ? `Distributions within runs (${order.length} ${order.length === 1 ? 'metric' : 'metrics'})` : 'Distributions within runs (continued)',
        caption: first
          ? `CDFs at locli’s centiles, one panel per metric with its own scale. Line: mean over a set’s runs at each centile; ` +
            `band: lowest to highest run. ${counts}.${stepNote}`
          : `${part.length} more metrics, as above.`,
        alt: `Cumulative distribution functions within runs, one panel per metric (${list(part)}), one line per set (${setList}).`,
        specFile: 'cdf-grid.vl.json',
        params: { ...sets, metric_order: part, columns, panel_width: Math.floor((PAGE_WIDTH - columns * 40) / columns) },
        rows: rows.filter((r) => part.includes(String(r.metric))),
      });
    }
  }
  return out;
}

/** Panels of a CDF figure at most. */
const CDF_CHUNK = 9;

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
      alt: `Scatter plot of each candidate set's change in CPU use (x) against its change in RSS (y), in % of the baseline with 95% intervals: ${trade
        .slice(1)
        .map((r) => `${r.set} at ${formatNumber(Number(r.x))}% CPU, ${formatNumber(Number(r.y))}% RSS`)
        .join('; ')}.`,
      specFile: 'tradeoff.vl.json',
      params: { ...sets, x_title: 'CPU use Δ% (95% CI)', y_title: 'RSS Δ% (95% CI)' },
      rows: trade,
    });
  }
  // At most FOREST_CHUNK metrics a figure: a figure is never split by a page break, and a
  // taller one would be (or leave most of a page empty before it).
  const FOREST_CHUNK = 8;
  for (const section of ['resources', 'anomaly', 'forging', 'peer', 'propagation'] as const) {
    const rows = forestRows(report, section);
    if (rows.length === 0) continue;
    const order = [...new Set(rows.map((r) => String(r.metric)))];
    for (let at = 0; at < order.length; at += FOREST_CHUNK) {
      const part = order.slice(at, at + FOREST_CHUNK);
      const first = at === 0;
      out.push({
        id: first ? `forest-${section}` : `forest-${section}-${at / FOREST_CHUNK + 1}`,
        section,
        title: first ? 'Δ% by candidate set' : 'Δ% by candidate set (continued)',
        caption: first
          ? 'Per metric, each candidate set’s Δ% against the baseline (◆ decided, ● not decided) with its 95% CI, in % of the baseline mean; the grey band is the metric’s noise threshold. Each metric has its own scale.'
          : `${part.length} more metrics, as above.`,
        alt: `Forest plot of ${part.length} ${section} metrics (${list(part)}): each candidate set's change in % of the baseline with its 95% interval and the metric's noise band.`,
        specFile: 'forest.vl.json',
        params: { ...sets, set_domain: (sets.set_domain as string[]).slice(1), set_colors: (sets.set_colors as string[]).slice(1), metric_order: part },
        rows: rows.filter((r) => part.includes(String(r.metric))),
      });
    }
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
export function inlineSvg(svg: string, prefix: string, alt: string): string {
  const esc = alt.replace(/&/g, '&amp;').replace(/"/g, '&quot;').replace(/</g, '&lt;');
  return (
    svg
      .replace(/ xmlns(:xlink)?="[^"]*"/g, '')
      .replace(/\bid="([^"]+)"/g, `id="${prefix}-$1"`)
      .replace(/url\(#([^)]+)\)/g, `url(#${prefix}-$1)`)
      .replace(/href="#([^"]+)"/g, `href="#${prefix}-$1"`)
      // The chart is one image with one text alternative: vega's own ARIA roles and labels on
      // marks, axes and legends would make screen readers (and axe) look for one on each part.
      .replace(/ (role|aria-roledescription|aria-label|aria-hidden)="[^"]*"/g, '')
      .replace(/^<svg /, `<svg role="img" aria-label="${esc}" `)
  );
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
    return inlineSvg(await view.toSVG(), job.id, job.alt);
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
      charts.push({ id: job.id, section: job.section, title: job.title, caption: job.caption, alt: job.alt, svg });
    } catch (err) {
      if (err instanceof CliError) throw err; // a --templates file refused (paths.ts): not a drawing problem
      options.warn?.(`The chart "${job.title}" could not be drawn and was left out: ${(err as Error).message}`);
    }
  }
  return charts;
}
