// `npm run bench`: speed, memory and calibration figures for docs/benchmarks.md.
//   1. generate (once, in .bench-data/, outside git) ≥ 1 GB of new-tracing logs with the simulator;
//   2. on the same files, each in its own child process (so peak RSS is its own):
//      the DuckDB full-parse scan of DESIGN §9, `ingest` (malformed-line counting included),
//      and a naive Node readline + JSON.parse pass;
//   3. A/A calibration: many simulated comparisons of one configuration against itself —
//      the share of metrics flagged must stay at or below 5%.
//   4. planted-effect power: how often 6 vs 6 runs find what the simulator planted.
// Usage: node dist/bench/bench.js [--gb 1] [--aa 20] [--planted 20] [--skip-speed] [--skip-aa] [--skip-planted]
import { DuckDBInstance, listValue } from '@duckdb/node-api';
import { execFileSync } from 'node:child_process';
import { createReadStream } from 'node:fs';
import { mkdir, readdir, rm, stat, writeFile } from 'node:fs/promises';
import { join, resolve } from 'node:path';
import { createInterface } from 'node:readline';
import { fileURLToPath } from 'node:url';
import { CATALOGUE } from '../pipeline/catalogue.js';
import { PACKAGE_ROOT, Warehouse } from '../pipeline/db.js';
import { discoverRuns } from '../pipeline/discover.js';
import { DEFAULT_FILTERS } from '../pipeline/filters.js';
import { ingestRuns } from '../pipeline/ingest.js';
import { silentLogger } from '../pipeline/log.js';
import { computeMetrics } from '../pipeline/metrics.js';
import { simulate, type SimulateOptions } from '../pipeline/simulate/index.js';
import type { MetricComparison } from '../pipeline/types.js';
import { analyse } from '../pipeline/verdict.js';

const DATA = join(PACKAGE_ROOT, '.bench-data');
const arg = (name: string, dflt: number): number => {
  const i = process.argv.indexOf(`--${name}`);
  return i >= 0 ? Number(process.argv[i + 1]) : dflt;
};
const flag = (name: string): boolean => process.argv.includes(`--${name}`);

interface Measured {
  seconds: number;
  maxRssMb: number;
  detail: string;
}

// ---- workers (run in a child process: `bench.js --worker MODE DIR`) ----

async function logFiles(dir: string): Promise<string[]> {
  const runs = await discoverRuns([dir]);
  return runs.flatMap((r) => r.nodes.flatMap((n) => n.files));
}

async function worker(mode: string, dir: string): Promise<void> {
  // Discovered once, before the clock starts, for every pass alike.
  const runs = await discoverRuns([dir]);
  const files = runs.flatMap((r) => r.nodes.flatMap((n) => n.files));
  const t0 = performance.now();
  let detail = '';
  if (mode === 'fullparse') {
    const inst = await DuckDBInstance.create(':memory:', { memory_limit: '1GB' });
    const c = await inst.connect();
    const r = await c.runAndReadAll(
      `select count(*) as n, max(length("at")), max(length(ns::varchar)), max(length(data::varchar)), max(length(host))
       from read_ndjson($files, columns={'at':'varchar','ns':'json','data':'json','host':'varchar'}, ignore_errors=true)`,
      { files: listValue(files) },
    );
    detail = `${r.getRowObjectsJson()[0]?.n} rows`;
  } else if (mode === 'ingest') {
    const dbPath = join(DATA, 'bench-ingest.duckdb');
    await rm(dbPath, { force: true });
    await rm(`${dbPath}.wal`, { force: true });
    const db = await Warehouse.open(dbPath, { memoryLimit: '1GB' });
    await ingestRuns(db, runs, silentLogger);
    const [row] = await db.all<{ n: number; m: number; l: number }>('SELECT sum(parsed) n, sum(malformed) m, sum(log_lines) l FROM files');
    detail = `${row?.l} log lines, ${row?.n} parsed, ${row?.m} malformed`;
    db.close();
  } else if (mode === 'naive') {
    let n = 0;
    let bad = 0;
    for (const f of files) {
      const rl = createInterface({ input: createReadStream(f), crlfDelay: Infinity });
      for await (const line of rl) {
        if (!line.startsWith('{')) continue;
        try {
          const o = JSON.parse(line) as { at?: unknown };
          if (o.at !== undefined) n++;
        } catch {
          bad++;
        }
      }
    }
    detail = `${n} objects, ${bad} malformed`;
  }
  const seconds = (performance.now() - t0) / 1000;
  const maxRssMb = process.resourceUsage().maxRSS / 1024;
  process.stdout.write(JSON.stringify({ seconds, maxRssMb, detail }));
}

function measure(mode: string, dir: string): Measured {
  const out = execFileSync(process.execPath, [fileURLToPath(import.meta.url), '--worker', mode, dir], {
    encoding: 'utf8',
    stdio: ['ignore', 'pipe', 'inherit'],
    maxBuffer: 1 << 20,
  });
  return JSON.parse(out) as Measured;
}

// ---- data ----

