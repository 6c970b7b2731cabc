// report.md: the verdict table for a pull request or chat. Summary counts first, then one
// row per metric with regressions first, then the generated observations.
import type { MetricComparison, Report } from '../core/index.js';
import { gateMarkdown } from './gate-view.js';
import { formatCiPct, formatDate, formatDeltaPct, formatP, formatValue } from './format.js';
import { worstCase } from '../analysis/index.js';
import { decisionMarkdown } from './decision.js';
import { coincidenceNote, marginText } from './view-model.js';
import { blocksNote, VARIANCE_LABELS, VERDICT_LABELS, VERDICT_ORDER, VERDICT_ROW_ORDER } from './labels.js';

/** Everything a Markdown viewer may take as a line break (CommonMark, GitHub, editors), and other controls. */
// eslint-disable-next-line no-control-regex -- matching control characters is the point
const BREAKS = /\r\n|[\u0000-\u0008\u000a-\u001f\u007f\u0085\u2028\u2029]/g;

/**
 * Makes user text (titles, labels, run names, messages) one inert line of Markdown: every line
 * break becomes a space, so nothing can start a heading, fence or table row of its own, and
 * inline and block syntax is backslash-escaped (`#` and fence characters anywhere, list and
 * setext markers at the start, where they would still act inside a table cell or list item).
 */
