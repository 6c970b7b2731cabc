// The decision line at the top of every format (DESIGN §5.5): one per candidate set, as the
// analysis decided it (report.decisions; analysis/decision.ts) — from the primary metrics, with
// the numbers that made it, and whether a gate was given. A model without decisions (written
// by an older version) gets them derived here the same way.
import type { Decision, DecisionItem, Report } from '../core/index.js';
import { decideSet, RUNS_NEEDED_CAP } from '../analysis/index.js';
import { formatCiPct, formatDeltaPct, formatPct } from './format.js';

export type DecisionWord = Decision['status'];

export interface RenderedDecision {
  /** Which candidate set the line is about (its label). */
  set: string;
  word: DecisionWord;
  source: Decision['from'];
  /** The line without its leading word. */
  reason: string;
  decision: Decision;
}

/** The decisions of a report, one per candidate set. */
export function decisions(report: Report): RenderedDecision[] {
  const sets = report.candidates && report.candidates.length > 1 ? report.candidates : [{ label: report.candidate.label, metrics: report.metrics }];
  const ds = report.decisions ?? sets.map((s) => decideSet(s.label, s.metrics, report.catalogue, report.gate ? { gate: true } : {}));
  return ds.map((d) => ({ set: d.set, word: d.status, source: d.from, reason: d.line.replace(/^[a-z-]+ — /, ''), decision: d }));
}

export interface DecisionRow {
  title: string;
  metric: string;
  standing: 'cost' | 'gain' | 'undecided';
  delta: string;
  ci: string;
  /** "±5.5%" (margin) or "3% budget". */
  limit: string;
  runs: string;
}

/** The decision's table rows: costs, then gains, then undecided primary metrics (DESIGN §5.5). */
export function decisionRows(d: Decision): DecisionRow[] {
  const limit = (i: DecisionItem) => (i.budget_pct !== null ? `${formatPct(i.budget_pct)} budget` : `±${formatPct(i.margin_pct)}`);
  const row = (standing: DecisionRow['standing']) => (i: DecisionItem): DecisionRow => ({
    title: i.title,
    metric: i.metric,
    standing,
    delta: formatDeltaPct(i.delta_pct),
    ci: formatCiPct(i.ci95_pct),
    limit: limit(i),
    runs: standing === 'undecided' && i.runs_needed !== null ? `~${i.runs_needed}${i.runs_needed >= RUNS_NEEDED_CAP ? '+' : ''}` : '—',
  });
  return [...d.costs.map(row('cost')), ...d.gains.map(row('gain')), ...d.undecided.map(row('undecided'))];
}

/** "ship", "hold"…: the word as the page shows it. */
export const DECISION_WORDS: Record<DecisionWord, string> = { ship: 'SHIP', hold: 'HOLD', 'trade-off': 'TRADE-OFF', undecided: 'UNDECIDED' };

/**
 * The decision in Markdown, first in report.md, the summary and the brief: the line in bold,
 * then its primary metrics as a table, the cleared ones named in one line.
 */
export function decisionMarkdown(report: Report, esc: (s: string) => string): string[] {
  const multi = (report.candidates?.length ?? 0) > 1;
  const out: string[] = [];
  for (const r of decisions(report)) {
    const d = r.decision;
    const src = d.from === 'gate' ? 'with the gate' : 'from the primary metrics’ verdicts; no gate given';
    out.push(`**${DECISION_WORDS[d.status]}**${multi ? ` ${esc(d.set)}` : ''} — ${esc(r.reason)} (${src})`, '');
    const rows = decisionRows(d);
    if (rows.length > 0) {
      out.push('| primary metric | standing | Δ% | 95% CI | margin | runs a side to decide |', '| :-- | :-- | --: | --: | --: | --: |');
      for (const x of rows) out.push(`| ${esc(x.title)} \`${x.metric}\` | ${x.standing} | ${x.delta} | ${x.ci} | ${x.limit} | ${x.runs} |`);
      out.push('');
    }
    if (d.cleared.length > 0) {
      const titles = new Map(report.catalogue.map((c) => [c.id, c.title]));
      out.push(`Cleared (unchanged, within budget or waived): ${d.cleared.map((id) => esc(titles.get(id) ?? id)).join(', ')}.`, '');
    }
  }
  return out;
}
