// report.html: Handlebars (strict mode) over templates/report.hbs and templates/partials/*.hbs,
// with the print CSS and the chart SVGs inlined so the file is self-contained.
import { readdir } from 'node:fs/promises';
import { basename, join } from 'node:path';
import Handlebars from 'handlebars';
import * as vega from 'vega';
import * as vl from 'vega-lite';
import type { Report } from '../core/index.js';
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
import { existsSync } from 'node:fs';
import { buildMatrixView } from './matrix-view.js';
import { withCsp } from './csp.js';
import { readOverride, readTemplateOver, templatesDir } from './paths.js';
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

const compiled = new Map<string, Promise<Compiled>>();

async function hbsFiles(dir: string): Promise<string[]> {
  return existsSync(dir) ? (await readdir(dir)).filter((f) => f.endsWith('.hbs')) : [];
}

/**
 * Compiles a page once per process and template folder: the page, every partial (built-in
 * ones, replaced or joined by those of `overrides/partials/`), the helpers.
 */
async function template(page: string, overrides: string | undefined): Promise<Compiled> {
  const key = `${overrides ?? ''}\u0000${page}`;
  const cached =
    compiled.get(key) ??
    (async () => {
      const hb = Handlebars.create();
      registerHelpers(hb);
      const own = overrides === undefined ? [] : await hbsFiles(join(overrides, 'partials'));
      const files = [...new Set([...(await hbsFiles(join(templatesDir(), 'partials'))), ...own])].sort();
      for (const file of files) {
        // Compiled here rather than registered as text so they are strict too; the file's final
        // newline is dropped so inline partials (badges) do not add whitespace inside cells.
        const source = (await readTemplateOver(overrides, 'partials', file)).replace(/\n$/, '');
        hb.registerPartial(basename(file, '.hbs'), hb.compile(source, { strict: true }));
      }
      return hb.compile(await readTemplateOver(overrides, page), { strict: true });
    })().catch((err: unknown) => {
      compiled.delete(key);
      throw err;
    });
  compiled.set(key, cached);
  return cached;
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
  // A templates folder may replace report.css whole, or add `extra.css`, read after it: the
  // usual way to brand a report without copying (and falling behind) the built-in stylesheet.
  const extra = options.templates === undefined ? null : await readOverride(options.templates, 'extra.css');
  const css = (await readTemplateOver(options.templates, 'report.css')) + (extra !== null ? `\n${extra}` : '');
  // Two or more candidate sets: the matrix page (one column per set) instead of the two-set page.
  const multi = (report.candidates?.length ?? 0) > 1;
  const view = multi ? buildMatrixView(report, charts, css, GENERATOR) : buildView(report, charts, css, GENERATOR);
  return withCsp((await template(multi ? 'matrix.hbs' : 'report.hbs', options.templates))(withoutUndefined(view)));
}
