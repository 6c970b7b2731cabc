// The decision line at the top of a release review (issue 10): ship, hold or trade-off. From the
// gate when one was evaluated (report.gate, DESIGN §5.4); otherwise derived from the verdicts,
// and the line says which, so nobody mistakes a derived reading for a gate's.
import type { MetricComparison, Report } from '../core/index.js';
import { worstCase } from '../analysis/index.js';

export type DecisionWord = 'ship' | 'hold' | 'trade-off' | 'undecided';

export interface Decision {
  /** Which candidate set the line is about (its label). */
  set: string;
  word: DecisionWord;
  source: 'gate' | 'verdicts';
  reason: string;
}

/** A gate result when the report carries one (added by the gate stage); null otherwise. */
function gateStatus(report: Report): string | null {
  const gate = (report as { gate?: { status?: unknown } | null }).gate;
  return gate && typeof gate.status === 'string' ? gate.status : null;
}

function names(ms: MetricComparison[], titles: Map<string, string>, max = 4): string {
  const t = ms.map((m) => titles.get(m.id) ?? m.id);
  return t.length > max ? `${t.slice(0, max).join(', ')} and ${t.length - max} more` : t.join(', ');
}

/** One decision from one set's verdicts. */
export function decideFromVerdicts(set: string, metrics: MetricComparison[], titles: Map<string, string>): Decision {
  const regressed = metrics.filter((m) => m.verdict === 'regressed');
  const improved = metrics.filter((m) => m.verdict === 'improved');
  const risky = metrics.filter((m) => m.verdict === 'inconclusive' && (worstCase(m) ?? 0) > m.noise_pct);
  const risk = risky.length === 0 ? '' : `; ${risky.length} undecided ${risky.length === 1 ? 'metric' : 'metrics'} could still hide a regression beyond the noise threshold (see Not decided)`;
  if (regressed.length > 0 && improved.length > 0) {
    return { set, word: 'trade-off', source: 'verdicts', reason: `${regressed.length} regressed (${names(regressed, titles)}) against ${improved.length} improved (${names(improved, titles)})${risk}` };
  }
  if (regressed.length > 0) return { set, word: 'hold', source: 'verdicts', reason: `${regressed.length} regressed (${names(regressed, titles)})${risk}` };
  return { set, word: 'ship', source: 'verdicts', reason: `no metric regressed${improved.length > 0 ? `, ${improved.length} improved` : ''}${risk}` };
}

/** The decision lines of a report: one per candidate set. */
export function decisions(report: Report): Decision[] {
  const titles = new Map(report.catalogue.map((d) => [d.id, d.title]));
  const status = gateStatus(report);
  if (status !== null) {
    const word: DecisionWord = status === 'pass' ? 'ship' : status === 'fail' ? 'hold' : 'undecided';
    return [{ set: report.candidate.label, word, source: 'gate', reason: `the gate reported “${status}”` }];
  }
  const sets = report.candidates && report.candidates.length > 1 ? report.candidates : [{ label: report.candidate.label, metrics: report.metrics }];
  return sets.map((s) => decideFromVerdicts(s.label, s.metrics.filter((m) => m.coincides_with === undefined), titles));
}
