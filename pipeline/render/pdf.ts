// report.pdf: the HTML report printed by a system Chromium driven by puppeteer-core (A4, page
// numbers, headings as PDF bookmarks). Finding the browser is separate so a missing one can
// be reported as a warning instead of failing the whole report.
import { accessSync, constants, statSync } from 'node:fs';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { pathToFileURL } from 'node:url';
import puppeteer, { type Browser } from 'puppeteer-core';
import { writeFileAtomic, CliError } from '../core/index.js';
import { withPdfInfo, type PdfInfo } from './pdf-info.js';
import { messages } from './messages.js';
import { readTemplate } from './paths.js';

/** Environment variables naming a browser binary, in the order they are honoured. */
export const CHROMIUM_ENV_VARS: readonly string[] = ['BENCH_REPORT_CHROMIUM', 'PUPPETEER_EXECUTABLE_PATH', 'CHROME_PATH'];

export const CHROMIUM_PATHS: readonly string[] = [
  '/usr/bin/chromium',
  '/usr/bin/chromium-browser',
  '/usr/bin/google-chrome',
  '/usr/bin/google-chrome-stable',
  '/snap/bin/chromium',
];

/** Headless and quiet: no sandbox (containers), no GPU, no background fetches or updates. */
export const CHROMIUM_ARGS: readonly string[] = [
  '--no-sandbox',
  '--disable-gpu',
  '--disable-background-networking',
  '--disable-component-update',
  '--no-first-run',
  '--disable-dev-shm-usage',
];

export interface FindChromiumOptions {
  env?: NodeJS.ProcessEnv;
  paths?: readonly string[];
  /** Told when an environment variable names something that is not an executable file. */
  note?: (message: string) => void;
}

function isExecutableFile(path: string): boolean {
  try {
    if (!statSync(path).isFile()) return false;
    accessSync(path, constants.X_OK);
    return true;
  } catch {
    return false;
  }
}

/** The browser to print with: the first usable env variable, then the usual install paths. */
export function findChromium(options: FindChromiumOptions = {}): string | null {
  const env = options.env ?? process.env;
  for (const name of CHROMIUM_ENV_VARS) {
    const value = env[name];
    if (value === undefined || value === '') continue;
    if (isExecutableFile(value)) return value;
    options.note?.(messages.chromiumEnvIgnored(name, value));
  }
  return (options.paths ?? CHROMIUM_PATHS).find(isExecutableFile) ?? null;
}

export interface PrintOptions {
  /** Browser binary; found with findChromium when absent. */
  chromium?: string;
  /** Bound on the whole print (launch, load, print), in milliseconds. */
  timeoutMs?: number;
  /** Told the browser's pid and private profile once it runs; printing waits for it (tests). */
  onLaunch?: (info: { pid: number; profile: string }) => void | Promise<void>;
  /** Document information written into the PDF instead of Chromium's (its user agent as Creator). */
  info?: PdfInfo;
  /** Told each step of a print that takes seconds (launch, load, print), for a progress line. */
  progress?: (step: string) => void;
}

const sleep = (ms: number) => new Promise<void>((done) => setTimeout(done, ms).unref());

/** Closes the browser, killing its process if it does not exit within a few seconds. */
async function closeBrowser(browser: Browser): Promise<void> {
  await Promise.race([browser.close().catch(() => undefined), sleep(5000)]);
  const proc = browser.process();
  if (proc && proc.exitCode === null && proc.signalCode === null) proc.kill('SIGKILL');
}

export async function printPdf(htmlPath: string, pdfPath: string, options: PrintOptions = {}): Promise<void> {
  const chromium = options.chromium ?? findChromium();
  if (chromium === null) throw new CliError(messages.noChromium(), 2);
  const timeoutMs = options.timeoutMs ?? 60_000;
  const [headerTemplate, footerTemplate] = await Promise.all([
    readTemplate('pdf-header.html'),
    readTemplate('pdf-footer.html'),
  ]);
  // A fresh profile per print: nothing shared with a user's browser or an earlier print.
  const profile = await mkdtemp(join(tmpdir(), 'bench-report-chromium-'));
  const state: { browser: Browser | null; cancelled: boolean } = { browser: null, cancelled: false };
  const abort = new AbortController();

  const work = (async () => {
    options.progress?.('starting Chromium');
    state.browser = await puppeteer.launch({
      executablePath: chromium,
      headless: true,
      userDataDir: profile,
      args: [...CHROMIUM_ARGS],
      timeout: timeoutMs,
      // Talk over the browser's stdin/stdout pipes rather than a socket: when this process dies,
      // even by kill -9, the pipes close and Chromium exits instead of living on as an orphan.
      pipe: true,
      // Our own timeout aborts a launch still in progress (a browser that never answers).
      signal: abort.signal,
    });
    if (state.cancelled) return;
    await options.onLaunch?.({ pid: state.browser.process()?.pid ?? 0, profile });
    const page = await state.browser.newPage();
    // The report is self-contained: the page itself and data: URLs are all it may load. Any
    // other URL, another local file above all, is refused, whatever the HTML (or its CSP) says.
    const self = pathToFileURL(resolve(htmlPath)).href;
    await page.setRequestInterception(true);
    page.on('request', (req) => {
      const url = req.url();
      void (url.split('#')[0] === self || url.startsWith('data:') ? req.continue() : req.abort('blockedbyclient'));
    });
    options.progress?.('loading the page');
    await page.goto(self, { waitUntil: 'load', timeout: timeoutMs });
    if (state.cancelled) return;
    options.progress?.('printing');
    // Printing a long report takes seconds: say so every 5 s until it is done.
    const ticker = options.progress ? setInterval(() => options.progress?.('printing'), 5000) : undefined;
    ticker?.unref();
    let printed: Uint8Array;
    try {
      printed = await page.pdf({
        format: 'A4',
        printBackground: true,
        displayHeaderFooter: true,
        headerTemplate,
        footerTemplate,
        margin: { top: '16mm', bottom: '15mm', left: '14mm', right: '14mm' },
        outline: true,
        tagged: true,
        timeout: timeoutMs,
      });
    } finally {
      clearInterval(ticker);
    }
    if (state.cancelled) return;
    const pdf = options.info ? withPdfInfo(printed, options.info) : printed;
    // writeFileAtomic prints into a temporary sibling and renames it into place.
    await writeFileAtomic(pdfPath, pdf);
  })();
  const settled = work.catch(() => undefined);

  let timer: NodeJS.Timeout | undefined;
  const timeout = new Promise<never>((_, reject) => {
    timer = setTimeout(() => {
      state.cancelled = true;
      abort.abort();
      reject(new CliError(messages.pdfTimeout(htmlPath, Math.round(timeoutMs / 1000)), 1));
    }, timeoutMs);
  });

  try {
    await Promise.race([work, timeout]);
  } catch (err) {
    if (err instanceof CliError) throw err;
    throw new CliError(messages.pdfFailed(htmlPath, chromium, (err as Error).message), 1);
  } finally {
    clearTimeout(timer);
    // A launch still in progress is bounded by its own timeout; wait for it so it can be closed.
    if (state.browser === null) await settled;
    if (state.browser !== null) await closeBrowser(state.browser);
    await rm(profile, { recursive: true, force: true });
  }
}