export function mdEscape(text: string): string {
  return text
    .replace(BREAKS, ' ')
    .replace(/[\\`*_[\]<>|#~]/g, (c) => `\\${c}`)
    .replace(/^(\s*)([-+=])/, '$1\\$2')
    .replace(/^(\s*\d+)([.)])/, '$1\\$2');
}

function row(m: MetricComparison, title: string): string {
  const v = VERDICT_LABELS[m.verdict];
  const vv = VARIANCE_LABELS[m.variance.verdict];
  const cells = [
    `${mdEscape(title)} \`${m.id}\``,
    formatValue(m.baseline.mean, m.unit),
    formatValue(m.candidate.mean, m.unit),
    formatDeltaPct(m.delta_pct),
    m.within_run ? `${formatCiPct(m.within_run.ci95_pct)} †` : formatCiPct(m.ci95_pct),
    formatP(m.q_value),
    (m.verdict === 'regressed' ? `**${v.symbol} ${v.word}**` : `${v.symbol} ${v.word}`) + (m.method === 'within-run' ? ' †' : ''),
    marginText(m),
    `${vv.symbol} ${vv.word}`,
  ];
  return `| ${cells.join(' | ')} |`;
}

export function renderMarkdown(report: Report): string {
  if ((report.candidates?.length ?? 0) > 1) return renderMatrixMarkdown(report);
  const titles = new Map(report.catalogue.map((d) => [d.id, d.title]));
  const counts = VERDICT_ORDER.map((v) => {
    const n = report.metrics.filter((m) => m.verdict === v).length;
    const text = `${n} ${VERDICT_LABELS[v].word}`;
    return v === 'regressed' && n > 0 ? `**${text}**` : text;
  });
  const varianceChanges = report.metrics.filter(
    (m) => m.variance.verdict === 'larger' || m.variance.verdict === 'smaller',
  ).length;
  // Stable sort: within a verdict, metrics keep the report's (section) order.
  const rank = (m: MetricComparison) => VERDICT_ROW_ORDER.indexOf(m.verdict);
  const rows = report.metrics.filter((m) => m.coincides_with === undefined).sort((a, b) => rank(a) - rank(b));

  const lines = [
    `### ${mdEscape(report.title)}`,
    '',
    ...decisionMarkdown(report, mdEscape),
    ...(report.gate ? gateMarkdown(report.gate, mdEscape) : []),
    [report.workload, `generated ${formatDate(report.generated_at)}`, `bench-report ${report.tool_version}`]
      .filter((x): x is string => x !== null)
      .map(mdEscape)
      .join(' · '),
    '',
    `${counts.join(' · ')} — ${varianceChanges} variance ${varianceChanges === 1 ? 'change' : 'changes'} ` +
      `(baseline ${mdEscape(report.baseline.label)}: ${report.baseline.runs.length} runs; candidate ${mdEscape(report.candidate.label)}: ${report.candidate.runs.length} runs)`,
    ...(report.warnings.length === 0
      ? []
      : ['', '#### Warnings', '', ...report.warnings.map((w) => `- ⚠ ${w.run === null ? '' : `${mdEscape(w.run)}: `}${mdEscape(w.message)} (\`${mdEscape(w.code)}\`)`)]),
    '',
    '| metric | baseline | candidate | Δ% | 95% CI | q | verdict | margin | variance |',
    '| :-- | --: | --: | --: | --: | --: | :-- | --: | :-- |',
    ...rows.map((m) => row(m, titles.get(m.id) ?? m.id)),
  ];
  const note = coincidenceNote(report);
  if (note !== '') lines.push('', mdEscape(note));
  const blocks = blocksNote(report);
  if (blocks !== '') lines.push('', mdEscape(blocks));
  if (report.metrics.some((m) => m.within_run)) {
    lines.push('', '† within-run estimate and verdict (one run per side, block bootstrap over time windows): describes these two runs, never passes a gate.');
  }
  const bullets = (heading: string, items: string[]) =>
    items.length === 0 ? [] : ['', `#### ${heading}`, '', ...items.map((s) => `- ${mdEscape(s)}`)];
  lines.push(...bullets('Observations', report.observations), ...bullets('Undecided', report.undecided));
  return `${lines.join('\n')}\n`;
}

/**
 * A multi-way report: one column per candidate set, named in the header; rows with a decided
 * change in any set first. Labels are escaped, so any label keeps the table valid.
 */
function renderMatrixMarkdown(report: Report): string {
  const cands = report.candidates ?? [];
  const titles = new Map(report.catalogue.map((d) => [d.id, d.title]));
  const cell = (m: MetricComparison | undefined): string => {
    if (!m) return '—';
    const v = VERDICT_LABELS[m.verdict];
    const word = m.verdict === 'regressed' ? `**${v.symbol} ${v.word}**` : `${v.symbol} ${v.word}`;
    return `${formatDeltaPct(m.delta_pct)} ${formatCiPct(m.ci95_pct)} ${word}`;
  };
  const decided = (i: number): boolean => cands.some((c) => ['regressed', 'improved', 'changed'].includes(c.metrics[i]?.verdict ?? ''));
  const order = report.metrics
    .map((_, i) => i)
    .filter((i) => report.metrics[i]?.coincides_with === undefined)
    .sort((a, b) => Number(decided(b)) - Number(decided(a)));
  const sets = [`baseline ${mdEscape(report.baseline.label)} (${report.baseline.runs.length} runs)`, ...cands.map((c, k) => `${k + 1}: ${mdEscape(c.label)} (${c.runs.length} runs)`)];
  const counts = cands.map((c) => {
    const n = (v: string) => c.metrics.filter((m) => m.verdict === v).length;
    return `- ${mdEscape(c.label)}: ${n('regressed') > 0 ? `**${n('regressed')} regressed**` : '0 regressed'} · ${n('improved')} improved · ${n('changed')} changed · ${n('unchanged')} unchanged · ${n('inconclusive')} inconclusive`;
  });
  const lines = [
    `### ${mdEscape(report.title)}`,
    '',
    ...decisionMarkdown(report, mdEscape),
    ...(report.gate ? gateMarkdown(report.gate, mdEscape) : []),
    [report.workload, `generated ${formatDate(report.generated_at)}`, `bench-report ${report.tool_version}`]
      .filter((x): x is string => x !== null)
      .map(mdEscape)
      .join(' · '),
    '',
    `Sets: ${sets.join(' · ')}`,
    '',
    ...counts,
    ...(report.warnings.length === 0
      ? []
      : ['', '#### Warnings', '', ...report.warnings.map((w) => `- ⚠ ${w.run === null ? '' : `${mdEscape(w.run)}: `}${mdEscape(w.message)} (\`${mdEscape(w.code)}\`)`)]),
    '',
    `| metric | baseline | ${cands.map((c) => `${mdEscape(c.label)} Δ% (95% CI)`).join(' | ')} |`,
    `| :-- | --: | ${cands.map(() => '--:').join(' | ')} |`,
    ...order.map((i) => {
      const m = report.metrics[i] as MetricComparison;
      return `| ${mdEscape(titles.get(m.id) ?? m.id)} \`${m.id}\` | ${formatValue(m.baseline.mean, m.unit)} | ${cands.map((c) => cell(c.metrics[i])).join(' | ')} |`;
    }),
  ];
  const bullets = (heading: string, items: string[]) =>
    items.length === 0 ? [] : ['', `#### ${heading}`, '', ...items.map((x) => `- ${mdEscape(x)}`)];
  lines.push(...bullets('Observations', report.observations), ...bullets('Undecided', report.undecided));
  return `${lines.join('\n')}\n`;
}

/**
 * `--md-brief`: only what changed, the decision (from the gate, or derived), and how many runs
 * would decide the undecided metrics that could hide the most harm. For a chat message.
 */
export function renderMarkdownBrief(report: Report): string {
  const titles = new Map(report.catalogue.map((d) => [d.id, d.title]));
  const multi = (report.candidates?.length ?? 0) > 1;
  const sets = multi ? (report.candidates ?? []) : [{ label: report.candidate.label, metrics: report.metrics }];
  const lines = [`### ${mdEscape(report.title)}`, '', ...decisionMarkdown(report, mdEscape)];
  for (const s of sets) {
    const shown = s.metrics.filter((m) => m.coincides_with === undefined);
    const changed = shown.filter((m) => m.verdict === 'regressed' || m.verdict === 'improved' || m.verdict === 'changed');
    const head = multi ? `**${mdEscape(s.label)}**: ` : '';
    if (changed.length === 0) lines.push(`${head}no metric changed.`, '');
    else {
      lines.push(...(multi ? [`**${mdEscape(s.label)}**`, ''] : []), '| metric | Δ% | 95% CI | verdict |', '| :-- | --: | --: | :-- |');
      for (const m of changed) {
        const v = VERDICT_LABELS[m.verdict];
        lines.push(`| ${mdEscape(titles.get(m.id) ?? m.id)} | ${formatDeltaPct(m.delta_pct)} | ${formatCiPct(m.ci95_pct)} | ${v.symbol} ${v.word} |`);
      }
      lines.push('');
    }
    const risky = shown
      .filter((m) => m.verdict === 'inconclusive' && (worstCase(m) ?? 0) > m.noise_pct)
      .sort((a, b) => (worstCase(b) ?? 0) / Math.max(b.noise_pct, 1e-9) - (worstCase(a) ?? 0) / Math.max(a.noise_pct, 1e-9))
      .slice(0, 3);
    for (const m of risky) {
      const harm = worstCase(m) ?? 0;
      const what = m.better === 'higher' ? `a fall to −${harm.toFixed(1)}%` : m.better === 'lower' ? `a rise to +${harm.toFixed(1)}%` : `a change of ±${harm.toFixed(1)}%`;
      const runs = m.runs_needed === null ? '' : ` — about ${m.runs_needed} runs per side would decide it`;
      lines.push(`- ${head}${mdEscape(titles.get(m.id) ?? m.id)}: ${what} not ruled out${runs}`);
    }
    if (risky.length > 0) lines.push('');
  }
  return `${lines.join('\n').replace(/\n+$/, '')}\n`;
}
