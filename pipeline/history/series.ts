// History judgement (DESIGN §5.3): warehouse runs → series (one configuration: profile,
// tracing backend, RTS flags) → builds (runs sharing meta.batch, ordered by their earliest
// systemStart) → per metric the build values, the change points (changepoint.ts) and the
// latest build judged against the builds since the last change point before it, with the
// report's own rules (analysis: Welch, or the prediction interval for few runs against many;
// coinciding adoption centiles merged; primary and exploratory BH families; margins and
// directions), so `report` and `history` give the same verdict on the same runs.
// Change points are found per metric with a significance level divided among the metrics of
// its family (Bonferroni), so a page of ~60 metrics does not show a few in pure noise; the
// window of the latest build is placed by change points found without it (it never opens its
// own window). Pure: values come in as maps.
import { eDivisive, type ChangePointOptions } from './changepoint.js';
import type { WarehouseRun } from './runs.js';
import type { HistoryBuild, HistoryChangePoint, HistoryMetric, HistorySeries, SeriesKey } from './model.js';
import type { Family, MetricDef, Verdict } from '../core/index.js';
import { analyse, coincidingCentiles, defaultFamily, familiesOf, minBudget } from '../analysis/index.js';

/** Run id → metric id → run value. */
export type RunValueMap = Map<number, Map<string, number>>;

export interface JudgeOptions extends ChangePointOptions {
  alpha: number;
  noiseFor: (metric: string) => number;
  /** The metrics a gate names (the primary family); null: the catalogue's primary list. */
  primary?: ReadonlySet<string> | null;
  /** Gate budgets in %: a metric's margin is never wider. */
  budgets?: ReadonlyMap<string, number>;
  /** `--max-margin` (default 10). */
  maxMargin?: number;
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
  const allRuns = g.builds.flatMap((b) => b.runIds);

  // Adoption centiles that pick the same node in every run are one metric, as in `report`.
  const same = coincidingCentiles(catalogue.map((d) => d.id), (id) => allRuns.map((r) => runValue(r, id)));
  const family = familiesOf(catalogue.map((d) => d.id), same, opts.primary ?? null);
  const tested = catalogue.filter((d) => !same.has(d.id));
  const familyOf = (id: string): Family => family.get(id) ?? defaultFamily(id);
  // Each family's change-point tests share its significance level (Bonferroni).
  const size = (f: Family) => tested.filter((d) => familyOf(d.id) === f).length;
  const sizes: Record<Family, number> = { primary: Math.max(1, size('primary')), exploratory: Math.max(1, size('exploratory')) };

  const partial = tested.map((def) => {
    const runs = g.builds.map((b) => b.runIds.map((id) => runValue(id, def.id)));
    const buildValues = runs.map((rs) => {
      const xs = finite(rs);
      return xs.length > 0 ? mean(xs) : null;
    });
    const noise = opts.noiseFor(def.id);
    const cpOpts = { ...opts, significance: (opts.significance ?? 0.05) / sizes[familyOf(def.id)] };
    const cps = changePoints(def, builds, buildValues, noise, cpOpts);
    // The window: builds since the last change point found among the builds before the latest,
    // so the latest build never helps place the start of its own window.
    const earlier = last > 0 ? changePoints(def, builds.slice(0, last), buildValues.slice(0, last), noise, cpOpts) : [];
    const from = Math.max(0, ...earlier.map((c) => c.index));
    const windowRuns = last > 0 ? runs.slice(from, last).flat() : [];
    return { def, runs, buildValues, noise, cps, from, windowRuns, latestRuns: runs[last] ?? [] };
  });

  // The report's verdict rules, with its families, BH within each across this series' metrics.
  const judged = last > 0
    ? analyse(
        partial.map((p) => ({
          def: p.def,
          baseline: p.windowRuns,
          candidate: p.latestRuns,
          noisePct: p.noise,
          family: familyOf(p.def.id),
          budgetPct: minBudget(p.def.id, same, opts.budgets),
        })),
        { alpha: opts.alpha, ...(opts.maxMargin === undefined ? {} : { maxMargin: opts.maxMargin }) },
      )
    : [];

  const byId = new Map(
    partial.map((p, i): [string, HistoryMetric] => {
      const j = judged[i];
      return [
        p.def.id,
        {
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
                margin_pct: j.margin_pct,
                runs_needed: j.runs_needed,
                window: { from: builds[p.from]?.id ?? null, builds: last - p.from, runs: finite(p.windowRuns).length },
              }
            : null,
          family: familyOf(p.def.id),
        },
      ];
    }),
  );
  // A coinciding centile is shown as a copy of the one it coincides with, not tested again.
  const metrics: HistoryMetric[] = catalogue.flatMap((def): HistoryMetric[] => {
    const rep = same.get(def.id);
    const m = byId.get(rep ?? def.id);
    if (m === undefined) return [];
    return [rep === undefined ? m : { ...m, id: def.id, title: def.title, coincides_with: rep }];
  });
  return { label: seriesLabel(g.key), key: g.key, builds, metrics };
}