async function dirBytes(dir: string): Promise<number> {
  let total = 0;
  for (const e of await readdir(dir, { withFileTypes: true, recursive: true })) {
    if (e.isFile() && e.name.startsWith('stdout')) total += (await stat(join(e.parentPath, e.name))).size;
  }
  return total;
}

async function ensureData(gb: number): Promise<{ dir: string; bytes: number }> {
  const dir = join(DATA, `logs-${gb}gb`);
  const target = gb * 1e9;
  await mkdir(dir, { recursive: true });
  let bytes = await dirBytes(dir);
  let seed = 1000 + (await readdir(dir)).length;
  while (bytes < target) {
    const t0 = performance.now();
    await simulate({ out: dir, tracing: 'new', rts: '', nodes: 20, slots: 3600, runs: 1, seed, tagPrefix: 'bench' });
    const now = await dirBytes(dir);
    process.stderr.write(
      `bench: generated run ${seed} (${((now - bytes) / 1e6).toFixed(0)} MB in ${((performance.now() - t0) / 1000).toFixed(1)} s), ${(now / 1e9).toFixed(2)} GB so far\n`,
    );
    bytes = now;
    seed++;
  }
  return { dir, bytes };
}

// ---- verdicts on simulated comparisons (A/A calibration, planted-effect power) ----

type Comparisons = Map<string, MetricComparison>;

/** Simulate a baseline and a candidate set, ingest them, and compare (as `report` does). */
async function simulatedComparison(dir: string, base: SimulateOptions, cand: SimulateOptions): Promise<Comparisons> {
  await rm(dir, { recursive: true, force: true });
  const a = await simulate({ ...base, out: join(dir, 'a'), tagPrefix: 'a' });
  const b = await simulate({ ...cand, out: join(dir, 'b'), tagPrefix: 'b' });
  const db = await Warehouse.open(':memory:');
  try {
    const ids = (await ingestRuns(db, await discoverRuns([...a, ...b]), silentLogger)).map((r) => r.runId);
    const m = await computeMetrics(db, ids, DEFAULT_FILTERS);
    const vals = (slice: number[], id: string): (number | null)[] => slice.map((r) => m.byRun.get(r)?.values.get(id) ?? null);
    const comps = analyse(
      CATALOGUE.map((def) => ({ def, baseline: vals(ids.slice(0, a.length), def.id), candidate: vals(ids.slice(a.length), def.id), noisePct: 2 })),
      { alpha: 0.05 },
    );
    return new Map(comps.map((c) => [c.id, c]));
  } finally {
    db.close();
    await rm(dir, { recursive: true, force: true });
  }
}

const FLAGGED = new Set(['regressed', 'improved', 'changed']);

async function calibrate(comparisons: number): Promise<{ flagged: number; decided: number; varFlagged: number; varDecided: number; perComparison: number[] }> {
  let flagged = 0;
  let decided = 0;
  let varFlagged = 0;
  let varDecided = 0;
  const perComparison: number[] = [];
  const shape = { tracing: 'new', rts: '', nodes: 4, slots: 240, runs: 4 } as const;
  for (let k = 0; k < comparisons; k++) {
    const seed = 50_000 + k * 100;
    const comps = await simulatedComparison(join(DATA, 'aa'), { ...shape, out: '', seed }, { ...shape, out: '', seed: seed + 50 });
    let here = 0;
    for (const c of comps.values()) {
      if (c.verdict === 'insufficient-data') continue;
      decided++;
      if (FLAGGED.has(c.verdict)) {
        flagged++;
        here++;
      }
      if (c.variance.verdict !== 'insufficient-data') {
        varDecided++;
        if (c.variance.verdict !== 'inconclusive') varFlagged++;
      }
    }
    perComparison.push(here);
    process.stderr.write(`bench: A/A comparison ${k + 1}/${comparisons}: ${here} metric(s) flagged\n`);
  }
  return { flagged, decided, varFlagged, varDecided, perComparison };
}

/** How often 6 legacy vs 6 new-tracing runs find what the simulator planted (test/planted.test.ts, many seeds). */
async function plantedPower(comparisons: number): Promise<Record<string, number>> {
  const hits: Record<string, number> = { cpu_regressed: 0, rss_improved: 0, alloc_improved: 0, cpu_ci_covers: 0, rss_ci_covers: 0, alloc_ci_covers: 0, cpu_spread_smaller: 0, propagation_false_flags: 0 };
  const shape = { rts: '', nodes: 5, slots: 150, runs: 6 } as const;
  const planted = { cpu_pct: 8, rss_mb: -15, alloc_mb_s: -25 };
  const covers = (c: MetricComparison | undefined, pct: number): boolean => !!c?.ci95_pct && c.ci95_pct[0] <= pct && c.ci95_pct[1] >= pct;
  for (let k = 0; k < comparisons; k++) {
    const seed = 70_000 + k * 100;
    const comps = await simulatedComparison(join(DATA, 'planted'), { ...shape, tracing: 'legacy', out: '', seed }, { ...shape, tracing: 'new', out: '', seed: seed + 50 });
    const add = (key: string, ok: boolean): void => void (hits[key] = (hits[key] ?? 0) + (ok ? 1 : 0));
    add('cpu_regressed', comps.get('cpu_pct')?.verdict === 'regressed');
    add('rss_improved', comps.get('rss_mb')?.verdict === 'improved');
    add('alloc_improved', comps.get('alloc_mb_s')?.verdict === 'improved');
    add('cpu_ci_covers', covers(comps.get('cpu_pct'), planted.cpu_pct));
    add('rss_ci_covers', covers(comps.get('rss_mb'), planted.rss_mb));
    add('alloc_ci_covers', covers(comps.get('alloc_mb_s'), planted.alloc_mb_s));
    add('cpu_spread_smaller', comps.get('cpu_pct')?.variance.verdict === 'smaller');
    add('propagation_false_flags', [...comps.values()].some((c) => ['forging', 'peer', 'propagation'].includes(c.section) && FLAGGED.has(c.verdict)));
    process.stderr.write(`bench: planted comparison ${k + 1}/${comparisons}\n`);
  }
  return hits;
}

