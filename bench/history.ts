// `npm run bench:history`: the figures of docs/benchmarks.md "History, change points and one
// run against many". Seeded; a few minutes on 2 cores.
//   1. change points on A/A series: ≥ 200 series of 12 builds, no change → false-alarm rate;
//   2. planted steps of +5% and +10% at build 7 of 12: detection rate (a change point within
//      one build of the step) and delay (builds after the first stepped one until the series
//      prefix shows it), and how often the latest-build verdict flags the first stepped build;
//   3. one run against many (prediction interval, DESIGN §5.1): false flags on A/A, power;
//   4. `history` wall time with 30, 100 and 300 builds in a synthetic warehouse (runs rows and
//      cached run values, one run a build, 54 metrics), JSON+Markdown and with the HTML page.
// Build values are synthetic Gaussians, 100·(1 + ε), ε ~ N(0, cov) — the same input the
// change-point method sees from the warehouse (one value per build). Default cov 2%, the
// default noise threshold.
// Usage: node dist/bench/history.js [--series 400] [--cov 0.02] [--skip-timing]
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { CATALOGUE, PRIMARY_METRICS, silentLogger, mulberry32 } from '../pipeline/core/index.js';
import { eDivisive, calcKey, storeValues } from '../pipeline/history/index.js';
import { Warehouse } from '../pipeline/warehouse/index.js';
import { DEFAULT_FILTERS } from '../pipeline/metrics/index.js';
import { runHistory } from '../pipeline/jobs/index.js';
import type { MetricDef, RunInfo } from '../pipeline/core/index.js';
import { analyse } from '../pipeline/analysis/index.js';

const arg = (name: string, dflt: number): number => {
  const i = process.argv.indexOf(`--${name}`);
  return i >= 0 ? Number(process.argv[i + 1]) : dflt;
};
const SERIES = arg('series', 400);
const COV = arg('cov', 0.02);
const BUILDS = 12;
const STEP_AT = 6; // index of the first stepped build: build 7 of 12

function gauss(rand: () => number): () => number {
  return () => Math.sqrt(-2 * Math.log(1 - rand())) * Math.cos(2 * Math.PI * rand());
}
const series = (seed: number, n: number, step: number): number[] => {
  const g = gauss(mulberry32(seed));
  return Array.from({ length: n }, (_, i) => 100 * (1 + (i >= STEP_AT ? step : 0)) * (1 + COV * g()));
};
const pct = (k: number, n: number): string => `${((100 * k) / n).toFixed(1)}% (${k}/${n})`;

// 1. A/A change points
function aaChangePoints(): void {
  let alarms = 0;
  for (let s = 0; s < SERIES; s++) if (eDivisive(series(1000 + s, BUILDS, 0), { seed: s + 1 }).length > 0) alarms++;
  console.log(`A/A, ${SERIES} series of ${BUILDS} builds, cov ${COV * 100}%: series with a false change point ${pct(alarms, SERIES)}`);
}

// 1b. the same at the level `history` now uses for a primary metric: 0.05 split among the 7
// primary metrics (Bonferroni), 1999 permutations
function aaChangePointsFamily(): void {
  let alarms = 0;
  const opts = (s: number) => ({ seed: s + 1, significance: 0.05 / PRIMARY_METRICS.length, permutations: 1999 });
  for (let s = 0; s < SERIES; s++) if (eDivisive(series(1000 + s, BUILDS, 0), opts(s)).length > 0) alarms++;
  let found = 0;
  for (let s = 0; s < SERIES; s++) if (eDivisive(series(5000 + s, BUILDS, 0.1), opts(s)).some((c) => Math.abs(c.index - STEP_AT) <= 1)) found++;
  console.log(
    `change points at ${(0.05 / PRIMARY_METRICS.length).toFixed(4)} (0.05 over the ${PRIMARY_METRICS.length} primary metrics), 1999 permutations: ` +
      `A/A series with a false change point ${pct(alarms, SERIES)}; +10% step found within ±1 build ${pct(found, SERIES)}`,
  );
}

