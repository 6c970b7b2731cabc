// The decision line at the top of every format (DESIGN §5.5): one per candidate set, as the
// analysis decided it (report.decisions; analysis/decision.ts) — from the primary metrics, with
// the numbers that made it, and whether a gate was given. A model without decisions (written
// by an older version) gets them derived here the same way.
import type { Decision, Report } from '../core/index.js';
import { decideSet } from '../analysis/index.js';

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
  const ds = report.decisions ?? sets.map((s) => decideSet(s.label, s.metrics, report.catalogue));
  return ds.map((d) => ({ set: d.set, word: d.status, source: d.from, reason: d.line.replace(/^[a-z-]+ — /, ''), decision: d }));
}