// ---- main ----

async function main(): Promise<void> {
  if (process.argv[2] === '--worker') {
    await worker(process.argv[3] ?? '', resolve(process.argv[4] ?? '.'));
    return;
  }
  const results: Record<string, unknown> = { date: new Date().toISOString(), node: process.version, cpus: (await import('node:os')).cpus().length };
  if (!flag('skip-speed')) {
    const { dir, bytes } = await ensureData(arg('gb', 1));
    const mb = bytes / 1048576;
    process.stderr.write(`bench: measuring on ${(bytes / 1e9).toFixed(2)} GB in ${dir}\n`);
    const full = measure('fullparse', dir);
    const ing = measure('ingest', dir);
    const naive = measure('naive', dir);
    const row = (name: string, m: Measured): string =>
      `| ${name} | ${m.seconds.toFixed(2)} s | ${(mb / m.seconds).toFixed(0)} MiB/s | ${(m.seconds / full.seconds).toFixed(2)}× | ${m.maxRssMb.toFixed(0)} MiB | ${m.detail} |`;
    const table = [
      `Input: ${(bytes / 1e9).toFixed(2)} GB (${mb.toFixed(0)} MiB) of simulated new-tracing logs, ${(await logFiles(dir)).length} files.`,
      '',
      '| pass | time | throughput | vs full parse | peak RSS | rows |',
      '|---|---|---|---|---|---|',
      row('DuckDB full-parse scan (DESIGN §9)', full),
      row('bench-report ingest', ing),
      row('naive Node readline + JSON.parse', naive),
      '',
      `ingest / full parse = ${(ing.seconds / full.seconds).toFixed(2)}× (target ≤ 1.5×); naive Node / ingest = ${(naive.seconds / ing.seconds).toFixed(2)}× (target ≥ 4×); ingest peak RSS ${ing.maxRssMb.toFixed(0)} MiB (target ≤ 1536 MiB).`,
    ].join('\n');
    process.stdout.write(`\n${table}\n`);
    Object.assign(results, { bytes, fullparse: full, ingest: ing, naive });
  }
  if (!flag('skip-aa')) {
    const n = arg('aa', 20);
    const c = await calibrate(n);
    const share = c.flagged / Math.max(1, c.decided);
    const line = `A/A calibration: ${n} comparisons of 4 vs 4 runs (new tracing, 4 nodes × 240 slots, different seeds): ${c.flagged} of ${c.decided} decidable metric verdicts flagged = ${(share * 100).toFixed(2)}% (target ≤ 5%); variance verdicts flagged ${c.varFlagged} of ${c.varDecided} = ${((c.varFlagged / Math.max(1, c.varDecided)) * 100).toFixed(2)}%; flagged per comparison: ${c.perComparison.join(', ')}.`;
    process.stdout.write(`\n${line}\n`);
    Object.assign(results, { calibration: { ...c, share } });
  }
  if (!flag('skip-planted')) {
    const n = arg('planted', 20);
    const p = await plantedPower(n);
    const pct = (k: string): string => `${(((p[k] ?? 0) / n) * 100).toFixed(0)}%`;
    const line = `Planted effects: ${n} comparisons of 6 legacy vs 6 new-tracing runs (5 nodes × 150 slots): CPU +8% flagged regressed in ${pct('cpu_regressed')}, RSS −15% improved in ${pct('rss_improved')}, allocation −25% improved in ${pct('alloc_improved')}; 95% CIs covered the planted CPU/RSS/allocation values in ${pct('cpu_ci_covers')}/${pct('rss_ci_covers')}/${pct('alloc_ci_covers')}; CPU spread 'smaller' in ${pct('cpu_spread_smaller')}; comparisons with any forging/peer/propagation metric flagged: ${pct('propagation_false_flags')}.`;
    process.stdout.write(`\n${line}\n`);
    Object.assign(results, { planted: { comparisons: n, hits: p } });
  }
  await mkdir(DATA, { recursive: true });
  await writeFile(join(DATA, 'results.json'), JSON.stringify(results, null, 2));
  process.stderr.write(`bench: results in ${join(DATA, 'results.json')}\n`);
}

await main();