// 2. planted steps
const CPU: MetricDef = CATALOGUE.find((m) => m.id === 'cpu_pct') as MetricDef;
/** The other primary metrics, A/A: a verdict on CPU is taken in its real BH family of 7. */
const OTHER_PRIMARY = PRIMARY_METRICS.filter((id) => id !== 'cpu_pct').map((id) => CATALOGUE.find((m) => m.id === id) as MetricDef);
function cpuInFamily(baseline: number[], candidate: number[], g: () => number): ReturnType<typeof analyse>[number] | undefined {
  const aa = OTHER_PRIMARY.map((def) => ({
    def,
    baseline: baseline.map(() => 100 * (1 + COV * g())),
    candidate: candidate.map(() => 100 * (1 + COV * g())),
    noisePct: 2,
    family: 'primary' as const,
  }));
  return analyse([{ def: CPU, baseline, candidate, noisePct: 2, family: 'primary' }, ...aa], { alpha: 0.05 })[0];
}
function steps(step: number): void {
  let detected = 0;
  let latestFlag = 0;
  const delays: number[] = [];
  for (let s = 0; s < SERIES; s++) {
    const z = series(5000 + s, BUILDS, step);
    const near = (cps: { index: number }[]) => cps.some((c) => Math.abs(c.index - STEP_AT) <= 1);
    if (near(eDivisive(z, { seed: s + 1 }))) detected++;
    for (let len = STEP_AT + 2; len <= BUILDS; len++) {
      if (near(eDivisive(z.slice(0, len), { seed: s + 1 }))) {
        delays.push(len - 1 - STEP_AT);
        break;
      }
    }
    // The latest-build verdict on the night of the step: the first stepped build against the
    // six before it (one run each), as `history` judges it.
    const m = cpuInFamily(z.slice(0, STEP_AT), [z[STEP_AT] as number], gauss(mulberry32(77_000 + s)));
    if (m?.verdict === 'regressed') latestFlag++;
  }
  delays.sort((a, b) => a - b);
  const mean = delays.reduce((a, b) => a + b, 0) / Math.max(1, delays.length);
  console.log(
    `step +${step * 100}% at build ${STEP_AT + 1}/${BUILDS}, cov ${COV * 100}%: change point within ±1 build ${pct(detected, SERIES)}; ` +
      `delay (builds after the first stepped one) mean ${mean.toFixed(2)}, median ${delays[Math.floor(delays.length / 2)] ?? 'n/a'}, ` +
      `max ${delays.at(-1) ?? 'n/a'} over ${delays.length} found; latest-build verdict flags the stepped build itself ${pct(latestFlag, SERIES)}`,
  );
}

// 3. one run against many
function oneAgainstMany(n: number, effect: number): string {
  let flagged = 0;
  for (let s = 0; s < SERIES; s++) {
    const g = gauss(mulberry32(90_000 + 1000 * n + s));
    const b = Array.from({ length: n }, () => 100 * (1 + COV * g()));
    const c = 100 * (1 + effect) * (1 + COV * g());
    const m = cpuInFamily(b, [c], g);
    if (effect === 0 ? m?.verdict !== 'unchanged' && m?.verdict !== 'inconclusive' : m?.verdict === 'regressed') flagged++;
  }
  return pct(flagged, SERIES);
}

// 4. history timing on a synthetic warehouse
async function timing(builds: number): Promise<string> {
  const dir = await mkdtemp(join(tmpdir(), 'bench-history-'));
  try {
    const dbPath = join(dir, 'w.duckdb');
    const db = await Warehouse.open(dbPath);
    try {
      await db.runFile('00_hist_schema.sql');
      const g = gauss(mulberry32(builds));
      const rows: { run_id: number; fingerprint: string; metric: string; value: number }[] = [];
      for (let i = 0; i < builds; i++) {
        const tag = `syn-${i}`;
        const start = new Date(Date.UTC(2026, 0, 1) + i * 86_400_000).toISOString();
        const info = { tag, path: `/syn/${tag}`, batch: `build-${String(i).padStart(4, '0')}`, profile: 'synthetic', tracingBackend: 'trace-dispatcher', rtsFlags: ['-N2'], nodeCommit: `c${i}`, nodeBranch: 'main' } as Partial<RunInfo>;
        await db.exec(`INSERT INTO runs VALUES ($id, $path, $tag, $fp, $info, $start::TIMESTAMP, 1, 600, NULL, 6, now()::TIMESTAMP)`, {
          id: i + 1,
          path: `/syn/${tag}`,
          tag,
          fp: `fp${i}`,
          info: JSON.stringify(info),
          start: start.replace('T', ' ').replace('Z', ''),
        });
        for (const m of CATALOGUE) rows.push({ run_id: i + 1, fingerprint: `fp${i}`, metric: m.id, value: 100 * (1 + COV * g()) });
      }
      await storeValues(db, rows, calcKey(DEFAULT_FILTERS));
    } finally {
      db.close();
    }
    // Wall time and this process's CPU time: on a shared machine the CPU time is the steadier figure.
    const time = async (formats: ('json' | 'md' | 'html')[]): Promise<string> => {
      const t0 = performance.now();
      const c0 = process.cpuUsage();
      await runHistory({ paths: [], db: dbPath, out: join(dir, 'out'), formats }, silentLogger);
      const c = process.cpuUsage(c0);
      return `${((performance.now() - t0) / 1000).toFixed(2)} s wall / ${((c.user + c.system) / 1e6).toFixed(2)} s CPU`;
    };
    const json = await time(['json', 'md']);
    const html = await time(['json', 'md', 'html']);
    return `${builds} builds: json+md ${json}; with html (54 trend charts) ${html}`;
  } finally {
    await rm(dir, { recursive: true, force: true });
  }
}

const t0 = performance.now();
aaChangePoints();
aaChangePointsFamily();
steps(0.05);
steps(0.1);
for (const n of [3, 5, 10]) {
  console.log(`one run against ${n} (prediction interval, noise 2%, cov ${COV * 100}%): A/A flagged ${oneAgainstMany(n, 0)}; power at +5% ${oneAgainstMany(n, 0.05)}, at +10% ${oneAgainstMany(n, 0.1)}`);
}
if (!process.argv.includes('--skip-timing')) for (const b of [30, 100, 300]) console.log(`history time, ${await timing(b)}`);
console.log(`total ${((performance.now() - t0) / 1000).toFixed(1)} s`);
