// `npm run bench:noise`: per-metric noise thresholds from A/A simulations (DESIGN §5.1), and the
// verdict rates they give at 5 vs 5 runs. Seeded, so a rerun gives the same figures.
//   1. simulate three pools of one configuration (new tracing, default RTS): a calibration pool
//      and an evaluation pool; and a pool of each planted RTS setting (-A64m, -N4, -xn);
//   2. ingest each pool and read every run's metric values;
//   3. threshold per metric = K × the calibration pool's run-to-run CoV, rounded up to 0.5%,
//      at least 1% (pipeline/analysis/noise-history.ts; metrics with a zero mean keep the 2% default);
//   4. on the evaluation pool: random 5 vs 5 A/A splits → share flagged, unchanged, inconclusive,
//      with the flat 2% and with the calibrated thresholds;
//   5. planted power: 5 evaluation runs against 5 runs of each RTS pool → share of comparisons
//      that find each planted effect (expectedRatios) with the right verdict, and false flags.
// Usage: node dist/bench/noise.js [--runs 16] [--planted-runs 8] [--splits 200] [--k 2] [--nodes 6] [--slots 180]
import { existsSync } from 'node:fs';
import { mkdir, readFile, rm, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { CATALOGUE, silentLogger, mulberry32 as rng } from '../pipeline/core/index.js';
import { PACKAGE_ROOT, Warehouse, ingestRuns } from '../pipeline/warehouse/index.js';
import { discoverRuns } from '../pipeline/discover/index.js';
import { DEFAULT_FILTERS, computeMetrics } from '../pipeline/metrics/index.js';
import { expectedRatios, simulate } from '../pipeline/simulate/index.js';
import { thresholdFromSpread, describe as stats, analyse } from '../pipeline/analysis/index.js';

const DATA = join(PACKAGE_ROOT, '.bench-data', 'noise');
const arg = (name: string, dflt: number): number => {
  const i = process.argv.indexOf(`--${name}`);
  return i >= 0 ? Number(process.argv[i + 1]) : dflt;
};

type Pool = Map<string, (number | null)[]>; // metric id → run values

/** 1–2. Simulate one pool and read every run's metric values. */
async function pool(name: string, rts: string, runs: number, seed: number, shape: { nodes: number; slots: number }): Promise<Pool> {
  // Pools are cached by their parameters, so trying another K does not simulate again.
  const cache = join(DATA, `pool-${name}-${rts || 'default'}-${runs}-${seed}-${shape.nodes}x${shape.slots}.json`);
  if (existsSync(cache)) return new Map(Object.entries(JSON.parse(await readFile(cache, 'utf8')) as Record<string, (number | null)[]>));
  const p = await simulatePool(name, rts, runs, seed, shape);
  await writeFile(cache, JSON.stringify(Object.fromEntries(p)));
  return p;
}

async function simulatePool(name: string, rts: string, runs: number, seed: number, shape: { nodes: number; slots: number }): Promise<Pool> {
  const dir = join(DATA, name);
  await rm(dir, { recursive: true, force: true });
  const dirs = await simulate({ out: dir, tracing: 'new', rts, runs, seed, gzip: false, ...shape });
  const db = await Warehouse.open(':memory:');
  try {
    const ids = (await ingestRuns(db, await discoverRuns(dirs), silentLogger)).map((r) => r.runId);
    const m = await computeMetrics(db, ids, DEFAULT_FILTERS);
    process.stderr.write(`noise: pool ${name} (${runs} runs) read\n`);
    return new Map(CATALOGUE.map((d) => [d.id, ids.map((r) => m.byRun.get(r)?.values.get(d.id) ?? null)]));
  } finally {
    db.close();
    await rm(dir, { recursive: true, force: true });
  }
}

function sample(n: number, k: number, rand: () => number): number[] {
  const idx = Array.from({ length: n }, (_, i) => i);
  for (let i = n - 1; i > 0; i--) {
    const j = Math.floor(rand() * (i + 1));
    [idx[i], idx[j]] = [idx[j] as number, idx[i] as number];
  }
  return idx.slice(0, k);
}

const pick = (xs: (number | null)[], idx: number[]): (number | null)[] => idx.map((i) => xs[i] ?? null);
const FLAGGED = new Set(['regressed', 'improved', 'changed']);

function compare(base: Pool, bi: number[], cand: Pool, ci: number[], noise: (id: string) => number) {
  return analyse(
    CATALOGUE.map((def) => ({ def, baseline: pick(base.get(def.id) ?? [], bi), candidate: pick(cand.get(def.id) ?? [], ci), noisePct: noise(def.id) })),
    { alpha: 0.05 },
  );
}

/** 4. A/A splits of the evaluation pool: verdict shares over all decidable metric verdicts. */
function aa(evalPool: Pool, n: number, splits: number, noise: (id: string) => number) {
  const rand = rng(7);
  const count = { flagged: 0, unchanged: 0, inconclusive: 0, decided: 0, anyFlag: 0 };
  const perMetric = new Map<string, { unchanged: number; inconclusive: number; flagged: number }>();
  for (let s = 0; s < splits; s++) {
    const idx = sample(n, 10, rand);
    const comps = compare(evalPool, idx.slice(0, 5), evalPool, idx.slice(5), noise);
    let any = false;
    for (const c of comps) {
      if (c.verdict === 'insufficient-data') continue;
      count.decided++;
      const pm = perMetric.get(c.id) ?? { unchanged: 0, inconclusive: 0, flagged: 0 };
      if (FLAGGED.has(c.verdict)) {
        count.flagged++;
        pm.flagged++;
        any = true;
      } else if (c.verdict === 'unchanged') {
        count.unchanged++;
        pm.unchanged++;
      } else {
        count.inconclusive++;
        pm.inconclusive++;
      }
      perMetric.set(c.id, pm);
    }
    if (any) count.anyFlag++;
  }
  return { ...count, splits, perMetric: Object.fromEntries(perMetric) };
}

/** 5. Planted effects at 5 vs 5: hits per planted metric, and flags on unplanted metrics. */
function planted(evalPool: Pool, n: number, cand: Pool, m: number, rts: string, splits: number, noise: (id: string) => number) {
  const rand = rng(11);
  const base = expectedRatios('new', '');
  const ratio = expectedRatios('new', rts);
  const effects = Object.entries(ratio)
    .map(([id, r]) => ({ id, pct: 100 * (r / (base[id] ?? 1) - 1) }))
    .filter((e) => Math.abs(e.pct) > 0.5 && CATALOGUE.some((d) => d.id === e.id));
  const hits: Record<string, number> = Object.fromEntries(effects.map((e) => [e.id, 0]));
  let falseFlags = 0;
  let unplanted = 0;
  for (let s = 0; s < splits; s++) {
    const comps = compare(evalPool, sample(n, 5, rand), cand, sample(m, 5, rand), noise);
    for (const c of comps) {
      const e = effects.find((x) => x.id === c.id);
      if (e) {
        const want = c.better === 'none' ? 'changed' : (e.pct > 0) === (c.better === 'lower') ? 'regressed' : 'improved';
        if (c.verdict === want) hits[e.id] = (hits[e.id] ?? 0) + 1;
      } else if (c.verdict !== 'insufficient-data') {
        unplanted++;
        if (FLAGGED.has(c.verdict)) falseFlags++;
      }
    }
  }
  return { rts, effects: effects.map((e) => ({ ...e, power: (hits[e.id] ?? 0) / splits })), falseFlagRate: falseFlags / Math.max(1, unplanted) };
}

async function main(): Promise<void> {
  const shape = { nodes: arg('nodes', 6), slots: arg('slots', 180) };
  const runs = arg('runs', 16);
  const plantedRuns = arg('planted-runs', 8);
  const splits = arg('splits', 200);
  const k = arg('k', 2);
  await mkdir(DATA, { recursive: true });
  const t0 = performance.now();
  const cal = await pool('cal', '', runs, 70_001, shape);
  const evalPool = await pool('eval', '', runs, 71_001, shape);
  const rtsPools: [string, Pool][] = [];
  for (const [i, rts] of ['-A64m', '-N4', '-xn'].entries()) rtsPools.push([rts, await pool(`rts${i}`, rts, plantedRuns, 72_001 + 1000 * i, shape)]);

  const thresholds: Record<string, number | null> = {};
  const cov: Record<string, number | null> = {};
  for (const d of CATALOGUE) {
    const s = stats(cal.get(d.id) ?? []);
    cov[d.id] = s.cov === null ? null : Math.abs(s.cov) * 100;
    thresholds[d.id] = thresholdFromSpread(cal.get(d.id) ?? [], k);
  }
  const calibrated = (id: string): number => thresholds[id] ?? 2;
  const flat = (): number => 2;
  const result = {
    shape: { ...shape, tracing: 'new', rts: 'default', calibrationRuns: runs, evaluationRuns: runs, plantedRuns, splits, k },
    cov,
    thresholds,
    aa: { flat: aa(evalPool, runs, splits, flat), calibrated: aa(evalPool, runs, splits, calibrated) },
    planted: {
      flat: rtsPools.map(([rts, p]) => planted(evalPool, runs, p, plantedRuns, rts, splits, flat)),
      calibrated: rtsPools.map(([rts, p]) => planted(evalPool, runs, p, plantedRuns, rts, splits, calibrated)),
    },
    seconds: (performance.now() - t0) / 1000,
  };
  await writeFile(join(DATA, 'results.json'), `${JSON.stringify(result, null, 2)}\n`);
  const pct = (x: number, of: number) => `${((100 * x) / Math.max(1, of)).toFixed(1)}%`;
  for (const mode of ['flat', 'calibrated'] as const) {
    const a = result.aa[mode];
    process.stdout.write(
      `A/A ${mode}: flagged ${pct(a.flagged, a.decided)}, unchanged ${pct(a.unchanged, a.decided)}, inconclusive ${pct(a.inconclusive, a.decided)} of ${a.decided} verdicts; comparisons with any flag ${pct(a.anyFlag, a.splits)}\n`,
    );
    for (const p of result.planted[mode]) {
      process.stdout.write(`planted ${mode} ${p.rts}: ${p.effects.map((e) => `${e.id} ${e.pct.toFixed(1)}% → ${(100 * e.power).toFixed(0)}%`).join(', ')}; unplanted flagged ${(100 * p.falseFlagRate).toFixed(2)}%\n`);
    }
  }
  process.stdout.write(`thresholds: ${JSON.stringify(thresholds)}\n`);
  process.stdout.write(`noise: ${result.seconds.toFixed(0)} s; results in ${join(DATA, 'results.json')}\n`);
}

await main();
