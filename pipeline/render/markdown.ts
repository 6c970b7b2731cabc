// report.md: the verdict table for a pull request or chat. Summary counts first, then one
// row per metric with regressions first, then the generated observations.
import type { MetricComparison, Report } from '../types.js';
import { gateMarkdown } from './gate-view.js';
import { formatCiPct, formatDate, formatDeltaPct, formatP, formatValue } from './format.js';
import { VARIANCE_LABELS, VERDICT_LABELS, VERDICT_ORDER, VERDICT_ROW_ORDER } from './labels.js';

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
    `${vv.symbol} ${vv.word}`,
  ];
  return `| ${cells.join(' | ')} |`;
}

export function renderMarkdown(report: Report): string {
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
  const rows = [...report.metrics].sort((a, b) => rank(a) - rank(b));

  const lines = [
    `### ${mdEscape(report.title)}`,
    '',
    ...(report.gate ? gateMarkdown(report.gate, mdEscape) : []),
    [report.workload, `generated ${formatDate(report.generated_at)}`, `bench-report ${report.tool_version}`]
      .filter((x): x is string => x !== null)
      .map(mdEscape)
      .join(' · '),
    '',
    `${counts.join(' · ')} — ${varianceChanges} variance ${varianceChanges === 1 ? 'change' : 'changes'} ` +
      `(${report.baseline.runs.length} baseline, ${report.candidate.runs.length} candidate runs)`,
    ...(report.warnings.length === 0
      ? []
      : ['', '**Warnings**', '', ...report.warnings.map((w) => `- ⚠ ${w.run === null ? '' : `${mdEscape(w.run)}: `}${mdEscape(w.message)} (\`${mdEscape(w.code)}\`)`)]),
    '',
    '| metric | baseline | candidate | Δ% | 95% CI | q | verdict | variance |',
    '|:--|--:|--:|--:|--:|--:|:--|:--|',
    ...rows.map((m) => row(m, titles.get(m.id) ?? m.id)),
  ];
  if (report.metrics.some((m) => m.within_run)) {
    lines.push('', '† within-run estimate and verdict (one run per side, block bootstrap over time windows): describes these two runs, never passes a gate.');
  }
  const bullets = (heading: string, items: string[]) =>
    items.length === 0 ? [] : ['', `**${heading}**`, '', ...items.map((s) => `- ${mdEscape(s)}`)];
  lines.push(...bullets('Observations', report.observations), ...bullets('Undecided', report.undecided));
  return `${lines.join('\n')}\n`;
}
