// `npm run bench:nightly` (and the last part of `npm run bench`): the decision figures of
// docs/benchmarks.md "Nightly decisions" (DESIGN §5.5, issue 19). Seeded; a few minutes.
//   1. A/A nightly series with every catalogue metric: 12 nights of m runs (m = 1, 2), nothing
//      planted. Each night from the second is judged as examples/nightly/nightly.sh judges it
//      with its defaults: `report` of tonight's runs against every earlier run, gated by
//      --fail-on-regression (the primary family), and `history --fail-on-change` (the latest
//      build against the builds since the last change point, primary metrics). A night fails
//      when either fails. → the share of nights that fail, and the change points a history
//      page of 12 builds marks (all of them false here), per series.
//   2. Power: 11 quiet nights, then a night with a +5% or +10% step in one primary metric
//      (rss_mb, cpu_pct) on its m = 1, 2 or 5 runs → the share of such nights that fail naming
//      that metric, and that the decision line does not call `ship`.
// Run values are synthetic: per metric 100·(1 + cov·z), z ~ N(0, 1) per run and metric, with
// cov = the metric's catalogue noise threshold / 2 (NOISE_PCT is twice the A/A run-to-run CoV),
// metrics independent of each other (real metrics correlate, e.g. CPU with GC CPU, which only
// lowers the false-alarm rates). Each metric's run values are what the warehouse gives the job.
// Usage: node dist/bench/nightly.js [--series 60] [--nights 12] [--power-series 40]
import { CATALOGUE, NOISE_PCT, mulberry32, type MetricComparison } from '../pipeline/core/index.js';
import { analyse, decideSet, defaultFamily } from '../pipeline/analysis/index.js';
import { evaluateGate, NOISE_GATE } from '../pipeline/gate/index.js';
import { judgeSeries, type RunValueMap } from '../pipeline/history/index.js';
import { CHANGE_POINT_DEFAULTS, latestRegressions } from '../pipeline/jobs/index.js';
import type { History } from '../pipeline/history/index.js';

const arg = (name: string, dflt: number): number => {
  const i = process.argv.indexOf(`--${name}`);
  return i >= 0 ? Number(process.argv[i + 1]) : dflt;
};
const SERIES = arg('series', 60);
const NIGHTS = arg('nights', 12);
const POWER_SERIES = arg('power-series', 40);

const noiseOf = (id: string): number => NOISE_PCT[id] ?? 2;

function gauss(rand: () => number): () => number {
  return () => Math.sqrt(-2 * Math.log(1 - rand())) * Math.cos(2 * Math.PI * rand());
}

interface Night {
  runIds: number[];
}

/** One series: nights of m runs; `step` multiplies `metric` on the last night. */
function makeSeries(seed: number, nights: number, m: number, step?: { metric: string; factor: number }): { values: RunValueMap; nights: Night[] } {
  const z = gauss(mulberry32(seed));
  const values: RunValueMap = new Map();
  const out: Night[] = [];
  let id = 0;
  for (let n = 0; n < nights; n++) {
    const runIds: number[] = [];
    for (let r = 0; r < m; r++) {
      const v = new Map<string, number>();
      for (const d of CATALOGUE) {
        let x = 100 * (1 + (noiseOf(d.id) / 200) * z());
        if (step && n === nights - 1 && d.id === step.metric) x *= step.factor;
        v.set(d.id, x);
      }
      values.set(++id, v);
      runIds.push(id);
    }
    out.push({ runIds });
  }
  return { values, nights: out };
}

interface NightOutcome {
  fails: boolean;
  /** Primary metrics named by the report gate or history --fail-on-change. */
  named: Set<string>;
  decision: string;
  /** Change points on the history page (coinciding copies not counted twice). */
  changePoints: number;
}

