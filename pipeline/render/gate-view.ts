// The gate's result as every format shows it, at the top (DESIGN §5.4): one headline and the
// failed, waived and undecided metrics. Shared by report.md, the summary, report.html (through
// templates/partials/gate.hbs) and the history page, so they never disagree.
import type { GateResult } from '../core/index.js';
import { formatDeltaPct, formatPct } from './format.js';

export interface GateView {
  status: GateResult['status'];
  symbol: string;
  headline: string;
  source: string;
  failed: string[];
  waived: string[];
  undecided: string[];
}

const SYMBOL: Record<GateResult['status'], string> = { pass: '✓', fail: '✗', undecided: '?' };

const name = (x: { metric: string; series?: string }): string => (x.series ? `${x.series} / ${x.metric}` : x.metric);

export function gateView(g: GateResult): GateView {
  const headline =
    g.status === 'pass'
      ? 'Gate passed'
      : g.status === 'fail'
        ? `Gate failed: ${g.failed.length} metric${g.failed.length === 1 ? '' : 's'} regressed beyond budget`
        : 'Gate undecided: not enough run-to-run evidence to pass';
  return {
    status: g.status,
    symbol: SYMBOL[g.status],
    headline,
    source: g.source,
    failed: g.failed.map((f) => `${name(f)} ${formatDeltaPct(f.delta_pct)} (budget ${formatPct(f.budget_pct)})`),
    waived: g.waived.map((w) => `${name(w)} ${formatDeltaPct(w.delta_pct)}: ${w.reason}`),
    undecided: g.undecided.map((u) => `${name(u)}: ${u.reason}`),
  };
}

/** The Markdown gate block; `escape` is the caller's Markdown escaping. */
export function gateMarkdown(g: GateResult, escape: (s: string) => string): string[] {
  const v = gateView(g);
  const list = (label: string, items: string[]) => (items.length === 0 ? [] : [`- ${label}: ${items.map(escape).join('; ')}`]);
  return [`**${v.symbol} ${escape(v.headline)}** (${escape(v.source)})`, ...list('failed', v.failed), ...list('waived', v.waived), ...list('undecided', v.undecided), ''];
}

/** report.json / history.json `gate`. */
export function gateJson(g: GateResult | null | undefined): Record<string, unknown> | null {
  if (!g) return null;
  const num = (x: number | null) => (x !== null && Number.isFinite(x) ? x : null);
  return {
    status: g.status,
    failed: g.failed.map((f) => ({ metric: f.metric, ...(f.series ? { series: f.series } : {}), delta_pct: num(f.delta_pct), budget_pct: f.budget_pct })),
    waived: g.waived.map((w) => ({ metric: w.metric, ...(w.series ? { series: w.series } : {}), delta_pct: num(w.delta_pct), budget_pct: w.budget_pct, reason: w.reason })),
    undecided: g.undecided.map((u) => ({ metric: u.metric, ...(u.series ? { series: u.series } : {}), reason: u.reason })),
    source: g.source,
  };
}
