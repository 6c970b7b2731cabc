// Render stage of the `history` job: the history model → history.json (bench-report/history@1),
// history.md, history.html (trend charts as inline SVG, every point linking to its build's row)
// and history.pdf (printed from the HTML by Chromium; a missing browser is a warning).
//   1. history.json and history.md — pure projections
//   2. trend charts (templates/charts/trend.vl.json → SVG) and history.html (templates/history.hbs)
//   3. history.pdf
// Every file is written atomically.
import { mkdtemp, rename, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import Handlebars from 'handlebars';
import * as vega from 'vega';
import * as vl from 'vega-lite';
import { diskProblem, ensureWritableDir, removeOnSignal, writeFileAtomic, CATALOGUE, CliError } from '../core/index.js';
import type { History, HistoryMetric, HistorySeries } from './model.js';
import { evaluateGate, NOISE_GATE, type GateInput } from '../gate/index.js';
import {
  fillPlaceholders,
  inlineSvg,
  junitXml,
  DASH,
  formatCiPct,
  formatDate,
  formatDeltaPct,
  formatP,
  formatValue,
  gateJson,
  gateMarkdown,
  gateView,
  VERDICT_LABELS,
  DECISION_WORDS,
  mdEscape,
  readTemplate,
  withCsp,
  findChromium,
  printPdf,
} from '../render/index.js';
import { latestDecisions } from './decision.js';

// The formats are named in core (formats.ts), so that the CLI knows them without this stage.
import type { HistoryFormat } from '../core/index.js';
export { DEFAULT_HISTORY_FORMATS, HISTORY_FORMATS, type HistoryFormat } from '../core/index.js';

/** The latest builds as gate inputs: one per series and metric with a latest verdict. */
export function latestGateInputs(h: History): GateInput[] {
  return h.series.flatMap((s) =>
    s.metrics.flatMap((m) =>
      m.latest && m.coincides_with === undefined
        ? [
            {
              metric: m.id,
              series: s.label,
              verdict: m.latest.verdict,
              method: m.latest.method,
              delta_pct: m.latest.delta_pct,
              noise_pct: m.latest.noise_pct,
              family: m.family,
              better: m.better,
              ci95_pct: m.latest.ci95_pct,
              margin_pct: m.latest.margin_pct,
              runs_needed: m.latest.runs_needed,
            },
          ]
        : [],
    ),
  );
}

/** history.junit.xml: a case per series and metric, judged by the gate (else at the noise threshold). */
export function historyJunit(h: History): string {
  const inputs = latestGateInputs(h);
  const gate = h.gate ?? evaluateGate(NOISE_GATE, inputs);
  return junitXml('bench-report history', inputs.map((i) => ({ classname: `history.${i.series ?? ''}`, metric: i.metric, series: i.series ?? '' })), gate, h.generated_at);
}

// ---------------------------------------------------------------------------------------------
// 1. JSON and Markdown

const num = (x: number | null | undefined): number | null => (typeof x === 'number' && Number.isFinite(x) ? x : null);

/** history.json: documented keys first, in DESIGN §6 order; extra keys after them. */
export function toHistoryJson(h: History): Record<string, unknown> {
  return {
    schema: 'bench-report/history@1',
    generated_at: h.generated_at,
    series: h.series.map((s) => ({
      label: s.label,
      key: { profile: s.key.profile, tracing_backend: s.key.tracing_backend, rts_flags: [...s.key.rts_flags] },
      builds: s.builds.map((b) => ({ id: b.id, start: b.start, commit: b.commit, runs: [...b.runs], branch: b.branch })),
      metrics: s.metrics.map((m) => ({
        id: m.id,
        unit: m.unit,
        better: m.better,
        values: m.values.map(num),
        change_points: m.change_points.map((c) => ({
          index: c.index,
          build: c.build,
          before_mean: num(c.before_mean),
          after_mean: num(c.after_mean),
          delta_pct: num(c.delta_pct),
          p_value: num(c.p_value),
          verdict: c.verdict,
        })),
        latest: m.latest
          ? {
              verdict: m.latest.verdict,
              delta_pct: num(m.latest.delta_pct),
              method: m.latest.method,
              ci95_pct: m.latest.ci95_pct ? [num(m.latest.ci95_pct[0]), num(m.latest.ci95_pct[1])] : null,
              p_value: num(m.latest.p_value),
              q_value: num(m.latest.q_value),
              noise_pct: m.latest.noise_pct,
              window: m.latest.window,
              margin_pct: num(m.latest.margin_pct),
              runs_needed: num(m.latest.runs_needed),
            }
          : null,
        title: m.title,
        section: m.section,
        runs: m.runs.map((rs) => rs.map(num)),
        family: m.family,
        ...(m.coincides_with ? { coincides_with: m.coincides_with } : {}),
      })),
    })),
    warnings: h.warnings.map((w) => ({ run: w.run, code: w.code, message: w.message })),
    gate: gateJson(h.gate),
    tool_version: h.tool_version,
    method: h.method,
  };
}

export function historyJsonText(h: History): string {
  return `${JSON.stringify(toHistoryJson(h), null, 2)}\n`;
}

/** Metrics worth a table row: a change point, or a latest build decided against its window. */
function notable(m: HistoryMetric): boolean {
  return m.change_points.length > 0 || (m.latest !== null && ['regressed', 'improved', 'changed'].includes(m.latest.verdict));
}

function verdictText(m: HistoryMetric): string {
  if (!m.latest) return DASH;
  const v = VERDICT_LABELS[m.latest.verdict];
  return `${v.symbol} ${v.word} (${m.latest.method})`;
}

export function historyMarkdown(h: History): string {
  const lines = [`### Benchmark history`, '', `generated ${formatDate(h.generated_at)} · bench-report ${h.tool_version}`, ''];
  for (const d of latestDecisions(h, CATALOGUE)) lines.push(`**${DECISION_WORDS[d.status]}** ${mdEscape(d.set)}, latest build — ${mdEscape(d.line.replace(/^[a-z-]+ — /, ''))}`, '');
  if (h.gate) lines.push(...gateMarkdown(h.gate, mdEscape));
  for (const w of h.warnings) lines.push(`- ⚠ ${w.run === null ? '' : `${mdEscape(w.run)}: `}${mdEscape(w.message)} (\`${w.code}\`)`);
  if (h.warnings.length > 0) lines.push('');
  for (const s of h.series) {
    const latest = s.builds[s.builds.length - 1];
    lines.push(`#### ${mdEscape(s.label)}`, '', `${s.builds.length} builds; latest ${mdEscape(latest?.id ?? DASH)} (${latest ? formatDate(latest.start) : DASH}${latest?.commit ? `, ${mdEscape(latest.commit.slice(0, 12))}` : ''})`, '');
    const rows = s.metrics.filter(notable);
    if (rows.length === 0) {
      lines.push('No change point, and no metric of the latest build decided against its window (unchanged, inconclusive or too few builds).', '');
      continue;
    }
    lines.push('| metric | latest | Δ% vs window | 95% CI | q | verdict | change points |', '| :-- | --: | --: | --: | --: | :-- | :-- |');
    for (const m of rows) {
      const cps = m.change_points.map((c) => `${mdEscape(c.build)} ${formatDeltaPct(c.delta_pct)} ${VERDICT_LABELS[c.verdict].symbol}`).join('; ') || DASH;
      lines.push(
        `| ${mdEscape(m.title)} \`${m.id}\` | ${formatValue(m.values[m.values.length - 1] ?? null, m.unit)} | ${formatDeltaPct(m.latest?.delta_pct ?? null)} | ${formatCiPct(m.latest?.ci95_pct ?? null)} | ${formatP(m.latest?.q_value ?? null)} | ${verdictText(m)} | ${cps} |`,
      );
    }
    lines.push('');
  }
  // One newline at the end, not a blank line too (markdownlint MD012).
  return `${lines.join('\n').replace(/\n+$/, '')}\n`;
}

// ---------------------------------------------------------------------------------------------
// 2. Trend charts and HTML

export const buildAnchor = (series: number, build: number): string => `build-${series}-${build}`;

/** The levels between change points: each segment's first and last build (1-based) and mean. */
function levels(m: HistoryMetric, n: number): { from: number; to: number; mean: number }[] {
  const cuts = [0, ...m.change_points.map((c) => c.index).sort((x, y) => x - y), n];
  const out: { from: number; to: number; mean: number }[] = [];
  for (let k = 0; k + 1 < cuts.length; k++) {
    const from = cuts[k] ?? 0;
    const to = cuts[k + 1] ?? n;
    const vs = m.values.slice(from, to).filter((v): v is number => v !== null && Number.isFinite(v));
    if (vs.length > 0) out.push({ from: from + 1, to, mean: vs.reduce((x, y) => x + y, 0) / vs.length });
  }
  return out;
}

/**
 * Chart rows: builds (linked to their row), each run's value, change points with their label
 * (before → after), each level between change points and its noise band (± the metric's noise
 * threshold around the level), so a wiggle inside the band reads as noise.
 */
export function trendRows(m: HistoryMetric, series: number, builds: HistorySeries['builds']): Record<string, string | number>[] {
  const rows: Record<string, string | number>[] = [];
  m.values.forEach((v, i) => {
    if (v !== null) rows.push({ kind: 'build', x: i + 1, value: v, build: builds[i]?.id ?? '', href: `#${buildAnchor(series, i)}` });
    for (const r of m.runs[i] ?? []) if (r !== null) rows.push({ kind: 'run', x: i + 1, value: r });
  });
  const noise = m.latest?.noise_pct ?? null;
  for (const l of levels(m, builds.length)) {
    // A one-build level is drawn as a short segment around its build.
    const [x, x2] = l.from === l.to ? [l.from - 0.3, l.to + 0.3] : [l.from, l.to];
    rows.push({ kind: 'level', x, x2, value: l.mean });
    if (noise !== null && noise > 0) rows.push({ kind: 'band', x, x2, lo: l.mean * (1 - noise / 100), hi: l.mean * (1 + noise / 100) });
  }
  for (const c of m.change_points) {
    rows.push({ kind: 'cp', x: c.index + 1, label: `${c.build}: ${formatValue(c.before_mean, m.unit)} → ${formatValue(c.after_mean, m.unit)} (${formatDeltaPct(c.delta_pct)})` });
  }
  return rows;
}

/** The x axis labels: each build's name, or its date when names are long or repeated. */
export function buildLabels(builds: HistorySeries['builds']): string[] {
  const ids = builds.map((b) => b.id);
  const unique = new Set(ids).size === ids.length && ids.every((id) => id.length <= 16);
  return unique ? ids : builds.map((b) => b.start.slice(0, 10));
}

/** What a trend chart shows, for its text alternative. */
function trendAlt(m: HistoryMetric, s: HistorySeries): string {
  const last = s.builds[s.builds.length - 1];
  const cps = m.change_points.length === 0 ? 'no change point' : `change points at ${m.change_points.map((c) => `${c.build} (${formatDeltaPct(c.delta_pct)})`).join(', ')}`;
  return `Trend of ${m.title} over ${s.builds.length} builds, ${s.builds[0]?.id ?? ''} to ${last?.id ?? ''}: latest ${formatValue(m.values[m.values.length - 1] ?? null, m.unit)}; ${cps}.`;
}

async function trendSvg(m: HistoryMetric, series: number, s: HistorySeries, theme: unknown, template: unknown): Promise<string> {
  const id = `trend-${series}-${m.id}`;
  const labels = buildLabels(s.builds);
  const filled = fillPlaceholders(template, {
    x_domain: [0.5, Math.max(2, s.builds.length) + 0.5],
    x_labels: `${JSON.stringify(labels)}[datum.value - 1] || ''`,
    x_angle: labels.some((l) => l.length > 8) && labels.length > 6 ? -35 : 0,
    y_title: m.unit === '' ? m.title : `${m.title} (${m.unit})`,
  }) as Record<string, unknown>;
  const spec = { ...filled, data: { values: trendRows(m, series, s.builds) }, config: theme } as vl.TopLevelSpec;
  const view = new vega.View(vega.parse(vl.compile(spec).spec), { renderer: 'none' });
  try {
    vega.resetSVGDefIds();
    // inlineSvg prefixes local links with the chart id; build links point at the page's rows.
    return inlineSvg(await view.toSVG(), id, trendAlt(m, s)).replace(new RegExp(`href="#${id}-build-`, 'g'), 'href="#build-');
  } finally {
    view.finalize();
  }
}

let compiled: Promise<(view: unknown) => string> | null = null;

async function template(): Promise<(view: unknown) => string> {
  compiled ??= (async () => {
    const hb = Handlebars.create();
    hb.registerPartial('gate', hb.compile((await readTemplate('partials', 'gate.hbs')).replace(/\n$/, ''), { strict: true }));
    return hb.compile(await readTemplate('history.hbs'), { strict: true });
  })();
  return compiled;
}

export async function historyHtml(h: History, warn: (m: string) => void = () => undefined): Promise<string> {
  const theme: unknown = JSON.parse(await readTemplate('charts', 'theme.json'));
  const spec: unknown = JSON.parse(await readTemplate('charts', 'trend.vl.json'));
  const series = [];
  for (const [si, s] of h.series.entries()) {
    const metrics = [];
    for (const m of s.metrics) {
      if (m.values.every((v) => v === null)) continue;
      let svg = '';
      try {
        svg = await trendSvg(m, si, s, theme, spec);
      } catch (err) {
        warn(`The trend chart of ${m.id} (${s.label}) could not be drawn and was left out: ${(err as Error).message}`);
      }
      metrics.push({
        id: m.id,
        title: m.title,
        latest: formatValue(m.values[m.values.length - 1] ?? null, m.unit),
        delta: formatDeltaPct(m.latest?.delta_pct ?? null),
        ci: formatCiPct(m.latest?.ci95_pct ?? null),
        q: formatP(m.latest?.q_value ?? null),
        verdict: m.latest?.verdict ?? 'insufficient-data',
        verdictText: verdictText(m),
        window: m.latest?.window.from ? `since ${m.latest.window.from} (${m.latest.window.builds} builds)` : DASH,
        changePoints: m.change_points.map((c) => ({
          anchor: buildAnchor(si, c.index),
          build: c.build,
          text: `${formatValue(c.before_mean, m.unit)} → ${formatValue(c.after_mean, m.unit)} (${formatDeltaPct(c.delta_pct)}, p ${formatP(c.p_value)}) ${VERDICT_LABELS[c.verdict].symbol} ${VERDICT_LABELS[c.verdict].word}`,
        })),
        notable: notable(m),
        svg,
      });
    }
    series.push({
      notable: metrics.filter((m) => m.notable),
      quiet: metrics.filter((m) => !m.notable),
      label: s.label,
      anchor: `series-${si}`,
      builds: s.builds.map((b, bi) => ({ ...b, anchor: buildAnchor(si, bi), index: bi + 1, date: formatDate(b.start), commit: b.commit ?? DASH, branch: b.branch ?? DASH, runs: b.runs.join(', ') })),
      metrics,
    });
  }
  const css = await readTemplate('report.css');
  return withCsp((await template())({
    css,
    generated: formatDate(h.generated_at),
    generated_at: h.generated_at,
    tool_version: h.tool_version,
    gate: h.gate ? gateView(h.gate) : null,
    decisions: latestDecisions(h, CATALOGUE).map((d) => ({ word: d.status, wordText: DECISION_WORDS[d.status], set: d.set, reason: d.line.replace(/^[a-z-]+ — /, '') })),
    warnings: h.warnings,
    method: h.method,
    series,
  }));
}

// ---------------------------------------------------------------------------------------------
// 3. Writing

export async function renderHistory(
  h: History,
  outDir: string,
  formats: readonly HistoryFormat[],
  log: (line: string) => void,
  options: { findChromium?: () => string | null } = {},
): Promise<{ written: string[]; warnings: string[] }> {
  const warnings: string[] = [];
  // Every file is written into a staging folder inside outDir and renamed in only when all
  // were: a full disk leaves the previous files whole, never new JSON beside an old page.
  await ensureWritableDir(outDir, 'The output folder');
  const stage = await mkdtemp(join(outDir, '.render-'));
  const forget = removeOnSignal(stage);
  const staged: string[] = [];
  const write = async (file: string, data: string): Promise<void> => {
    try {
      await writeFile(join(stage, file), data);
    } catch (err) {
      const disk = diskProblem({ ...(err as NodeJS.ErrnoException), message: (err as Error).message, path: join(outDir, file) });
      throw new CliError(disk ?? `Writing ${join(outDir, file)} failed (${(err as Error).message}); no history file was changed.`, 1);
    }
    staged.push(file);
  };
  const swap = async (): Promise<string[]> => {
    const written: string[] = [];
    for (const file of staged) {
      await rename(join(stage, file), join(outDir, file));
      written.push(join(outDir, file));
      log(`render → ${join(outDir, file)}`);
    }
    return written;
  };
  try {
    if (formats.includes('json')) await write('history.json', historyJsonText(h));
    if (formats.includes('md')) await write('history.md', historyMarkdown(h));
    if (formats.includes('junit')) await write('history.junit.xml', historyJunit(h));
    if (!formats.includes('html') && !formats.includes('pdf')) return { written: await swap(), warnings };
    const html = await historyHtml(h, (w) => warnings.push(w));
    if (formats.includes('html')) await write('history.html', html);
    if (!formats.includes('pdf')) return { written: await swap(), warnings };
    const chromium = (options.findChromium ?? (() => findChromium()))();
    if (chromium === null) {
      warnings.push('history.pdf was not written: no Chromium found (set BENCH_REPORT_CHROMIUM); the other formats were.');
      return { written: await swap(), warnings };
    }
    const scratch = await mkdtemp(join(tmpdir(), 'bench-report-history-'));
    const forgetScratch = removeOnSignal(scratch);
    try {
      const htmlPath = join(scratch, 'history.html');
      await writeFileAtomic(htmlPath, html);
      const started = Date.now();
      await printPdf(htmlPath, join(stage, 'history.pdf'), {
        chromium,
        timeoutMs: 60_000,
        info: {
          title: 'Benchmark history',
          author: `bench-report ${h.tool_version}`,
          subject: `Benchmark history: ${h.series.map((s) => s.label).join('; ')}`,
          keywords: 'Cardano node, benchmark, history, bench-report',
          creator: `bench-report ${h.tool_version} (HTML printed by Chromium)`,
        },
        progress: (step) => log(`render history.pdf: ${step}… (${((Date.now() - started) / 1000).toFixed(1)} s)`),
      });
      staged.push('history.pdf');
    } catch (err) {
      await swap();
      throw new CliError(`history.pdf could not be printed (${(err as Error).message}); the other formats were written.`, 1);
    } finally {
      await rm(scratch, { recursive: true, force: true });
      forgetScratch();
    }
    return { written: await swap(), warnings };
  } finally {
    await rm(stage, { recursive: true, force: true });
    forget();
  }
}
