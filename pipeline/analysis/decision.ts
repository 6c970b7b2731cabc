// The decision line (DESIGN §5.5, §6 `decision`): what page 1 says about one candidate set —
// ship, hold, trade-off or undecided — from the primary metrics only, with the numbers that made
// it. Ship needs evidence: every primary metric decided unchanged or improved, or proven within
// its budget; a primary metric whose interval still allows harm beyond its margin (or budget)
// makes the line undecided, never ship. The gate (gate/) classifies its metrics with the same
// `classify`, so the gate box and the decision line cannot disagree.
import { DEFAULT_MAX_MARGIN_PCT } from '../core/index.js';
import type { Decision, DecisionItem, DecisionStatus, MetricComparison, MetricDef } from '../core/index.js';
import { RUNS_NEEDED_CAP } from './stats.js';
import { worstCase } from './verdict.js';
import { fmt } from './sentences.js';

/** What one primary metric means for the decision. */
export type Standing = 'cost' | 'gain' | 'cleared' | 'undecided';

export interface Classified {
  standing: Standing;
  /** A few words with the metric's numbers: "+8.1% (CI +1.9 to +14.3%) may exceed its 3% budget". */
  reason: string;
}

/** The parts of a comparison the classification reads (a report's metric, or a history's latest build). */
export interface Judged {
  verdict: MetricComparison['verdict'];
  method: MetricComparison['method'];
  better: MetricComparison['better'];
  delta_pct: number | null;
  ci95_pct: [number, number] | null;
  noise_pct: number;
  margin_pct?: number;
  runs_needed: number | null;
}

export function signed(x: number): string {
  return `${x >= 0 ? '+' : '−'}${fmt(Math.abs(x))}%`;
}

/** "+8.1% (CI +1.9 to +14.3%)", or "Δ% n/a" when no relative change exists. */
export function withCi(m: Pick<Judged, 'delta_pct' | 'ci95_pct'>): string {
  if (m.delta_pct === null) return 'Δ% n/a';
  const ci = m.ci95_pct;
  return ci === null ? signed(m.delta_pct) : `${signed(m.delta_pct)} (CI ${signed(ci[0])} to ${signed(ci[1])})`;
}

/** A margin or budget as people write it: 3, 5.5, 0.25. */
function plain(x: number): string {
  return String(Number(x.toPrecision(3)));
}

function runsToDecide(k: number | null): string {
  return k === null ? '' : `; ~${k}${k >= RUNS_NEEDED_CAP ? '+' : ''} runs a side decide it`;
}

/**
 * One metric against its margin and budget (DESIGN §5.5):
 *   - regressed beyond its budget (or without one) → cost; within its budget with the whole
 *     interval → cleared; its interval may still exceed the budget → undecided;
 *   - improved → gain; unchanged → cleared;
 *   - otherwise (inconclusive, insufficient data, within-run evidence only): cleared only when
 *     the interval rules out harm beyond the margin (or budget), else undecided.
 */
export function classify(m: Judged, budget: number | null): Classified {
  const margin = m.margin_pct ?? Math.min(m.noise_pct, budget ?? Infinity, DEFAULT_MAX_MARGIN_PCT);
  // Without an interval (a verdict given by hand), the point estimate is all there is.
  const harm = m.ci95_pct === null && m.delta_pct !== null ? worstCase({ better: m.better, ci95_pct: [m.delta_pct, m.delta_pct] }) ?? 0 : worstCase(m);
  const limit = budget ?? margin;
  const limitName = budget !== null ? `its ${plain(budget)}% budget` : `its ±${plain(margin)}% margin`;
  if (m.method === 'within-run') {
    return { standing: 'undecided', reason: `${withCi(m)} on within-run evidence only (one run a side)${runsToDecide(m.runs_needed)}` };
  }
  if (m.verdict === 'regressed') {
    if (budget === null || (m.delta_pct !== null && Math.abs(m.delta_pct) > budget)) {
      return { standing: 'cost', reason: `${withCi(m)} regressed${budget !== null ? ` beyond its ${plain(budget)}% budget` : ''}` };
    }
    if (harm !== null && harm <= budget) return { standing: 'cleared', reason: `${withCi(m)} within its ${plain(budget)}% budget` };
    return { standing: 'undecided', reason: `${withCi(m)} may exceed its ${plain(budget)}% budget${runsToDecide(m.runs_needed)}` };
  }
  if (m.verdict === 'improved') return { standing: 'gain', reason: `${withCi(m)} improved` };
  if (m.verdict === 'unchanged') {
    if (harm !== null && harm > limit) return { standing: 'undecided', reason: `${withCi(m)} may exceed ${limitName}${runsToDecide(m.runs_needed)}` };
    return { standing: 'cleared', reason: `${withCi(m)} unchanged within ±${plain(margin)}%` };
  }
  if (m.verdict === 'insufficient-data') return { standing: 'undecided', reason: 'too few runs for a run-to-run verdict' };
  if (m.verdict === 'changed') return { standing: 'cleared', reason: `${withCi(m)} changed (no better direction)` };
  // inconclusive
  if (m.ci95_pct !== null && (harm === null || harm <= limit)) {
    return { standing: 'cleared', reason: `${withCi(m)} rules out harm beyond ${limitName}` };
  }
  return { standing: 'undecided', reason: `${withCi(m)} may exceed ${limitName}${runsToDecide(m.runs_needed)}` };
}

