// report.html: Handlebars (strict mode) over templates/report.hbs and templates/partials/*.hbs,
// with the print CSS and the chart SVGs inlined so the file is self-contained.
import { readdir } from 'node:fs/promises';
import { basename, join } from 'node:path';
import Handlebars from 'handlebars';
import * as vega from 'vega';
import * as vl from 'vega-lite';
import type { Report } from '../types.js';
import { renderCharts, type Chart, type ChartOptions } from './charts.js';
import {
  formatCiPct,
  formatCiValue,
  formatCount,
  formatCov,
  formatDate,
  formatDeltaPct,
  formatNumber,
  formatP,
  formatPct,
  formatRatio,
  formatValue,
} from './format.js';
import { readTemplate, templatesDir } from './paths.js';
import { buildView } from './view-model.js';

/** Renderer versions, stamped into the HTML so a golden file names what made it. */
export const GENERATOR = `bench-report render; handlebars ${Handlebars.VERSION}; vega ${vega.version}; vega-lite ${vl.version}`;

// Helper arguments escape Handlebars' strict mode, so the helpers check them: a missing field
// (undefined) is a template bug and throws, while null is "unknown" and prints as a dash.
function numArg(x: unknown, helper: string): number | null {
  if (x === undefined) throw new Error(`template helper "${helper}" was given a missing field`);
  if (x === null) return null;
  if (typeof x !== 'number') throw new Error(`template helper "${helper}" expects a number, got ${typeof x}`);
  return x;
}

function pairArg(x: unknown, helper: string): [number, number] | null {
  if (x === undefined) throw new Error(`template helper "${helper}" was given a missing field`);
  if (x === null) return null;
  if (!Array.isArray(x) || x.length !== 2) throw new Error(`template helper "${helper}" expects a pair`);
  return [numArg(x[0], helper) ?? NaN, numArg(x[1], helper) ?? NaN];
}

function strArg(x: unknown, helper: string): string {
  if (typeof x !== 'string') throw new Error(`template helper "${helper}" expects a string`);
  return x;
}

function registerHelpers(hb: typeof Handlebars): void {
  // Each helper takes exactly its arguments; Handlebars appends an options object, ignored.
  hb.registerHelper('num', (x: unknown) => formatNumber(numArg(x, 'num')));
  hb.registerHelper('val', (x: unknown, unit: unknown) => formatValue(numArg(x, 'val'), strArg(unit, 'val')));
  hb.registerHelper('dpct', (x: unknown) => formatDeltaPct(numArg(x, 'dpct')));
  hb.registerHelper('cipct', (ci: unknown) => formatCiPct(pairArg(ci, 'cipct')));
  hb.registerHelper('cival', (ci: unknown, unit: unknown) => formatCiValue(pairArg(ci, 'cival'), strArg(unit, 'cival')));
  hb.registerHelper('p', (x: unknown) => formatP(numArg(x, 'p')));
  hb.registerHelper('cov', (x: unknown) => formatCov(numArg(x, 'cov')));
  hb.registerHelper('ratio', (x: unknown) => formatRatio(numArg(x, 'ratio')));
  hb.registerHelper('date', (x: unknown) => formatDate(strArg(x, 'date')));
  hb.registerHelper('pct', (x: unknown) => formatPct(numArg(x, 'pct')));
  hb.registerHelper('plural', (n: unknown, noun: unknown) => formatCount(numArg(n, 'plural') ?? 0, strArg(noun, 'plural')));
  hb.registerHelper('eq', (a: unknown, b: unknown) => a === b);
}

type Compiled = (view: unknown) => string;

let compiled: Promise<Compiled> | null = null;

/** Compiles the templates once per process: the page, every partial, the helpers. */
async function template(): Promise<Compiled> {
  compiled ??= (async () => {
    const hb = Handlebars.create();
    registerHelpers(hb);
    const dir = join(templatesDir(), 'partials');
    for (const file of (await readdir(dir)).filter((f) => f.endsWith('.hbs')).sort()) {
      // Compiled here rather than registered as text so they are strict too; the file's final
      // newline is dropped so inline partials (badges) do not add whitespace inside cells.
      const source = (await readTemplate('partials', file)).replace(/\n$/, '');
      hb.registerPartial(basename(file, '.hbs'), hb.compile(source, { strict: true }));
    }
    return hb.compile(await readTemplate('report.hbs'), { strict: true });
  })().catch((err: unknown) => {
    compiled = null;
    throw err;
  });
  return compiled;
}

export interface HtmlOptions extends ChartOptions {
  /** Charts already rendered (renderReport draws them once); drawn here when absent. */
  charts?: Chart[];
}

/**
 * Drops keys whose value is undefined, so a field missing from the report (data read from JSON
 * need not match its type) reaches the strict templates as missing and throws, not as blank.
 */
function withoutUndefined(x: unknown): unknown {
  if (Array.isArray(x)) return x.map(withoutUndefined);
  if (x === null || typeof x !== 'object') return x;
  return Object.fromEntries(
    Object.entries(x)
      .filter(([, v]) => v !== undefined)
      .map(([k, v]) => [k, withoutUndefined(v)]),
  );
}

export async function renderHtml(report: Report, options: HtmlOptions = {}): Promise<string> {
  const charts = options.charts ?? (await renderCharts(report, options));
  const css = await readTemplate('report.css');
  return (await template())(withoutUndefined(buildView(report, charts, css, GENERATOR)));
}
