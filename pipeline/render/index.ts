// Render stage: turns the report model into report.json, report.md, report.html and report.pdf.
//
//   1. check the formats asked for
//   2. report.json and report.md (pure projections of the model)
//   3. charts (Vega-Lite → SVG) and report.html, when HTML or PDF is asked for
//   4. report.pdf, printed from the HTML by Chromium; a missing browser is a warning, not an error
//
// Every file is written atomically, so an interrupted build never leaves a half-written report.
import { mkdtemp, rm, stat } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { writeFileAtomic } from '../atomic.js';
import { CliError } from '../errors.js';
import type { Report } from '../types.js';
import { renderCharts, type ChartOptions } from './charts.js';
import { renderHtml } from './html.js';
import { renderMarkdown, renderMarkdownBrief } from './markdown.js';
import { messages } from './messages.js';
import { findChromium, printPdf } from './pdf.js';
import { reportJsonText } from './report-json.js';

export { toReportJson } from './report-json.js';
export { renderMarkdown, renderMarkdownBrief } from './markdown.js';
export { renderHtml } from './html.js';
export { renderCharts, type Chart, type ChartOptions } from './charts.js';
export { findChromium, printPdf } from './pdf.js';

export type Format = 'html' | 'pdf' | 'json' | 'md';

export const FORMATS: readonly Format[] = ['html', 'pdf', 'json', 'md'];

export interface RenderResult {
  written: string[];
  warnings: string[];
}

export interface RenderOptions {
  /** Finds the browser for the PDF; injectable so a missing browser can be tested. */
  findChromium?: () => string | null;
  charts?: Omit<ChartOptions, 'warn'>;
  pdfTimeoutMs?: number;
  /** `--templates DIR`: partials, chart specs or CSS that replace the built-in ones. */
  templates?: string;
  /** `--md-brief`: report.md holds only what changed, the decision and the runs needed. */
  mdBrief?: boolean;
}

function size(bytes: number): string {
  return bytes < 1024 ? `${bytes} B` : `${Math.round(bytes / 1024)} kB`;
}

export async function renderReport(
  report: Report,
  outDir: string,
  formats: Format[],
  log: (line: string) => void = () => undefined,
  options: RenderOptions = {},
): Promise<RenderResult> {
  // 1. formats: the CLI validates too, but a typo must never silently produce nothing.
  for (const f of formats) if (!FORMATS.includes(f)) throw new CliError(messages.unknownFormat(String(f)), 2);
  const wanted = new Set(formats);
  const written: string[] = [];
  const warnings: string[] = [];

  const write = async (format: Format, file: string, data: string | Uint8Array, started: number) => {
    const path = join(outDir, file);
    await writeFileAtomic(path, data);
    written.push(path);
    const bytes = typeof data === 'string' ? Buffer.byteLength(data) : data.byteLength;
    log(`render ${format} → ${path} ${size(bytes)} in ${Date.now() - started} ms`);
  };

  // 2. machine-readable outputs first: cheap, and useful even if printing fails later.
  if (wanted.has('json')) await write('json', 'report.json', reportJsonText(report), Date.now());
  if (wanted.has('md')) await write('md', 'report.md', options.mdBrief ? renderMarkdownBrief(report) : renderMarkdown(report), Date.now());

  // 3. charts and HTML
  let html: string | null = null;
  if (wanted.has('html') || wanted.has('pdf')) {
    const started = Date.now();
    const warn = (w: string) => {
      warnings.push(w);
      log(`render warning: ${w}`);
    };
    const charts = await renderCharts(report, { ...options.charts, templates: options.templates, warn });
    html = await renderHtml(report, { charts, templates: options.templates });
    if (wanted.has('html')) await write('html', 'report.html', html, started);
  }

  // 4. PDF
  if (wanted.has('pdf') && html !== null) {
    const started = Date.now();
    const chromium = (options.findChromium ?? (() => findChromium({ note: log })))();
    if (chromium === null) {
      warnings.push(messages.noChromium());
      log(`render warning: ${messages.noChromium()}`);
    } else {
      // Print from the written report.html, or from a private copy when HTML was not asked for.
      const scratch = wanted.has('html') ? null : await mkdtemp(join(tmpdir(), 'bench-report-html-'));
      const htmlPath = scratch === null ? join(outDir, 'report.html') : join(scratch, 'report.html');
      const pdfPath = join(outDir, 'report.pdf');
      try {
        if (scratch !== null) await writeFileAtomic(htmlPath, html);
        await printPdf(htmlPath, pdfPath, { chromium, timeoutMs: options.pdfTimeoutMs ?? 60_000 });
      } catch (err) {
        const reason = err instanceof Error ? err.message : String(err);
        throw new CliError(messages.pdfFailedAfterOthers(reason, written), 1);
      } finally {
        if (scratch !== null) await rm(scratch, { recursive: true, force: true });
      }
      written.push(pdfPath);
      log(`render pdf → ${pdfPath} ${size((await stat(pdfPath)).size)} in ${Date.now() - started} ms`);
    }
  }
  return { written, warnings };
}
