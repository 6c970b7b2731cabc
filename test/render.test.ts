// Render stage tests: number formatting by hand-computed cases, report.json and report.html
// against golden files (UPDATE_GOLDEN=1 regenerates; a mismatch writes *.actual.* beside the
// golden for diffing), Markdown order, chart robustness, and a real PDF printed by Chromium.
import { execFileSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import { mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { CATALOGUE, type Report, type RunInfo, type RunManifest } from '../pipeline/core/index.js';
import { workload } from '../pipeline/analysis/index.js';
import {
  notesToHtml,
  alignedMessages,
  packageRows,
  cdfRows,
  fillPlaceholders,
  inlineSvg,
  GENERATOR,
  mdEscape,
  alignedTable,
  findChromium,
  printPdf,
  renderCharts,
  renderHtml,
  renderMarkdown,
  renderMarkdownBrief,
  renderReport,
  toReportJson,
  type RenderResult,
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
} from '../pipeline/render/index.js';

const FIXTURES = join(import.meta.dirname, 'fixtures', 'render');
const UPDATE = process.env.UPDATE_GOLDEN === '1';

async function loadReport(): Promise<Report> {
  return JSON.parse(await readFile(join(FIXTURES, 'report-model.json'), 'utf8')) as Report;
}

/** Compares text with a golden file; regenerates it under UPDATE_GOLDEN=1, else leaves *.actual.* to diff. */
async function expectGolden(name: string, actual: string): Promise<void> {
  const golden = join(FIXTURES, name);
  const dot = name.lastIndexOf('.');
  const actualPath = join(FIXTURES, `${name.slice(0, dot)}.actual${name.slice(dot)}`);
  if (UPDATE || !existsSync(golden)) {
    await writeFile(golden, actual);
    await rm(actualPath, { force: true });
    return;
  }
  const expected = await readFile(golden, 'utf8');
  if (expected !== actual) {
    await writeFile(actualPath, actual);
    expect.fail(`${name} differs from the golden file; diff it with ${actualPath} or rerun with UPDATE_GOLDEN=1`);
  }
  await rm(actualPath, { force: true });
}

describe('number formatting', () => {
  it('keeps three significant digits but every integer digit', () => {
    expect(formatNumber(12.345)).toBe('12.3');
    expect(formatNumber(0.012345)).toBe('0.0123');
    expect(formatNumber(1.5)).toBe('1.50');
    expect(formatNumber(1234.5)).toBe('1,235');
    expect(formatNumber(999.95)).toBe('1,000');
    expect(formatNumber(42)).toBe('42');
    expect(formatNumber(1843211)).toBe('1,843,211');
    expect(formatNumber(-2.5)).toBe('−2.50');
    expect(formatNumber(0.00001234)).toBe('1.23e−5');
    expect(formatNumber(0)).toBe('0');
    expect(formatNumber(null)).toBe('—');
    expect(formatNumber(Number.NaN)).toBe('—');
  });

  it('formats values by unit', () => {
    expect(formatValue(0.0127, 's')).toBe('12.7 ms');
    expect(formatValue(1.445, 's')).toBe('1.45 s');
    expect(formatValue(0, 's')).toBe('0 s');
    expect(formatValue(41.6, '%')).toBe('41.6%');
    expect(formatValue(821, 'MiB/s')).toBe('821 MiB/s');
    expect(formatValue(2230, 'MiB')).toBe('2,230 MiB');
    expect(formatValue(64266.5, 'B')).toBe('64,267 B');
    expect(formatValue(3.5, 'slots')).toBe('3.50');
    expect(formatValue(0.98, 'ratio')).toBe('0.980');
    expect(formatValue(null, 's')).toBe('—');
  });

  it('formats deltas, intervals, p-values, CoV and ratios', () => {
    // (48.7 − 41.6) / 41.6 = 17.0673%
    expect(formatDeltaPct(17.0673)).toBe('+17.1%');
    expect(formatDeltaPct(-13.9464)).toBe('−13.9%');
    expect(formatDeltaPct(2.24215)).toBe('+2.24%');
    expect(formatDeltaPct(142.857)).toBe('+143%');
    expect(formatDeltaPct(0)).toBe('0.00%');
    expect(formatDeltaPct(-0.001)).toBe('0.00%');
    expect(formatDeltaPct(null)).toBe('—');
    expect(formatCiPct([-7.8, 12.8])).toBe('[−7.80%, +12.8%]');
    expect(formatCiPct(null)).toBe('—');
    expect(formatCiValue([0.4, 1.7], 's')).toBe('[400 ms, 1.70 s]');
    expect(formatP(0.0009)).toBe('<0.001');
    expect(formatP(0.0123)).toBe('0.012');
    expect(formatP(0.5)).toBe('0.50');
    expect(formatP(0.0996)).toBe('0.10');
    expect(formatP(0.999)).toBe('1.0');
    expect(formatP(null)).toBe('—');
    // sd 0.565685 / mean 41.6 = 0.0135982
    expect(formatCov(0.0135982)).toBe('1.36%');
    expect(formatRatio(2)).toBe('×2');
    expect(formatRatio(0.157895)).toBe('×0.158');
    expect(formatPct(6.1)).toBe('6.10%');
    expect(formatCount(1, 'run')).toBe('1 run');
    expect(formatCount(2, 'run')).toBe('2 runs');
    expect(formatDate('2024-05-01T12:00:00Z')).toBe('2024-05-01 12:00 UTC');
    expect(formatDate('not a date')).toBe('not a date');
  });
});

describe('report.json', () => {
  const STATS_KEYS = ['runs', 'n', 'mean', 'sd', 'cov', 'min', 'max', 'ci95'];
  const METRIC_KEYS = [
    'id', 'section', 'unit', 'better', 'baseline', 'candidate', 'delta', 'delta_pct', 'ci95_pct', 'p_value',
    'q_value', 'noise_pct', 'mde_pct', 'runs_needed', 'verdict', 'variance',
  ];
  const RUN_KEYS = ['tag', 'path', 'tracing_backend', 'rts_flags', 'hosts', 'log_lines', 'malformed_lines'];
  const numOrNull = (x: unknown) => x === null || typeof x === 'number';
  const pairOrNull = (x: unknown) => x === null || (Array.isArray(x) && x.length === 2 && x.every((v) => typeof v === 'number'));
  /** The documented keys come first, in order; extra keys may follow. */
  const startsWith = (o: object, keys: string[]) => expect(Object.keys(o).slice(0, keys.length)).toEqual(keys);

  it('has every documented key, in order, with numbers as numbers and unknown as null', async () => {
    const json = JSON.parse(JSON.stringify(toReportJson(await loadReport()))) as Record<string, unknown>;
    startsWith(json, ['schema', 'title', 'generated_at', 'baseline', 'candidate', 'metrics']);
    expect(json.schema).toBe('bench-report/report@1');
    for (const side of ['baseline', 'candidate'] as const) {
      const set = json[side] as { label: unknown; runs: Record<string, unknown>[] };
      startsWith(set, ['label', 'runs']);
      expect(typeof set.label).toBe('string');
      expect(set.runs).toHaveLength(2);
      for (const run of set.runs) {
        startsWith(run, RUN_KEYS);
        expect(Array.isArray(run.rts_flags)).toBe(true);
        expect(typeof run.log_lines).toBe('number');
        expect(numOrNull(run.hosts)).toBe(true);
      }
    }
    const metrics = json.metrics as Record<string, unknown>[];
    expect(metrics.length).toBe(14);
    for (const m of metrics) {
      startsWith(m, METRIC_KEYS);
      for (const k of ['delta', 'delta_pct', 'p_value', 'q_value', 'noise_pct', 'mde_pct', 'runs_needed']) {
        expect(numOrNull(m[k]), `${String(m.id)}.${k}`).toBe(true);
      }
      expect(pairOrNull(m.ci95_pct)).toBe(true);
      for (const side of ['baseline', 'candidate']) {
        const s = m[side] as Record<string, unknown>;
        startsWith(s, STATS_KEYS);
        expect(typeof s.n).toBe('number');
        expect((s.runs as unknown[]).every(numOrNull)).toBe(true);
        for (const k of ['mean', 'sd', 'cov', 'min', 'max']) expect(numOrNull(s[k])).toBe(true);
        expect(pairOrNull(s.ci95)).toBe(true);
      }
      startsWith(m.variance as object, ['sd_ratio', 'p_value', 'q_value', 'verdict']);
    }
    // The insufficient-data metric: one candidate run is unknown, and stays null.
    const missed = metrics.find((m) => m.id === 'missed_slots') as { candidate: { runs: unknown[]; sd: unknown } };
    expect(missed.candidate.runs).toEqual([5, null]);
    expect(missed.candidate.sd).toBeNull();
  });

  it('turns non-finite numbers into null', async () => {
    const report = await loadReport();
    const m = report.metrics[0];
    if (!m) throw new Error('fixture has no metrics');
    m.delta_pct = Number.NaN;
    m.baseline.runs = [Number.POSITIVE_INFINITY, 1];
    const json = toReportJson(report) as { metrics: { delta_pct: unknown; baseline: { runs: unknown[] } }[] };
    expect(json.metrics[0]?.delta_pct).toBeNull();
    expect(json.metrics[0]?.baseline.runs).toEqual([null, 1]);
  });

  it('matches the golden report.json', async () => {
    await expectGolden('expected-report.json', `${JSON.stringify(toReportJson(await loadReport()), null, 2)}\n`);
  });
});

describe('report.md', () => {
  it('counts verdicts, then lists regressions first', async () => {
    const md = renderMarkdown(await loadReport());
    expect(md).toContain('**3 regressed** · 2 improved · 1 changed · 3 unchanged · 4 inconclusive · 1 insufficient data');
    const all = md.split('\n');
    const rows = all.slice(all.findIndex((l) => l.startsWith('| metric'))).filter((l) => l.startsWith('| ') && !l.startsWith('| metric') && !l.startsWith('| :--'));
    expect(rows).toHaveLength(14);
    expect(rows.slice(0, 3).map((r) => /`(\w+)`/.exec(r)?.[1])).toEqual(['cpu_pct', 'forge_start_s', 'adoption_p90_s']);
    expect(rows[0]).toBe(
      '| CPU usage `cpu_pct` | 41.6% | 48.7% | +17.1% | [+8.20%, +25.6%] | 0.021 | **▲ regressed** | ±2% | ? inconclusive |',
    );
    expect(rows[3]).toContain('▼ improved');
    expect(rows.at(-1)).toContain('= unchanged');
    // One run per side: the within-run interval stands in the CI column, marked, and the verdict stays.
    expect(md).toContain('| Missed slots `missed_slots` | 3.50 | 5 | +42.9% | [−3.25%, +1.50%] † | — | ∅ insufficient data † | ±2% | ∅ insufficient data |');
    expect(md).toContain('† within-run estimate');
  });

  it('lists the warnings before the verdict table, each with its run and code', async () => {
    const md = renderMarkdown(await loadReport());
    const lines = md.split('\n');
    const at = lines.indexOf('#### Warnings');
    expect(at).toBeGreaterThan(0);
    expect(lines[at + 2]).toBe(
      '- ⚠ 2024-04-30-newtr-a: 2 of 41 blocks on the chain were forged by nodes whose logs are missing; the chain metrics of this run are unknown. (`chain-incomplete`)',
    );
    expect(lines[at + 3]).toBe('- ⚠ The candidate set mixes RTS flags ("-A64m" and "-A64m -N4") \\<b\\>not bold\\</b\\>. (`mixed-configuration`)');
    expect(at).toBeLessThan(lines.findIndex((l) => l.startsWith('| metric')));
  });

  it('escapes Markdown syntax in user text', () => {
    expect(mdEscape('a|b <script> *x*')).toBe('a\\|b \\<script\\> \\*x\\*');
  });

  it('names both sets, escaped, so any label keeps the Markdown valid', async () => {
    const r = await loadReport();
    r.candidate.label = 'new | *tracing*\n-A64m';
    const md = renderMarkdown(r);
    expect(md).toContain('(baseline legacy tracing: 2 runs; candidate new \\| \\*tracing\\* -A64m: 2 runs)');
  });
});

describe('charts', () => {
  it('summarises distribution points per set and centile across runs', async () => {
    const rows = cdfRows(await loadReport(), 'adoption_p50_s');
    // 29 centiles × 2 sets; at centile 0.5 baseline runs are 0.9·(0.45+0.45+1.1·0.5¹²)·{1, 1.04}
    expect(rows).toHaveLength(58);
    const mid = rows.find((r) => r.set === 'Baseline: legacy tracing' && r.centile === 0.5);
    expect(mid?.min).toBeCloseTo(0.810242, 5);
    expect(mid?.max).toBeCloseTo(0.842652, 5);
    expect(mid?.mean).toBeCloseTo(0.826447, 5);
  });

  it('fills placeholders with values or text, and rejects unknown ones', () => {
    expect(fillPlaceholders({ a: '{{xs}}', b: ['t: {{x}}'] }, { xs: [1, 2], x: 'y' })).toEqual({ a: [1, 2], b: ['t: y'] });
    expect(() => fillPlaceholders('{{nope}}', {})).toThrow(/nope/);
  });

  it('prefixes SVG ids so several charts can share one page', () => {
    const svg = '<svg xmlns="http://www.w3.org/2000/svg" x="1"><clipPath id="clip1"/><g clip-path="url(#clip1)"/></svg>';
    expect(inlineSvg(svg, 'c', 'T')).toBe(
      '<svg role="img" aria-label="T" x="1"><clipPath id="c-clip1"/><g clip-path="url(#c-clip1)"/></svg>',
    );
  });

  it('draws CDFs (one grid per section, every distribution metric with points), resource series and run values', async () => {
    const charts = await renderCharts(await loadReport());
    expect(charts.map((c) => `${c.section}/${c.id}`)).toEqual([
      'resources/resources-run-values',
      'resources/resources-timeseries',
      'forging/cdf-forging',
      'peer/cdf-peer',
      'propagation/cdf-propagation',
    ]);
    // The model has points for adoption p50 and p90: one grid, two panels.
    expect(charts.find((c) => c.id === 'cdf-propagation')?.title).toBe('Distributions within runs (2 metrics)');
    for (const c of charts) expect(c.svg).toMatch(/^<svg role="img"/);
  });

  it('splits a section of more than 9 CDFs into figures of at most 9 panels, so no page is left mostly empty before one', async () => {
    const report = await loadReport();
    // Every resources distribution metric given the points of a drawn one (adoption p50):
    // 15 panels in one section, which a single figure showed as 5 rows that a page break
    // could not split (the page before it left two-thirds empty in the 4-set sample).
    const source = report.distributions.filter((p) => p.metric === 'adoption_p50_s');
    report.catalogue = [...CATALOGUE];
    const ids = CATALOGUE.filter((d) => d.kind === 'distribution' && d.section === 'resources').map((d) => d.id);
    expect(ids.length).toBe(16);
    report.distributions.push(...ids.flatMap((id, i) => source.map((p) => ({ ...p, metric: id, value: p.value * (i + 2) }))));
    const cdfs = (await renderCharts(report)).filter((c) => c.section === 'resources' && c.id.startsWith('cdf-'));
    expect(cdfs.map((c) => c.id)).toEqual(['cdf-resources', 'cdf-resources-2']);
    expect(cdfs.map((c) => c.title)).toEqual([`Distributions within runs (${ids.length} metrics)`, 'Distributions within runs (continued)']);
    // The panels of each figure: one aria-described facet header per metric.
    const panels = (svg: string): number => ids.filter((id) => svg.includes(`>${CATALOGUE.find((d) => d.id === id)?.title}`)).length;
    expect(cdfs.map((c) => panels(c.svg))).toEqual([9, ids.length - 9]);
    expect(cdfs[1]?.caption).toBe(`${ids.length - 9} more metrics, as above.`);
  });

  it('skips charts without data instead of failing', async () => {
    const report = await loadReport();
    report.distributions = [];
    report.resources = [];
    for (const m of report.metrics) {
      m.baseline.runs = m.baseline.runs.map(() => null);
      m.candidate.runs = m.candidate.runs.map(() => null);
    }
    expect(await renderCharts(report)).toEqual([]);
    expect(await renderHtml(report)).not.toContain('<svg');
  });
});

describe('report.html', () => {
  let html = '';
  beforeAll(async () => {
    html = await renderHtml(await loadReport());
  });

  it('matches the golden report.html', async () => {
    const golden = join(FIXTURES, 'expected-report.html');
    // A golden made by other renderer versions is stale, not wrong: say so rather than fail on SVG noise.
    if (!UPDATE && existsSync(golden)) {
      const stamp = /<meta name="generator" content="([^"]*)">/.exec(await readFile(golden, 'utf8'))?.[1];
      expect(stamp, 'expected-report.html was made by other renderer versions: rerun with UPDATE_GOLDEN=1').toBe(GENERATOR);
    }
    await expectGolden('expected-report.html', html);
  });

  it('is self-contained: nothing to fetch, charts inline', () => {
    expect(html).not.toMatch(/(src|href)\s*=\s*["']?\s*(https?:)?\/\//i);
    expect(html).not.toMatch(/https?:\/\//);
    expect(html).not.toMatch(/<link\b|<script\b|@import|url\((?!#)/i);
    expect(html.match(/<svg/g)?.length ?? 0).toBeGreaterThanOrEqual(2);
  });

  it('escapes malformed lines verbatim', () => {
    expect(html).toContain('&lt;script&gt;alert(&quot;x&quot;)&lt;/script&gt;');
    expect(html).toContain('&quot;RSS&quot;:2347 &amp; &quot;Heap&quot;:');
  });

  it('reads in the documented order with sections in locli order', () => {
    const at = (s: string) => {
      const i = html.indexOf(s);
      expect(i, s).toBeGreaterThan(-1);
      return i;
    };
    const order = [
      '<h1>new tracing against legacy tracing</h1>',
      '<h2>Verdict summary</h2>',
      '<h2>Run manifest</h2>',
      '<h2>Resource usage</h2>',
      '<h2>Anomaly control</h2>',
      '<h2>Forging</h2>',
      '<h2>Peer propagation</h2>',
      '<h2>End-to-end propagation</h2>',
      '<h2>Variance</h2>',
      '<h2>Appendices</h2>',
    ].map(at);
    expect(order).toEqual([...order].sort((a, b) => a - b));
    // The resource charts sit under their section, before the next section starts.
    expect(at('id="chart-resources-timeseries"')).toBeLessThan(at('<h2>Anomaly control</h2>'));
    expect(at('id="chart-resources-timeseries"')).toBeGreaterThan(at('<h2>Resource usage</h2>'));
  });

  it('shows every verdict as a symbol and a word', () => {
    for (const [sym, word] of [
      ['▲', 'regressed'],
      ['▼', 'improved'],
      ['◆', 'changed'],
      ['=', 'unchanged'],
      ['?', 'inconclusive'],
      ['∅', 'insufficient data'],
      ['↑', 'larger'],
      ['↓', 'smaller'],
    ]) {
      // Handlebars escapes "=" as a character reference; the browser shows "=".
      const escaped = sym === '=' ? '&#x3D;' : sym;
      expect(html).toContain(`<span class="sym" aria-hidden="true">${escaped}</span> ${word}</span>`);
    }
  });

  it('marks manifest differences and shows unknowns as a dash', () => {
    expect(html).toContain('<tr class="differs"><th scope="row">Tracing backend <span class="diff-mark">≠ differs</span>');
    // block_battles has a zero baseline mean: Δ% is n/a.
    expect(html).toMatch(/<tr id="m-block_battles"[^\n]*<td class="num">\+?1<\/td><td class="num">—<\/td>/);
  });

  it('refuses a template field that is missing', async () => {
    const report = await loadReport();
    delete (report as Partial<Report>).tool_version;
    await expect(renderHtml(report, { charts: [] })).rejects.toThrow(/tool_version/);
  });
});

describe('findChromium', () => {
  it('skips an environment variable that names no executable file', () => {
    const notes: string[] = [];
    const found = findChromium({
      env: { BENCH_REPORT_CHROMIUM: '/nonexistent/chromium', CHROME_PATH: '/bin/sh' },
      paths: [],
      note: (n) => notes.push(n),
    });
    expect(found).toBe('/bin/sh');
    expect(notes).toEqual(['BENCH_REPORT_CHROMIUM=/nonexistent/chromium is not an executable file; looking for Chromium elsewhere.']);
  });

  it('falls through to the install paths, and returns null when there is nothing', () => {
    expect(findChromium({ env: {}, paths: ['/nonexistent/a', '/bin/sh'] })).toBe('/bin/sh');
    expect(findChromium({ env: { PUPPETEER_EXECUTABLE_PATH: '/tmp' }, paths: ['/nonexistent/a'] })).toBeNull();
  });
});

describe('renderReport', () => {
  let out = '';
  beforeAll(async () => {
    out = await mkdtemp(join(tmpdir(), 'bench-report-render-'));
  });
  afterAll(async () => {
    await rm(out, { recursive: true, force: true });
  });

  it('warns without a browser, and still writes the other formats', async () => {
    const dir = join(out, 'no-browser');
    const lines: string[] = [];
    const result = await renderReport(await loadReport(), dir, ['html', 'pdf', 'json', 'md'], (l) => lines.push(l), {
      findChromium: () => null,
    });
    expect(result.warnings).toEqual([
      'No Chromium found for the PDF: install it with `apt-get install -y chromium` or set BENCH_REPORT_CHROMIUM to a Chrome/Chromium binary; the HTML report was written.',
    ]);
    expect(result.written.map((p) => p.slice(dir.length + 1))).toEqual(['report.json', 'report.md', 'report.html']);
    expect(existsSync(join(dir, 'report.pdf'))).toBe(false);
    expect(lines.some((l) => l.startsWith('render html → '))).toBe(true);
  });

  it('rejects an unknown format', async () => {
    await expect(renderReport(await loadReport(), out, ['svg' as 'html'])).rejects.toThrow(/Unknown report format "svg"/);
  });

  it('fails with one clear sentence when the browser does not start or hangs', async () => {
    const html = join(out, 'tiny.html');
    await writeFile(html, '<!DOCTYPE html><title>t</title><h1>t</h1>');
    await expect(printPdf(html, join(out, 'false.pdf'), { chromium: '/bin/false', timeoutMs: 10_000 })).rejects.toThrow(
      /^Printing .*tiny\.html to PDF with \/bin\/false failed: /,
    );
    const hang = join(out, 'hang.sh');
    await writeFile(hang, '#!/bin/sh\nexec sleep 5\n', { mode: 0o755 });
    const started = Date.now();
    await expect(printPdf(html, join(out, 'hang.pdf'), { chromium: hang, timeoutMs: 500 })).rejects.toThrow(/PDF/);
    expect(Date.now() - started).toBeLessThan(4000);
    expect(existsSync(join(out, 'false.pdf')) || existsSync(join(out, 'hang.pdf'))).toBe(false);
  });

  it('prints a real PDF with Chromium', async () => {
    const chromium = findChromium();
    expect(chromium, 'this test needs Chromium: apt-get install -y chromium').not.toBeNull();
    const dir = join(out, 'pdf');
    const started = Date.now();
    const logged: string[] = [];
    const result: RenderResult = await renderReport(await loadReport(), dir, ['pdf'], (l) => logged.push(l));
    // Progress while printing: each step, with the seconds since the PDF was begun.
    expect(logged.filter((l) => l.startsWith('render pdf: ')).map((l) => l.replace(/ \(\d+\.\d s\)$/, '')).slice(0, 3)).toEqual([
      'render pdf: starting Chromium…',
      'render pdf: loading the page…',
      'render pdf: printing…',
    ]);
    const seconds = (Date.now() - started) / 1000;
    expect(result.warnings).toEqual([]);
    // Only the PDF was asked for: the HTML it was printed from is not left behind.
    expect(result.written).toEqual([join(dir, 'report.pdf')]);
    expect(existsSync(join(dir, 'report.html'))).toBe(false);
    const pdf = await readFile(join(dir, 'report.pdf'));
    expect(pdf.subarray(0, 4).toString('latin1')).toBe('%PDF');
    const info = execFileSync('pdfinfo', [join(dir, 'report.pdf')], { encoding: 'utf8' });
    const pages = Number(/^Pages:\s+(\d+)/m.exec(info)?.[1]);
    expect(pages).toBeGreaterThanOrEqual(2);
    expect(info).toMatch(/^Page size:\s+595\.\d+ x 841\.\d+ pts \(A4\)/m);
    // Document information: the tool, not Chromium's user agent; the subject says what is compared.
    const r = await loadReport();
    expect(info).toMatch(new RegExp(`^Author:\\s+bench-report ${r.tool_version.replace(/\./g, '\\.')}$`, 'm'));
    expect(info).toMatch(/^Creator:\s+bench-report .*\(HTML printed by Chromium\)$/m);
    expect(info).not.toMatch(/HeadlessChrome/);
    expect(info).toContain(`Subject:         Benchmark comparison: ${r.candidate.label} against ${r.baseline.label}`);
    expect(info).toContain(`Title:           ${r.title}`);
    const text = execFileSync('pdftotext', ['-layout', join(dir, 'report.pdf'), '-'], { encoding: 'utf8' });
    expect(text).toContain('new tracing against legacy tracing');
    expect(text).toMatch(/Page 1 of \d+/);
    expect(text).toContain('▲ regressed');
    // Headings become bookmarks.
    expect(pdf.includes('/Outlines')).toBe(true);
    expect(seconds).toBeLessThan(60);
  });
});

describe('alignedTable (runs on a terminal)', () => {
  it('pads each column to its widest cell, right-aligns numbers and rules the header', () => {
    expect(alignedTable(['tag', 'nodes', 'branch'], [['night-1-s10', '3', 'main'], ['n2', '12', '—']])).toBe(
      ['tag          nodes  branch', '───────────  ─────  ──────', 'night-1-s10      3  main', 'n2              12  —', ''].join('\n'),
    );
  });
});

describe('release review pack', () => {
  it('puts the decision first, from the primary metrics only, with their numbers in a table', async () => {
    const html = await renderHtml(await loadReport(), { charts: [] });
    const decision = html.indexOf('<div class="decision d-trade-off">');
    expect(decision).toBeGreaterThan(html.indexOf('<h2 id="decision-h">Decision</h2>'));
    expect(decision).toBeLessThan(html.indexOf('<h2>Verdict summary</h2>'));
    // The model's primary metrics: CPU and adoption p90 regressed (costs), allocation improved
    // (gain), RSS and adoption p50 inconclusive with intervals reaching beyond their margins.
    // Leadership check start regressed too, but it is exploratory: it decides nothing.
    expect(html).toContain('<span class="decision-word">TRADE-OFF</span> — costs: CPU usage +17.1% (CI +8.20% to +25.6%) regressed;');
    expect(html).not.toMatch(/decision-line[^\n]*Leadership/);
    expect(html).toContain('<tr class="st-undecided"><th scope="row">Resident set size</th><td>undecided</td><td class="num">+2.24%</td><td class="num">[−7.80%, +12.8%]</td><td class="num">±2.00%</td>');
    expect(html).toContain('No gate was given: decided from the verdicts of the primary metrics (CPU usage, Allocation rate, Resident set size, Adoption by 50% of nodes, Adoption by 90% of nodes)');
  });

  it('renders --notes headings one level at most below the one before (no h3 → h5 jump)', () => {
    // # → h3 under the notes' h2; ### right after it → h4, not h5; ## → h4; a later ### → h5.
    expect(notesToHtml('# A\n\n### B\n\n## C\n\n### D\n')).toBe(['<h3>A</h3>', '<h4>B</h4>', '<h4>C</h4>', '<h5>D</h5>'].join('\n'));
    expect(notesToHtml('### Only\n')).toBe('<h3>Only</h3>');
  });

  it('renders --notes as sanitised Markdown: no raw HTML, no script, no javascript: links', () => {
    const html = notesToHtml('# Findings\n\nRSS rose **5%** on `-A64m`.\n<script>alert(1)</script>\n\n- one\n- [two](https://example.org) and [bad](javascript:alert(1))\n\n1. first\n');
    expect(html).toBe(
      [
        '<h3>Findings</h3>',
        '<p>RSS rose <strong>5%</strong> on <code>-A64m</code>. &lt;script&gt;alert(1)&lt;/script&gt;</p>',
        '<ul><li>one</li><li><a href="https://example.org">two</a> and [bad](javascript:alert(1))</li></ul>',
        '<ol><li>first</li></ol>',
      ].join('\n'),
    );
  });

  it('puts the notes and the sign-off block right after the decision', async () => {
    const html = await renderHtml({ ...(await loadReport()), notes: 'Looks fine <b>to me</b>.' }, { charts: [] });
    expect(html).toContain('<h2>Reviewer’s notes</h2>\n<p>Looks fine &lt;b&gt;to me&lt;/b&gt;.</p>');
    // Page 1 decides: the decision, the reviewer's notes and the sign-off, then the summary.
    expect(html.indexOf('id="notes"')).toBeGreaterThan(html.indexOf('id="decision"'));
    expect(html.indexOf('id="signoff"')).toBeGreaterThan(html.indexOf('id="notes"'));
    expect(html.indexOf('id="signoff"')).toBeLessThan(html.indexOf('id="summary"'));
    expect(html.indexOf('id="summary"')).toBeLessThan(html.indexOf('id="manifest"'));
    expect(html).toContain('<tr><th scope="row">Reviewer</th><td class="blank"></td></tr>');
  });

  it('lists every manifest package with commit and branch, differences marked', () => {
    const pkg = (name: string, commit: string, branch: string) => ({ name, commit, branch, version: null });
    const run = (packages: ReturnType<typeof pkg>[]) => ({ packages }) as unknown as RunManifest;
    const rows = packageRows([
      [run([pkg('cardano-node', '3f6b2a9c1d0e4b7a8c5d', 'release/10.1'), pkg('ouroboros-consensus', 'aaaa', 'main')])],
      [run([pkg('cardano-node', '99990000111122223333', 'release/10.2'), pkg('ouroboros-consensus', 'aaaa', 'main')])],
    ]);
    expect(rows.map((r) => [r.label, r.cells.map((c) => c.text), r.differs])).toEqual([
      ['cardano-node', ['3f6b2a9c1d0e · release/10.1', '999900001111 · release/10.2'], true],
      ['ouroboros-consensus', ['aaaa · main', 'aaaa · main'], false],
    ]);
  });

  it('describes the workload from profile_content', () => {
    const r = { profile: 'value-6nodes', hosts: 6, tps: 12, durationS: 7200, era: 'conway' } as RunInfo;
    expect(workload([r, { ...r }])).toBe('value-6nodes: 6 nodes, 12 TPS, 2 h, conway era');
    // A part the runs disagree on is left out.
    expect(workload([r, { ...r, tps: 15 }])).toBe('value-6nodes: 6 nodes, 2 h, conway era');
  });
});

describe('--templates: the example template folder', () => {
  it('overrides the header partial, the sign-off and the CSS; the rest stays built-in', async () => {
    const dir = join(import.meta.dirname, '..', 'examples', 'templates', 'team-brand');
    const html = await renderHtml(await loadReport(), { charts: [], templates: dir });
    expect(html).toContain('<div class="team-banner">Node performance team · release benchmark review</div>');
    expect(html).toContain('.team-banner { background: #123c69;');
    // The team's extra.css comes after the built-in stylesheet, which stays whole (the gate's
    // styles among it), so a brand never has to copy and keep up with templates/report.css.
    expect(html).toContain('.gate-fail {');
    expect(html.indexOf('.gate-fail {')).toBeLessThan(html.indexOf('.team-banner {'));
    expect(html).toContain('<h2>Approval</h2>');
    expect(html).toContain('<tr><th scope="row">Decision</th><td>trade-off (derived from the verdicts (no gate was given)) </td></tr>');
    // Built-in partials still render.
    expect(html).toContain('<h2>Verdict summary</h2>');
    // Without the folder, the built-in header.
    expect(await renderHtml(await loadReport(), { charts: [] })).not.toContain('team-banner');
  });
});

describe('report.md brief (--md-brief)', () => {
  it('holds the decision, only what changed, and the runs that would decide the riskiest', async () => {
    const md = renderMarkdownBrief(await loadReport());
    const lines = md.split('\n');
    expect(lines[0]).toBe('### new tracing against legacy tracing');
    expect(lines[2]).toBe(
      '**TRADE-OFF** — costs: CPU usage +17.1% (CI +8.20% to +25.6%) regressed; Adoption by 90% of nodes +13.1% (CI +8.60% to +17.7%) regressed; gains: Allocation rate −13.9% (CI −18.9% to −7.10%) improved (from the primary metrics’ verdicts; no gate given)',
    );
    const rows = lines.slice(lines.findIndex((l) => l.startsWith('| metric'))).filter((l) => l.startsWith('| ') && !l.startsWith('| metric') && !l.startsWith('| :--'));
    // Only the model's 3 regressed, 2 improved and 1 changed metrics.
    expect(rows).toHaveLength(6);
    expect(md).not.toContain('unchanged');
    expect(md).toMatch(/not ruled out — about \d+ runs per side would decide it/);
  });
  it('stays valid Markdown whatever the labels hold', async () => {
    const r = await loadReport();
    r.title = 'a | b *c* <script>';
    r.candidate.label = 'x|y';
    const md = renderMarkdownBrief(r);
    expect(md.split('\n')[0]).toBe('### a \\| b \\*c\\* \\<script\\>');
  });
});

describe('other messages appendix', () => {
  it('puts a legacy message and its new-tracing name on one row', () => {
    const rows = alignedMessages([
      { ns: '["cardano.node.InboundGovernor"]', kind: 'TrPromotedToHotRemote', baseline: 192, candidate: 0 },
      { ns: 'Net.InboundGovernor.Remote.PromotedToHotRemote', kind: 'PromotedToHotRemote', baseline: 0, candidate: 190 },
      { ns: '["cardano.node.ChainDB"]', kind: 'TraceAddBlockEvent.AddedBlockToVolatileDB', baseline: 75, candidate: 0 },
      { ns: 'ChainDB.AddBlockEvent.AddedBlockToVolatileDB', kind: 'AddedBlockToVolatileDB', baseline: 0, candidate: 70 },
      { ns: 'BlockFetch.Decision.Decline', kind: 'PeerFetchDecisions', baseline: 0, candidate: 202 },
    ]);
    expect(rows).toEqual([
      { name: 'Net.InboundGovernor.Remote.PromotedToHotRemote · PromotedToHotRemote ≡ ["cardano.node.InboundGovernor"] · TrPromotedToHotRemote', baseline: 192, candidate: 190 },
      { name: 'ChainDB.AddBlockEvent.AddedBlockToVolatileDB · AddedBlockToVolatileDB ≡ ["cardano.node.ChainDB"] · TraceAddBlockEvent.AddedBlockToVolatileDB', baseline: 75, candidate: 70 },
      { name: 'BlockFetch.Decision.Decline · PeerFetchDecisions', baseline: 0, candidate: 202 },
    ]);
  });
});
