// The decision on each series' latest build (DESIGN §5.5), as `report` decides a candidate set:
// from the primary metrics' latest verdicts against their window, with the numbers that made
// it — the first line of history.md and of the history page.
import { decideSet } from '../analysis/index.js';
import type { Decision, MetricComparison, MetricDef } from '../core/index.js';
import type { History } from './model.js';

/** One decision per series whose latest build was judged; budgets and waivers from a gate. */
export function latestDecisions(h: History, catalogue: readonly MetricDef[], gate?: { budgets?: ReadonlyMap<string, number>; waivers?: ReadonlyMap<string, string> }): Decision[] {
  return h.series.flatMap((s) => {
    const judged = s.metrics.filter((m) => m.latest !== null);
    if (judged.length === 0) return [];
    // The parts of a comparison the decision reads, from the latest build's verdicts.
    const comps = judged.map(
      (m) =>
        ({
          id: m.id,
          unit: m.unit,
          better: m.better,
          family: m.family,
          ...(m.coincides_with ? { coincides_with: m.coincides_with } : {}),
          verdict: m.latest?.verdict,
          method: m.latest?.method,
          delta_pct: m.latest?.delta_pct ?? null,
          ci95_pct: m.latest?.ci95_pct ?? null,
          noise_pct: m.latest?.noise_pct,
          margin_pct: m.latest?.margin_pct,
          runs_needed: m.latest?.runs_needed ?? null,
        }) as MetricComparison,
    );
    return [decideSet(s.label, comps, catalogue, { ...gate, gate: h.gate !== null })];
  });
}
