// report-summary.md: a short Markdown summary for a pull-request comment or a CI job summary.
// Only what needs a reader: the gate, regressions, improvements, direction-less changes and
// the metrics that need more runs; the set labels say what was compared. Everything else is
// in report.md / report.html.
import type { MetricComparison, Report } from '../core/index.js';
import { formatCiPct, formatDeltaPct } from './format.js';
import { gateMarkdown } from './gate-view.js';
import { mdEscape } from './markdown.js';
import { decisionMarkdown } from './decision.js';

/** At most this many metrics per list; the rest are counted. */
const MAX_ITEMS = 10;

function item(m: MetricComparison, title: string): string {
  const ci = m.method === 'within-run' ? m.within_run?.ci95_pct ?? null : m.ci95_pct;
  const how = m.method === 'welch' ? '' : ` (${m.method})`;
  const family = m.family === 'exploratory' ? ' — exploratory' : '';
  return `- ${mdEscape(title)} \`${m.id}\` ${formatDeltaPct(m.delta_pct)} ${formatCiPct(ci)}${how}${family}`;
}

export function renderSummary(report: Report): string {
  const titles = new Map(report.catalogue.map((d) => [d.id, d.title]));
  const title = (m: MetricComparison) => titles.get(m.id) ?? m.id;
  const sizeFirst = (a: MetricComparison, b: MetricComparison) => Math.abs(b.delta_pct ?? 0) - Math.abs(a.delta_pct ?? 0);
  const lines = [
    `### ${mdEscape(report.title)}`,
    '',
    ...decisionMarkdown(report, mdEscape),
    `Candidate **${mdEscape(report.candidate.label)}** (${report.candidate.runs.length} runs) against baseline **${mdEscape(report.baseline.label)}** (${report.baseline.runs.length} runs).`,
    '',
  ];
  if (report.gate) lines.push(...gateMarkdown(report.gate, mdEscape));
  const block = (heading: string, ms: MetricComparison[]) => {
    if (ms.length === 0) return;
    lines.push(`**${heading}** (${ms.length})`, '', ...ms.slice(0, MAX_ITEMS).map((m) => item(m, title(m))));
    if (ms.length > MAX_ITEMS) lines.push(`- … and ${ms.length - MAX_ITEMS} more in the full report`);
    lines.push('');
  };
  const by = (v: MetricComparison['verdict']) => report.metrics.filter((m) => m.verdict === v).sort(sizeFirst);
  block('Regressed', by('regressed'));
  block('Improved', by('improved'));
  block('Changed (no better direction)', by('changed'));
  if (['regressed', 'improved', 'changed'].every((v) => by(v as MetricComparison['verdict']).length === 0)) {
    lines.push('No metric regressed or improved beyond its noise threshold.', '');
  }
  const open = report.metrics.filter((m) => m.verdict === 'inconclusive' || m.verdict === 'insufficient-data');
  if (open.length > 0) {
    const needed = open.map((m) => m.runs_needed).filter((k): k is number => k !== null);
    const most = needed.length > 0 ? Math.max(...needed) : null;
    lines.push(
      `**Needs runs** (${open.length}): ${open.slice(0, MAX_ITEMS).map((m) => `\`${m.id}\``).join(', ')}${open.length > MAX_ITEMS ? ', …' : ''}` +
        (most !== null ? ` — up to ${most} runs per side would decide them at their margins.` : '.'),
      '',
    );
  }
  if (report.metrics.some((m) => m.method === 'within-run')) lines.push('_Within-run verdicts describe one run a side; they never pass a gate._', '');
  return `${lines.join('\n').replace(/\n+$/, '')}\n`;
}
