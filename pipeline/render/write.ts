// Render stage: turns the report model into report.json, report.md, report.html and report.pdf.
//
//   1. check the formats asked for
//   2. report.json, report.md, report-summary.md and report.junit.xml (pure projections of the model)
//   3. charts (Vega-Lite → SVG) and report.html, when HTML or PDF is asked for
//   4. report.pdf, printed from the HTML by Chromium; a missing browser is a warning, not an error
//   5. swap: every format was written into a temporary folder inside the output folder; only
//      when all succeeded are they renamed into place, so old and new files never mix (a full
//      disk or a failed print leaves the previous report whole) and the failing file is named
import { mkdtemp, rename, rm, stat, writeFile as fsWriteFile } from 'node:fs/promises';
import { join } from 'node:path';
import { ensureWritableDir, faultStall, removeOnSignal, CliError, FORMATS, type Format } from '../core/index.js';
import type { Report } from '../core/index.js';
import { renderCharts, type ChartOptions } from './charts.js';
import { renderHtml } from './html.js';
import { renderMarkdown, renderMarkdownBrief } from './markdown.js';
import { messages } from './messages.js';
import { findChromium, printPdf } from './pdf.js';
import { reportPdfInfo } from './pdf-info.js';
import { reportJsonText } from './report-json.js';
import { renderSummary } from './summary.js';
import { evaluateGate, NOISE_GATE } from '../gate/index.js';
import { junitXml } from './junit.js';


// The formats are named in core (formats.ts), so that the CLI knows them without this stage.
export { DEFAULT_FORMATS, FORMATS, type Format } from '../core/index.js';

export interface RenderResult {
  written: string[];
  warnings: string[];
}

export interface RenderOptions {
  /** Finds the browser for the PDF; injectable so a missing browser can be tested. */
  findChromium?: () => string | null;
  charts?: Omit<ChartOptions, 'warn'>;
  pdfTimeoutMs?: number;
  /** Writes one file; injectable so a full disk can be tested. */
  writeFile?: (path: string, data: string | Uint8Array) => Promise<void>;
  /** `--templates DIR`: partials, chart specs or CSS that replace the built-in ones. */
  templates?: string;
  /** `--md-brief`: report.md holds only what changed, the decision and the runs needed. */
  mdBrief?: boolean;
}

/** JUnit of a report: every metric is gated (by its gate, else at its noise threshold). */
function reportJunit(report: Report): string {
  const gate = report.gate ?? evaluateGate(NOISE_GATE, report.metrics.map((m) => ({ metric: m.id, verdict: m.verdict, method: m.method, delta_pct: m.delta_pct, noise_pct: m.noise_pct })));
  return junitXml(report.title, report.metrics.map((m) => ({ classname: `bench-report.${m.section}`, metric: m.id })), gate, report.generated_at);
}

function size(bytes: number): string {
  return bytes < 1024 ? `${bytes} B` : `${Math.round(bytes / 1024)} kB`;
}

const FILE_OF: Record<Format, string> = { json: 'report.json', md: 'report.md', html: 'report.html', pdf: 'report.pdf', summary: 'report-summary.md', junit: 'report.junit.xml' };

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
  const warnings: string[] = [];
  const done: { format: Format; line: string }[] = [];
  const put = options.writeFile ?? ((path, data) => fsWriteFile(path, data));

  await ensureWritableDir(outDir, 'The output folder');
  const stage = await mkdtemp(join(outDir, '.render-'));
  const forget = removeOnSignal(stage);
  const write = async (format: Format, data: string | Uint8Array, started: number) => {
    try {
      await put(join(stage, FILE_OF[format]), data);
    } catch (err) {
      throw new CliError(messages.writeFailed(join(outDir, FILE_OF[format]), (err as Error).message), 1);
    }
    const bytes = typeof data === 'string' ? Buffer.byteLength(data) : data.byteLength;
    done.push({ format, line: `${size(bytes)} in ${Date.now() - started} ms` });
  };

  try {
    // 2. machine-readable outputs first: cheap, and useful even if printing fails later.
    if (wanted.has('json')) await write('json', reportJsonText(report), Date.now());
    if (wanted.has('md')) await write('md', options.mdBrief ? renderMarkdownBrief(report) : renderMarkdown(report), Date.now());
    if (wanted.has('summary')) await write('summary', renderSummary(report), Date.now());
    if (wanted.has('junit')) await write('junit', reportJunit(report), Date.now());
    await faultStall('render-staged');

    // 3. charts and HTML; the PDF is printed from the staged HTML even when HTML was not asked for.
    let html: string | null = null;
    if (wanted.has('html') || wanted.has('pdf')) {
      const started = Date.now();
      const warn = (w: string) => {
        warnings.push(w);
        log(`render warning: ${w}`);
      };
      const charts = await renderCharts(report, { ...options.charts, templates: options.templates, warn });
      html = await renderHtml(report, { charts, templates: options.templates });
      await write('html', html, started);
      if (!wanted.has('html')) done.pop();
    }

    // 4. PDF
    if (wanted.has('pdf') && html !== null) {
      const started = Date.now();
      const chromium = (options.findChromium ?? (() => findChromium({ note: log })))();
      if (chromium === null) {
        warnings.push(messages.noChromium());
        log(`render warning: ${messages.noChromium()}`);
      } else {
        try {
          await printPdf(join(stage, 'report.html'), join(stage, 'report.pdf'), {
            chromium,
            timeoutMs: options.pdfTimeoutMs ?? 60_000,
            info: reportPdfInfo(report),
            progress: (step) => log(`render pdf: ${step}… (${((Date.now() - started) / 1000).toFixed(1)} s)`),
          });
        } catch (err) {
          const reason = err instanceof Error ? err.message : String(err);
          throw new CliError(messages.pdfFailedNothingChanged(reason, outDir), 1);
        }
        done.push({ format: 'pdf', line: `${size((await stat(join(stage, 'report.pdf'))).size)} in ${Date.now() - started} ms` });
      }
    }

    // 5. swap in: renames within one folder, after every format succeeded. A format asked for
    // but not made (no browser) must not leave last time's file to pass as this report's.
    const written: string[] = [];
    for (const { format, line } of done) {
      const path = join(outDir, FILE_OF[format]);
      await rename(join(stage, FILE_OF[format]), path);
      written.push(path);
      log(`render ${format} → ${path} ${line}`);
    }
    for (const f of wanted) if (!done.some((d) => d.format === f)) await rm(join(outDir, FILE_OF[f]), { force: true });
    return { written, warnings };
  } finally {
    await rm(stage, { recursive: true, force: true });
    forget();
  }
}
