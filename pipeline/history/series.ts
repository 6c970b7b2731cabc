// History judgement (DESIGN §5.3): warehouse runs → series (one configuration: profile,
// tracing backend, RTS flags) → builds (runs sharing meta.batch, ordered by their earliest
// systemStart) → per metric the build values, the change points (changepoint.ts) and the
// latest build judged against the builds since the last change point before it, with the
// report's own rules (verdict.ts: Welch, or the prediction interval for a one-run build; BH
// across the series' metrics; noise thresholds and directions). Pure: values come in as maps.
import { eDivisive, type ChangePointOptions } from './changepoint.js';
import type { WarehouseRun } from './runs.js';
import type { HistoryBuild, HistoryChangePoint, HistoryMetric, HistorySeries, SeriesKey } from './model.js';
import type { MetricDef, Verdict } from '../core/index.js';
import { analyse } from '../analysis/index.js';

/** Run id → metric id → run value. */
export type RunValueMap = Map<number, Map<string, number>>;

export interface JudgeOptions extends ChangePointOptions {
  alpha: number;
  noiseFor: (metric: string) => number;
}

interface Grouped {
  key: SeriesKey;
  builds: (HistoryBuild & { runIds: number[] })[];
}

export function seriesLabel(k: SeriesKey): string {
  const rts = k.rts_flags.length > 0 ? k.rts_flags.join(' ') : 'default RTS';
  return `${k.profile ?? 'no profile'} · ${k.tracing_backend ?? 'unknown tracing'} · ${rts}`;
}

/** Groups runs into series and builds; runs without a batch are builds of their own. */
export function groupSeries(runs: readonly WarehouseRun[]): Grouped[] {
  const series = new Map<string, { key: SeriesKey; builds: Map<string, WarehouseRun[]> }>();
  for (const r of runs) {
    const key: SeriesKey = { profile: r.profile, tracing_backend: r.tracing_backend, rts_flags: [...r.rts_flags] };
    const sk = JSON.stringify(key);
    const s = series.get(sk) ?? { key, builds: new Map<string, WarehouseRun[]>() };
    series.set(sk, s);
    const id = r.batch ?? r.tag;
    s.builds.set(id, [...(s.builds.get(id) ?? []), r]);
  }
  const out: Grouped[] = [];
  for (const s of series.values()) {
    const builds = [...s.builds.entries()].map(([id, rs]) => {
      const sorted = [...rs].sort((a, b) => Date.parse(a.start) - Date.parse(b.start) || a.tag.localeCompare(b.tag));
      const first = sorted[0] as WarehouseRun;
      return {
        id,
        start: first.start,
        commit: sorted.find((r) => r.commit !== null)?.commit ?? null,
        branch: sorted.find((r) => r.branch !== null)?.branch ?? null,
        runs: sorted.map((r) => r.tag),
        runIds: sorted.map((r) => r.run_id),
      };
    });
    builds.sort((a, b) => Date.parse(a.start) - Date.parse(b.start) || a.id.localeCompare(b.id));
    out.push({ key: s.key, builds });
  }
  return out.sort((a, b) => seriesLabel(a.key).localeCompare(seriesLabel(b.key)));
}

function mean(xs: readonly number[]): number {
  let s = 0;
  for (const x of xs) s += x;
  return s / xs.length;
}

function finite(xs: readonly (number | null)[]): number[] {
  return xs.filter((x): x is number => x !== null && Number.isFinite(x));
}

/** Verdict of a level shift by direction and noise (no test here: the permutation test decided). */
function shiftVerdict(def: MetricDef, before: number, after: number, pct: number | null, noise: number): Verdict {
  if (pct === null) return before === after ? 'unchanged' : 'inconclusive';
  if (Math.abs(pct) < noise) return 'unchanged';
  if (def.better === 'none') return 'changed';
  return after > before === (def.better === 'lower') ? 'regressed' : 'improved';
}

/** Change points of one metric's build values (builds without a value are skipped). */
function changePoints(def: MetricDef, builds: readonly HistoryBuild[], values: readonly (number | null)[], noise: number, opts: ChangePointOptions): HistoryChangePoint[] {
  const idx: number[] = [];
  const z: number[] = [];
  values.forEach((v, i) => {
    if (v !== null && Number.isFinite(v)) {
      idx.push(i);
      z.push(v);
    }
  });
  const cps = eDivisive(z, opts);
  const bounds = [0, ...cps.map((c) => c.index), z.length];
  return cps.map((c, k) => {
    const before = mean(z.slice(bounds[k] as number, c.index));
    const after = mean(z.slice(c.index, bounds[k + 2] as number));
    const pct = before !== 0 ? (100 * (after - before)) / Math.abs(before) : null;
    const index = idx[c.index] as number;
    return {
      index,
      build: builds[index]?.id ?? '',
      before_mean: before,
      after_mean: after,
      delta_pct: pct,
      p_value: c.p,
      verdict: shiftVerdict(def, before, after, pct, noise),
    };
  });
}

/** One series: build values, change points, and the latest build against its window. */
export function judgeSeries(g: Grouped, catalogue: readonly MetricDef[], values: RunValueMap, opts: JudgeOptions): HistorySeries {
  const builds: HistoryBuild[] = g.builds.map(({ runIds: _ids, ...b }) => b);
  const runValue = (runId: number, metric: string): number | null => values.get(runId)?.get(metric) ?? null;
  const last = g.builds.length - 1;

  const partial = catalogue.map((def) => {
    const runs = g.builds.map((b) => b.runIds.map((id) => runValue(id, def.id)));
    const buildValues = runs.map((rs) => {
      const xs = finite(rs);
      return xs.length > 0 ? mean(xs) : null;
    });
    const noise = opts.noiseFor(def.id);
    const cps = changePoints(def, builds, buildValues, noise, opts);
    // The window: builds since the last change point before the latest build; the latest never
    // opens its own window (a change point at it is ignored for this purpose).
    const from = Math.max(0, ...cps.map((c) => c.index).filter((i) => i < last));
    const windowRuns = last > 0 ? runs.slice(from, last).flat() : [];
    return { def, runs, buildValues, noise, cps, from, windowRuns, latestRuns: runs[last] ?? [] };
  });

  // The report's verdict rules, BH across this series' metrics.
  const judged = last > 0
    ? analyse(partial.map((p) => ({ def: p.def, baseline: p.windowRuns, candidate: p.latestRuns, noisePct: p.noise })), { alpha: opts.alpha })
    : [];

  const metrics: HistoryMetric[] = partial.map((p, i) => {
    const j = judged[i];
    return {
      id: p.def.id,
      title: p.def.title,
      section: p.def.section,
      unit: p.def.unit,
      better: p.def.better,
      values: p.buildValues,
      runs: p.runs,
      change_points: p.cps,
      latest: j
        ? {
            verdict: j.verdict,
            method: j.method,
            delta_pct: j.delta_pct,
            ci95_pct: j.ci95_pct,
            p_value: j.p_value,
            q_value: j.q_value,
            noise_pct: j.noise_pct,
            window: { from: builds[p.from]?.id ?? null, builds: last - p.from, runs: finite(p.windowRuns).length },
          }
        : null,
    };
  });
  return { label: seriesLabel(g.key), key: g.key, builds, metrics };
}