/** Night `k` (0-based, ≥ 1) judged as nightly.sh judges it with its defaults. */
function judgeNight(values: RunValueMap, nights: Night[], k: number): NightOutcome {
  const baseline = nights.slice(0, k).flatMap((n) => n.runIds);
  const tonight = (nights[k] as Night).runIds;
  const val = (ids: number[], metric: string) => ids.map((r) => values.get(r)?.get(metric) ?? null);
  // report --fail-on-regression (no gate names: the catalogue's primary family)
  const comps: MetricComparison[] = analyse(
    CATALOGUE.map((def) => ({ def, baseline: val(baseline, def.id), candidate: val(tonight, def.id), noisePct: noiseOf(def.id), family: defaultFamily(def.id) })),
    { alpha: 0.05 },
  );
  const gate = evaluateGate(
    NOISE_GATE,
    comps.map((c) => ({ metric: c.id, verdict: c.verdict, method: c.method, delta_pct: c.delta_pct, noise_pct: c.noise_pct, family: c.family, better: c.better, ci95_pct: c.ci95_pct, margin_pct: c.margin_pct, runs_needed: c.runs_needed })),
  );
  const decision = decideSet('tonight', comps, CATALOGUE);
  // history --fail-on-change over the builds so far
  const group = {
    key: { profile: 'aa', tracing_backend: 'trace-dispatcher', rts_flags: [] },
    builds: nights.slice(0, k + 1).map((n, i) => ({ id: `night-${i + 1}`, start: new Date(Date.UTC(2026, 0, 1 + i)).toISOString(), commit: null, branch: null, runs: n.runIds.map(String), runIds: n.runIds })),
  };
  const series = judgeSeries(group, CATALOGUE, values, { ...CHANGE_POINT_DEFAULTS, alpha: 0.05, noiseFor: noiseOf });
  const history = { series: [series] } as unknown as History;
  const regressed = latestRegressions(history).map((s) => s.split(' / ')[1] as string);
  const named = new Set([...gate.failed.map((f) => f.metric), ...regressed]);
  const changePoints = series.metrics.filter((m) => m.coincides_with === undefined).reduce((s, m) => s + m.change_points.length, 0);
  return { fails: gate.status === 'fail' || regressed.length > 0, named, decision: decision.status, changePoints };
}

const pct = (k: number, n: number): string => `${((100 * k) / n).toFixed(1)}% (${k}/${n})`;

function aa(m: number): void {
  let nights = 0;
  let failed = 0;
  let cps = 0;
  let ship = 0;
  const falseNamed = new Map<string, number>();
  for (let s = 0; s < SERIES; s++) {
    const { values, nights: ns } = makeSeries(1000 * m + s, NIGHTS, m);
    for (let k = 1; k < NIGHTS; k++) {
      const o = judgeNight(values, ns, k);
      nights++;
      if (o.fails) failed++;
      if (o.decision === 'ship') ship++;
      for (const id of o.named) falseNamed.set(id, (falseNamed.get(id) ?? 0) + 1);
      if (k === NIGHTS - 1) cps += o.changePoints;
    }
  }
  const worst = [...falseNamed.entries()].sort((a, b) => b[1] - a[1]).slice(0, 3).map(([id, n]) => `${id} ${n}`).join(', ');
  console.log(
    `A/A, ${m} run(s) a night, ${SERIES} series × ${NIGHTS - 1} judged nights: nights failed ${pct(failed, nights)}` +
      `; false change points per history page of ${NIGHTS} builds ${(cps / SERIES).toFixed(2)} (${cps} on ${SERIES} pages, ${CATALOGUE.length} metrics each)` +
      `; decision "ship" on ${pct(ship, nights)} of nights${worst ? `; metrics named most: ${worst}` : ''}`,
  );
}

function power(metric: string, factor: number, m: number): void {
  let caught = 0;
  let notShip = 0;
  for (let s = 0; s < POWER_SERIES; s++) {
    const { values, nights } = makeSeries(7000 + 100 * m + s, NIGHTS, m, { metric, factor });
    const o = judgeNight(values, nights, NIGHTS - 1);
    if (o.fails && o.named.has(metric)) caught++;
    if (o.decision !== 'ship') notShip++;
  }
  console.log(
    `power, ${metric} ${factor > 1 ? '+' : ''}${Math.round((factor - 1) * 100)}% on the last night of ${m} run(s) (noise threshold ${noiseOf(metric)}%): ` +
      `night fails naming it ${pct(caught, POWER_SERIES)}; decision not "ship" ${pct(notShip, POWER_SERIES)}`,
  );
}

const t0 = performance.now();
for (const m of [1, 2]) aa(m);
for (const metric of ['rss_mb', 'cpu_pct']) for (const factor of [1.05, 1.1]) for (const m of [1, 2, 5]) power(metric, factor, m);
console.log(`bench:nightly took ${((performance.now() - t0) / 1000).toFixed(1)} s`);
