// Outputs against checkers nobody here wrote, installed as dev dependencies: axe-core in Chromium
// (no serious or critical violation; every chart an image with a text alternative; heading
// order), the Nu HTML checker (vnu-jar, run with java: 0 errors), JUnit against the Jenkins
// xunit junit-10.xsd (test/fixtures/schemas, validated by libxml2 compiled to WebAssembly), and
// markdownlint with the committed templates/markdownlint.json. The inputs: the committed
// sample runs as a pair report with notes and as the three-set matrix report, and a history of
// six simulated nights.
import { execFile } from 'node:child_process';
import { createRequire } from 'node:module';
import { mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import axe from 'axe-core';
import { lint } from 'markdownlint/promise';
import puppeteer from 'puppeteer-core';
import { validateXML } from 'xmllint-wasm';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { silentLogger } from '../pipeline/core/index.js';
import { runHistory, runReport } from '../pipeline/jobs/index.js';
import { findChromium } from '../pipeline/render/index.js';
import { simulate } from '../pipeline/simulate/index.js';

const ROOT = join(import.meta.dirname, '..');
const SAMPLES = join(ROOT, 'samples');
const SCHEMA = join(import.meta.dirname, 'fixtures', 'schemas', 'junit-10.xsd');
const run = promisify(execFile);
/** vnu-jar's main export is the path of vnu.jar. */
const vnu = String(createRequire(import.meta.url)('vnu-jar'));

let tmp = '';
const vegaWarnings: string[] = [];
const out = (...p: string[]) => join(tmp, ...p);
const HTML = ['pair/report.html', 'matrix/report.html', 'history/history.html'];
const MARKDOWN = ['pair/report.md', 'pair/report-summary.md', 'matrix/report.md', 'matrix/report-summary.md', 'history/history.md'];
const JUNIT = ['pair/report.junit.xml', 'matrix/report.junit.xml', 'history/history.junit.xml'];

beforeAll(async () => {
  tmp = await mkdtemp(join(tmpdir(), 'bench-report-checkers-'));
  const db = out('w.duckdb');
  const formats = ['html', 'md', 'summary', 'junit'] as const;
  // Notes with their own headings: they sit under the report's headings without skipping a level.
  await writeFile(out('notes.md'), '# Reviewer notes\n\nThe -A64m runs used the same hosts.\n\n### Follow-up\n\n- rerun with 10 runs\n');
  await runReport(
    { baseline: [join(SAMPLES, 'new')], candidate: [join(SAMPLES, 'new-A64m')], out: out('pair'), formats: [...formats], db, notes: out('notes.md'), title: 'RTS -A64m against the default' },
    silentLogger,
  );
  // Vega and Vega-Lite warn on the console (stderr), e.g. of conflicting legend properties.
  const warn = vi.spyOn(console, 'warn').mockImplementation(() => undefined);
  await runReport(
    { baseline: [join(SAMPLES, 'new')], candidate: [], candidateSets: ['new-A64m', 'new-N4', 'new-xn'].map((s) => [join(SAMPLES, s)]), out: out('matrix'), formats: [...formats], db, title: 'RTS settings' },
    silentLogger,
  );
  vegaWarnings.push(...warn.mock.calls.map((c) => c.map(String).join(' ')));
  warn.mockRestore();
  for (let n = 1; n <= 6; n++) await simulate({ out: out('nights', `n${n}`), tracing: 'new', rts: '', nodes: 3, slots: 60, runs: 1, seed: 10 * n, tagPrefix: `night-${n}` });
  await runHistory({ paths: [1, 2, 3, 4, 5, 6].map((n) => out('nights', `n${n}`)), out: out('history'), formats: ['html', 'md', 'junit'], db: out('h.duckdb') }, silentLogger);
}, 900_000);

afterAll(async () => {
  await rm(tmp, { recursive: true, force: true });
});

interface AxeViolation {
  id: string;
  impact: string | null;
  help: string;
  nodes: { target: string[] }[];
}

describe('axe-core in Chromium', () => {
  it('finds no serious or critical violation, no chart without a text alternative, and headings in order', async () => {
    const chromium = findChromium();
    expect(chromium, 'this test needs Chromium: apt-get install -y chromium').not.toBeNull();
    const browser = await puppeteer.launch({ executablePath: chromium ?? '', headless: true, args: ['--no-sandbox'] });
    const found: string[] = [];
    try {
      for (const file of HTML) {
        const page = await browser.newPage();
        // The reports' CSP forbids scripts; axe is the checker's, not the report's.
        await page.setBypassCSP(true);
        await page.goto(`file://${out(file)}`, { waitUntil: 'load' });
        await page.evaluate(axe.source);
        const violations = (await page.evaluate(`axe.run(document, { resultTypes: ['violations'] }).then((r) => r.violations)`)) as AxeViolation[];
        for (const v of violations) {
          if (v.impact === 'serious' || v.impact === 'critical' || v.id === 'heading-order' || v.id === 'svg-img-alt') {
            found.push(`${file}: ${v.impact} ${v.id} ×${v.nodes.length} (${v.help}) at ${v.nodes[0]?.target.join(' ')}`);
          }
        }
        // Every chart is an image whose text alternative says what it shows, not only its title.
        const alts = (await page.evaluate(`[...document.querySelectorAll('svg')].filter((s) => !s.closest('svg:not(:scope) svg') && s.getAttribute('role') === 'img').map((s) => s.getAttribute('aria-label') || '')`)) as string[];
        for (const alt of alts) if (alt.split(' ').length < 6) found.push(`${file}: chart alternative too short to say what it shows: "${alt}"`);
        await page.close();
      }
    } finally {
      await browser.close();
    }
    expect(found).toEqual([]);
  }, 400_000);
});

describe('stderr', () => {
  it('carries no Vega or Vega-Lite warning while the matrix report draws its charts', () => {
    expect(vegaWarnings).toEqual([]);
  });
});

describe('Nu HTML checker', () => {
  it('reports 0 errors on the reports and the history page', async () => {
    const res = await run('java', ['-jar', vnu, '--errors-only', '--format', 'json', ...HTML.map((f) => out(f))], { maxBuffer: 64 << 20 }).catch(
      (e: { stdout: string; stderr: string }) => e,
    );
    // vnu writes its JSON to stderr, and exits 1 when it found errors.
    const messages = (JSON.parse(res.stderr || '{"messages":[]}') as { messages: { type: string; message: string; url: string; lastLine?: number }[] }).messages;
    expect(messages.map((m) => `${m.url.split('/').slice(-2).join('/')}:${m.lastLine ?? '?'} ${m.type}: ${m.message}`)).toEqual([]);
  }, 400_000);
});

describe('JUnit against the Jenkins xunit schema', () => {
  it('validates every report.junit.xml and history.junit.xml against junit-10.xsd', async () => {
    const schema = await readFile(SCHEMA, 'utf8');
    for (const file of JUNIT) {
      const xml = await readFile(out(file), 'utf8');
      const result = await validateXML({ xml: [{ fileName: file, contents: xml }], schema: [{ fileName: 'junit-10.xsd', contents: schema }] });
      expect(result.errors.map((e) => `${file}: ${e.rawMessage}`)).toEqual([]);
      expect(result.valid).toBe(true);
    }
  });

  it('is what the GitLab and GitHub reporters read: testsuites > testsuite > testcase with name and classname', async () => {
    const xml = await readFile(out('pair/report.junit.xml'), 'utf8');
    expect(xml).toMatch(/^<\?xml version="1\.0" encoding="UTF-8"\?>\n<testsuites name="bench-report" tests="(\d+)" failures="(\d+)" errors="0">\n {2}<testsuite name="[^"]+" tests="\1" failures="\2" errors="0" skipped="\d+" timestamp="[^"]+">/);
    const cases = [...xml.matchAll(/<testcase classname="([^"]+)" name="([^"]+)"/g)];
    expect(cases.length).toBe(Number(/tests="(\d+)"/.exec(xml)?.[1]));
  });
});

describe('markdownlint with templates/markdownlint.json', () => {
  it('finds nothing in report.md, report-summary.md and history.md', async () => {
    const config = JSON.parse(await readFile(join(ROOT, 'templates', 'markdownlint.json'), 'utf8')) as Record<string, unknown>;
    delete config.$comment;
    const results = await lint({ files: MARKDOWN.map((f) => out(f)), config });
    const found = Object.entries(results).flatMap(([file, errors]) =>
      errors.map((e) => `${file.slice(tmp.length + 1)}:${e.lineNumber} ${e.ruleNames.join('/')} ${e.errorDetail ?? ''} ${e.errorContext ?? ''}`),
    );
    expect(found).toEqual([]);
  });

  it('keeps the rules that matter on: a file that breaks them is still caught', async () => {
    const config = JSON.parse(await readFile(join(ROOT, 'templates', 'markdownlint.json'), 'utf8')) as Record<string, unknown>;
    delete config.$comment;
    const bad = '### Title\n\n**Bold heading**\n\n| a | b |\n|:--|--:|\n| 1 | 2 |\n\n\n- x\n';
    const results = await lint({ strings: { bad }, config });
    expect([...new Set((results.bad ?? []).map((e) => e.ruleNames[0]))].sort()).toEqual(['MD012', 'MD036', 'MD060']);
  });
});