export interface DecideOptions {
  /** Gate budgets in %, by metric id. */
  budgets?: ReadonlyMap<string, number>;
  /** Gate waivers: a waived metric is neither a cost nor undecided. */
  waivers?: ReadonlyMap<string, string>;
  /** A gate was given: the line says so. */
  gate?: boolean;
}

const WORD: Record<DecisionStatus, string> = { ship: 'ship', hold: 'hold', 'trade-off': 'trade-off', undecided: 'undecided' };

/** The decision for one candidate set from its comparisons (primary family only). */
export function decideSet(set: string, metrics: readonly MetricComparison[], catalogue: readonly MetricDef[], opts: DecideOptions = {}): Decision {
  const titles = new Map(catalogue.map((d) => [d.id, d.title]));
  const costs: DecisionItem[] = [];
  const gains: DecisionItem[] = [];
  const undecided: DecisionItem[] = [];
  const cleared: string[] = [];
  // A centile that coincides with another is the same test: judged once, under the other's name.
  for (const m of metrics) {
    if (m.family !== 'primary' || m.coincides_with !== undefined) continue;
    if (opts.waivers?.has(m.id)) {
      cleared.push(m.id);
      continue;
    }
    const budget = opts.budgets?.get(m.id) ?? null;
    const c = classify(m, budget);
    const item: DecisionItem = {
      metric: m.id,
      title: titles.get(m.id) ?? m.id,
      unit: m.unit,
      better: m.better,
      delta_pct: m.delta_pct,
      ci95_pct: m.ci95_pct,
      margin_pct: m.margin_pct,
      budget_pct: budget,
      runs_needed: m.runs_needed,
      verdict: m.verdict,
      method: m.method,
      reason: c.reason,
    };
    if (c.standing === 'cost') costs.push(item);
    else if (c.standing === 'gain') gains.push(item);
    else if (c.standing === 'undecided') undecided.push(item);
    else cleared.push(m.id);
  }
  const total = costs.length + gains.length + undecided.length + cleared.length;
  const status: DecisionStatus =
    costs.length > 0 && gains.length > 0 ? 'trade-off' : costs.length > 0 ? 'hold' : undecided.length > 0 || total === 0 ? 'undecided' : 'ship';
  // Worst first: costs by size, undecided by how much harm their interval allows.
  const harmOf = (i: DecisionItem) => worstCase({ better: i.better, ci95_pct: i.ci95_pct }) ?? 0;
  costs.sort((a, b) => Math.abs(b.delta_pct ?? 0) - Math.abs(a.delta_pct ?? 0));
  undecided.sort((a, b) => harmOf(b) / Math.max(b.margin_pct, 1e-9) - harmOf(a) / Math.max(a.margin_pct, 1e-9));
  gains.sort((a, b) => Math.abs(b.delta_pct ?? 0) - Math.abs(a.delta_pct ?? 0));
  const said = (xs: DecisionItem[], max = 3) =>
    xs.slice(0, max).map((i) => `${i.title} ${i.reason}`).join('; ') + (xs.length > max ? `; and ${xs.length - max} more` : '');
  let why: string;
  if (total === 0) why = 'no primary metric could be compared';
  else if (status === 'trade-off') why = `costs: ${said(costs)}; gains: ${said(gains)}`;
  else if (status === 'hold') why = said(costs) + (undecided.length > 0 ? `; also undecided: ${said(undecided, 2)}` : '');
  else if (status === 'undecided') why = said(undecided);
  else {
    why = `all ${total} primary metrics decided: ${cleared.length} unchanged or within budget${gains.length > 0 ? `, ${gains.length} improved (${said(gains)})` : ''}`;
  }
  return {
    status,
    line: `${WORD[status]} — ${why}`,
    from: opts.gate ? 'gate' : 'verdicts',
    set,
    costs,
    gains,
    undecided,
    cleared,
  };
}
