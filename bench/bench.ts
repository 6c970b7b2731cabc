// `npm run bench`: speed, memory and calibration figures for docs/benchmarks.md.
//   1. generate (once, in .bench-data/, outside git) simulated logs: new-tracing runs of 20 nodes
//      × 3600 slots (≥ --gb, default 1 GB), legacy-tracing runs (--legacy-gb, default 0.25 GB)
//      and one run with ONE node log of --big-gb (default 2 GB);
//   2. on the same files, each pass in its own child process (so peak RSS and CPU seconds are
//      its own), --repeat times, alternating: the DuckDB full-parse scan of DESIGN §9, `ingest`
//      into a fresh warehouse (line census and malformed-line counting included) and a naive Node
//      readline + JSON.parse pass; the ratios are taken within each repeat (the machine is shared:
//      side by side is the only fair comparison) and reported as min–max; then the metrics stage
//      on the warehouse just written. With --baseline DIR (a built checkout of an older version,
//      e.g. the wide `events` layout at acbbe57), its ingest and metrics run beside ours;
//   3. marginal (--marginal 0.25,0.5,1,2, the default; --skip-marginal): the full parse, ingest
//      and naive Node side by side at each size, the ratio per size and the slope of CPU-seconds
//      over GB per pass (the cost of each extra GB), with peak RSS;
//      scale (--scale 0.25,1,2,4): ingest time and peak RSS of the first runs of the new-tracing
//      set that make up each size, and the projection to a 52-node, 100 GB run;
//   4. A/A calibration: many simulated comparisons of one configuration against itself —
//      the share of metrics flagged must stay at or below 5%.
//   5. planted-effect power: how often 6 vs 6 runs find what the simulator planted.
// Usage: node dist/bench/bench.js [--gb 1] [--legacy-gb 0.25] [--big-gb 2] [--repeat 3]
//   [--baseline DIR] [--marginal 0.25,0.5,1,2] [--scale 0.25,1,2,4] [--aa 20] [--planted 20]
//   [--skip-speed] [--skip-big] [--skip-marginal] [--skip-aa] [--skip-planted]
import { DuckDBInstance, listValue } from '@duckdb/node-api';
import { execFileSync } from 'node:child_process';
import { createHash } from 'node:crypto';
import { createReadStream, existsSync } from 'node:fs';
import { mkdir, readdir, rm, stat, writeFile } from 'node:fs/promises';
import { join, resolve } from 'node:path';
import { createInterface } from 'node:readline';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { CATALOGUE, silentLogger } from '../pipeline/core/index.js';
import { PACKAGE_ROOT, Warehouse, ingestRuns } from '../pipeline/warehouse/index.js';
import { discoverRuns } from '../pipeline/discover/index.js';
import { DEFAULT_FILTERS, computeMetrics } from '../pipeline/metrics/index.js';
import { simulate, type SimulateOptions, type TracingFormat } from '../pipeline/simulate/index.js';
import type { MetricComparison } from '../pipeline/core/index.js';
import { analyse } from '../pipeline/analysis/index.js';

const DATA = join(PACKAGE_ROOT, '.bench-data');
const arg = (name: string, dflt: number): number => {
  const i = process.argv.indexOf(`--${name}`);
  return i >= 0 ? Number(process.argv[i + 1]) : dflt;
};
const argStr = (name: string): string | undefined => {
  const i = process.argv.indexOf(`--${name}`);
  return i >= 0 ? process.argv[i + 1] : undefined;
};
const flag = (name: string): boolean => process.argv.includes(`--${name}`);

interface Measured {
  seconds: number;
  /** User + system CPU of the whole process (every DuckDB thread): steadier than wall time here. */
  cpu: number;
  maxRssMb: number;
  detail: string;
  dbMb?: number;
  /** Used blocks of the warehouse before it is closed (free blocks left by appends not counted). */
  usedMb?: number;
  /** ingest: the warehouse's rows (warehouseDigest); metrics: every metric value. */
  digest?: string;
}

// ---- workers (run in a child process: `bench.js --worker MODE ROOT DB RUN...`) ----
// ROOT is the checkout whose dist/ is measured (this one, or --baseline), so an older version
// runs the same passes on the same files.

async function worker(mode: string, root: string, dbPath: string, runDirs: string[]): Promise<void> {
  // A stage's door (dist/pipeline/<stage>/index.js); a baseline built before the stage folders
  // has the module flat in dist/pipeline/.
  const mod = async <T>(stage: string, flat: string): Promise<T> => {
    const door = join(root, 'dist/pipeline', stage, 'index.js');
    return (await import(pathToFileURL(existsSync(door) ? door : join(root, 'dist/pipeline', flat)).href)) as T;
  };
  const { discoverRuns: discover } = await mod<{ discoverRuns: typeof discoverRuns }>('discover', 'discover.js');
  const { Warehouse: W } = await mod<{ Warehouse: typeof Warehouse }>('warehouse', 'db.js');
  // Discovered once, before the clock starts, for every pass alike.
  const runs = await discover(runDirs);
  const files = runs.flatMap((r) => r.nodes.flatMap((n) => n.files));
  const t0 = performance.now();
  const c0 = process.cpuUsage();
  let detail = '';
  let dbMb: number | undefined;
  let usedMb: number | undefined;
  let digest: string | undefined;
  let untimedCpu = 0;
  let untimedSeconds = 0;
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
    const { ingestRuns: ingest } = await mod<{ ingestRuns: typeof ingestRuns }>('warehouse', 'ingest.js');
    for (const p of [dbPath, `${dbPath}.wal`, `${dbPath}.tmp`]) await rm(p, { force: true, recursive: true });
    const db = await W.open(dbPath, { memoryLimit: '1GB' });
    await ingest(db, runs, silentLogger);
    const [row] = await db.all<{ n: number; m: number; l: number }>('SELECT sum(parsed) n, sum(malformed) m, sum(log_lines) l FROM files');
    detail = `${row?.l} log lines, ${row?.n} parsed, ${row?.m} malformed`;
    // Not part of ingest: its time is taken out of the figures below.
    const d0 = process.cpuUsage();
    const dt = performance.now();
    digest = await warehouseDigest(db);
    const dc = process.cpuUsage(d0);
    untimedCpu += (dc.user + dc.system) / 1e6;
    untimedSeconds += (performance.now() - dt) / 1000;
    const [size] = await db.all<{ used: number; bs: number }>('SELECT used_blocks AS used, block_size AS bs FROM pragma_database_size() WHERE database_name = current_database()');
    usedMb = ((size?.used ?? 0) * (size?.bs ?? 0)) / 1048576;
    // As `bench-report ingest` closes it: compacted when appends left free blocks (older
    // checkouts, without closeCompacting, just close).
    const compacting = (db as { closeCompacting?: () => Promise<unknown> }).closeCompacting;
    if (compacting) await compacting.call(db);
    else db.close();
    dbMb = (await stat(dbPath)).size / 1048576;
  } else if (mode === 'metrics') {
    const { computeMetrics: metrics } = await mod<{ computeMetrics: typeof computeMetrics }>('metrics', 'metrics.js');
    const { DEFAULT_FILTERS: filters } = await mod<{ DEFAULT_FILTERS: typeof DEFAULT_FILTERS }>('metrics', 'filters.js');
    const db = await W.open(dbPath, { memoryLimit: '1GB' });
    const ids = (await db.all<{ run_id: number }>('SELECT run_id FROM runs ORDER BY run_id')).map((r) => r.run_id);
    const m = await metrics(db, ids, filters);
    detail = `${ids.length} runs, ${[...m.byRun.values()].reduce((s, r) => s + r.values.size, 0)} values`;
    // Every value of every run, in run order (run ids follow the order runs were given).
    digest = createHash('sha256')
      .update(JSON.stringify(ids.map((id) => [...(m.byRun.get(id)?.values ?? new Map())].sort(([a], [b]) => a.localeCompare(b)))))
      .digest('hex')
      .slice(0, 16);
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
  const seconds = (performance.now() - t0) / 1000 - untimedSeconds;
  const cu = process.cpuUsage(c0);
  cu.user -= untimedCpu * 1e6;
  const maxRssMb = process.resourceUsage().maxRSS / 1024;
  process.stdout.write(JSON.stringify({ seconds, cpu: (cu.user + cu.system) / 1e6, maxRssMb, detail, dbMb, usedMb, digest }));
}

/**
 * The rows a warehouse holds for its runs, as one digest: per table, the row count and the
 * sum of the rows' hashes (order-free; run ids left out, so two warehouses of the same runs
 * compare equal). Equal digests before and after a change of ingest: the same rows.
 */
async function warehouseDigest(db: Warehouse): Promise<string> {
  const parts: string[] = [];
  for (const t of ['files', 'ev_resources', 'ev_slot', 'ev_block', 'msg_counts', 'malformed_samples']) {
    const exclude = t === 'files' ? 'run_id, path' : 'run_id';
    const [r] = await db.all<{ n: number; h: string }>(`SELECT count(*) AS n, sum(hash(t::VARCHAR))::VARCHAR AS h FROM (SELECT * EXCLUDE (${exclude}) FROM ${t}) AS t`);
    parts.push(`${t}:${r?.n}:${r?.h}`);
  }
  return createHash('sha256').update(parts.join('|')).digest('hex').slice(0, 16);
}

function measure(mode: string, runDirs: string[], opts: { root?: string; db?: string } = {}): Measured {
  const args = [fileURLToPath(import.meta.url), '--worker', mode, opts.root ?? PACKAGE_ROOT, opts.db ?? join(DATA, 'bench-ingest.duckdb'), ...runDirs];
  const out = execFileSync(process.execPath, args, { encoding: 'utf8', stdio: ['ignore', 'pipe', 'inherit'], maxBuffer: 1 << 20 });
  const m = JSON.parse(out) as Measured;
  process.stderr.write(`bench:   ${mode}${opts.root ? ` (${opts.root})` : ''}: ${m.seconds.toFixed(2)} s, ${m.cpu.toFixed(2)} CPU-s, ${m.maxRssMb.toFixed(0)} MiB\n`);
  return m;
}

// ---- data ----

async function runBytes(run: string): Promise<number> {
  let total = 0;
  for (const e of await readdir(run, { withFileTypes: true, recursive: true })) {
    if (e.isFile() && e.name.startsWith('stdout')) total += (await stat(join(e.parentPath, e.name))).size;
  }
  return total;
}

interface RunSet {
  runs: string[];
  bytes: number;
  files: number;
}

/** The runs of a generated pool, in seed order, with their log bytes. */
async function pool(dir: string): Promise<{ run: string; bytes: number }[]> {
  await mkdir(dir, { recursive: true });
  const names = (await readdir(dir, { withFileTypes: true })).filter((d) => d.isDirectory() && !d.name.startsWith('.')).map((d) => d.name).sort();
  return Promise.all(names.map(async (n) => ({ run: join(dir, n), bytes: await runBytes(join(dir, n)) })));
}

/** Simulated runs (20 nodes × 3600 slots each) in .bench-data/<tracing>/ until they hold ≥ gb. */
async function ensurePool(tracing: TracingFormat, gb: number): Promise<void> {
  const dir = join(DATA, tracing);
  let runs = await pool(dir);
  let bytes = runs.reduce((s, r) => s + r.bytes, 0);
  while (bytes < gb * 1e9) {
    const seed = (tracing === 'new' ? 1000 : 5000) + runs.length;
    const t0 = performance.now();
    await simulate({ out: dir, tracing, rts: '', nodes: 20, slots: 3600, runs: 1, seed, tagPrefix: `bench-${tracing}` });
    runs = await pool(dir);
    const now = runs.reduce((s, r) => s + r.bytes, 0);
    process.stderr.write(`bench: generated ${tracing} run ${seed} (${((now - bytes) / 1e6).toFixed(0)} MB in ${((performance.now() - t0) / 1000).toFixed(1)} s), ${(now / 1e9).toFixed(2)} GB so far\n`);
    bytes = now;
  }
}

/** The first runs of a pool that together hold at least gb. */
async function select(tracing: TracingFormat, gb: number): Promise<RunSet> {
  await ensurePool(tracing, gb);
  const out: RunSet = { runs: [], bytes: 0, files: 0 };
  for (const r of await pool(join(DATA, tracing))) {
    if (out.bytes >= gb * 1e9) break;
    out.runs.push(r.run);
    out.bytes += r.bytes;
  }
  out.files = (await discoverRuns(out.runs)).reduce((s, r) => s + r.nodes.reduce((t, n) => t + n.files.length, 0), 0);
  return out;
}

/** One run whose single node writes one log of ≥ gb (a node over many slots: ~2 KB per slot). */
async function ensureBigNode(gb: number): Promise<RunSet> {
  const dir = join(DATA, `one-node-${gb}gb`);
  let runs = await pool(dir);
  if (runs.length === 0) {
    const t0 = performance.now();
    await simulate({ out: dir, tracing: 'new', rts: '', nodes: 1, slots: Math.ceil((gb * 1e9) / 2000), runs: 1, seed: 9000, tagPrefix: 'bench-one-node' });
    runs = await pool(dir);
    process.stderr.write(`bench: generated one node log of ${((runs[0]?.bytes ?? 0) / 1e9).toFixed(2)} GB in ${((performance.now() - t0) / 1000).toFixed(1)} s\n`);
  }
  return { runs: runs.map((r) => r.run), bytes: runs.reduce((s, r) => s + r.bytes, 0), files: 1 };
}

// ---- speed ----

const range = (xs: number[], digits = 2): string => {
  const lo = Math.min(...xs).toFixed(digits);
  const hi = Math.max(...xs).toFixed(digits);
  return lo === hi ? lo : `${lo}–${hi}`;
};
const MiB = 1048576;

/** Full parse, ingest and naive Node side by side, `repeat` times; ratios within each repeat. */
function sideBySide(name: string, set: RunSet, repeat: number, baseline?: string): { lines: string[]; data: Record<string, unknown> } {
  const passes: Record<string, Measured[]> = { fullparse: [], ingest: [], naive: [], metrics: [] };
  if (baseline) Object.assign(passes, { old_ingest: [], old_metrics: [] });
  const oldDb = join(DATA, 'bench-baseline.duckdb');
  for (let r = 0; r < repeat; r++) {
    process.stderr.write(`bench: ${name}, repeat ${r + 1}/${repeat}\n`);
    passes.fullparse?.push(measure('fullparse', set.runs));
    passes.ingest?.push(measure('ingest', set.runs));
    passes.metrics?.push(measure('metrics', set.runs));
    if (baseline) {
      passes.old_ingest?.push(measure('ingest', set.runs, { root: baseline, db: oldDb }));
      passes.old_metrics?.push(measure('metrics', set.runs, { root: baseline, db: oldDb }));
    }
    passes.naive?.push(measure('naive', set.runs));
  }
  const mb = set.bytes / MiB;
  const p = (k: string): Measured[] => passes[k] ?? [];
  const ratio = (a: string, b: string, key: 'seconds' | 'cpu' | 'usedMb'): number[] => p(a).map((m, i) => (m[key] ?? NaN) / (p(b)[i]?.[key] ?? NaN));
  const row = (label: string, k: string): string =>
    `| ${label} | ${range(p(k).map((m) => m.seconds))} s | ${range(p(k).map((m) => m.cpu))} s | ${range(p(k).map((m) => mb / m.seconds), 0)} MiB/s | ${range(ratio(k, 'fullparse', 'seconds'))}× | ${range(ratio(k, 'fullparse', 'cpu'))}× | ${range(p(k).map((m) => m.maxRssMb), 0)} MiB |`;
  const lines = [
    `${name}: ${(set.bytes / 1e9).toFixed(2)} GB (${mb.toFixed(0)} MiB), ${set.runs.length} run(s), ${set.files} files; ${repeat} repeat(s), min–max.`,
    '',
    '| pass | wall | CPU | throughput | wall vs full parse | CPU vs full parse | peak RSS |',
    '|---|---|---|---|---|---|---|',
    row('DuckDB full-parse scan (DESIGN §9)', 'fullparse'),
    row('bench-report ingest', 'ingest'),
    row('naive Node readline + JSON.parse', 'naive'),
    ...(baseline ? [row(`ingest of ${baseline}`, 'old_ingest')] : []),
    '',
    `ingest / full parse: wall ${range(ratio('ingest', 'fullparse', 'seconds'))}×, CPU ${range(ratio('ingest', 'fullparse', 'cpu'))}× (target ≤ 2×); ` +
      `naive Node / ingest: wall ${range(ratio('naive', 'ingest', 'seconds'))}×, CPU ${range(ratio('naive', 'ingest', 'cpu'))}× (target ≥ 2×, issue 21); ` +
      `ingest peak RSS ${range(p('ingest').map((m) => m.maxRssMb), 0)} MiB (target ≤ 1024 MiB); warehouse ${(p('ingest')[0]?.dbMb ?? 0).toFixed(1)} MiB` +
      (baseline ? ` (baseline: ${(p('old_ingest')[0]?.dbMb ?? 0).toFixed(1)} MiB = ${(((p('ingest')[0]?.dbMb ?? 0) / (p('old_ingest')[0]?.dbMb ?? NaN)) * 100).toFixed(0)}%; used blocks ${range(p('ingest').map((m) => m.usedMb ?? NaN))} against ${range(p('old_ingest').map((m) => m.usedMb ?? NaN))} MiB = ${range(ratio('ingest', 'old_ingest', 'usedMb').map((x) => x * 100), 0)}%)` : '') +
      '.',
    ...(baseline
      ? [
          `Equality with the baseline: warehouse rows ${same(p('ingest'), p('old_ingest'))}, every metric value ${same(p('metrics'), p('old_metrics'))} (digests ${[...new Set(p('ingest').map((m) => m.digest))].join(', ')} / ${[...new Set(p('metrics').map((m) => m.digest))].join(', ')}).`,
        ]
      : [`Digests (compare with another checkout's): warehouse rows ${[...new Set(p('ingest').map((m) => m.digest))].join(', ')}, metric values ${[...new Set(p('metrics').map((m) => m.digest))].join(', ')}.`]),
    `metrics stage on that warehouse: wall ${range(p('metrics').map((m) => m.seconds))} s, CPU ${range(p('metrics').map((m) => m.cpu))} s` +
      (baseline
        ? `; baseline ${range(p('old_metrics').map((m) => m.seconds))} s, CPU ${range(p('old_metrics').map((m) => m.cpu))} s; new / baseline: wall ${range(ratio('metrics', 'old_metrics', 'seconds'))}×, CPU ${range(ratio('metrics', 'old_metrics', 'cpu'))}×`
        : '') +
      '.',
  ];
  return { lines, data: { bytes: set.bytes, runs: set.runs.length, files: set.files, passes } };
}

/** 'identical' when every repeat of both passes gave one and the same digest, else what differed. */
function same(a: Measured[], b: Measured[]): string {
  const all = new Set([...a, ...b].map((m) => m.digest));
  return all.size === 1 ? 'identical' : `DIFFERENT (${[...all].join(' vs ')})`;
}

/** Least-squares slope and intercept of y over x. */
function fit(x: number[], y: number[]): { slope: number; intercept: number } {
  const n = x.length;
  const mx = x.reduce((s, v) => s + v, 0) / n;
  const my = y.reduce((s, v) => s + v, 0) / n;
  const sxx = x.reduce((s, v) => s + (v - mx) ** 2, 0);
  const slope = x.reduce((s, v, i) => s + (v - mx) * ((y[i] ?? 0) - my), 0) / sxx;
  return { slope, intercept: my - slope * mx };
}

const median = (xs: number[]): number => {
  const s = [...xs].sort((a, b) => a - b);
  const m = Math.floor(s.length / 2);
  return s.length % 2 ? (s[m] ?? NaN) : ((s[m - 1] ?? NaN) + (s[m] ?? NaN)) / 2;
};

/**
 * The marginal cost: the full parse, ingest and naive Node side by side at each size (the
 * first new-tracing runs that make it up), `repeat` times in turn; per size the ratio to the
 * full parse (min–max over repeats), and per pass the slope of CPU-seconds over GB through the
 * sizes (the cost of each extra GB, start-up left in the intercept), with peak RSS. The ratio
 * at one size mixes fixed costs in; the slope does not.
 */
function marginal(sizes: number[], repeat: number, sets: RunSet[]): { lines: string[]; data: unknown } {
  const passes = ['fullparse', 'ingest', 'naive'] as const;
  const at: Record<string, Measured[]>[] = sets.map(() => ({ fullparse: [], ingest: [], naive: [] }));
  for (let r = 0; r < repeat; r++) {
    for (const [i, set] of sets.entries()) {
      process.stderr.write(`bench: marginal ${sizes[i]} GB, repeat ${r + 1}/${repeat}\n`);
      for (const k of passes) at[i]?.[k]?.push(measure(k, set.runs));
    }
  }
  const gb = sets.map((s) => s.bytes / 1e9);
  const cpu = (i: number, k: string): number[] => (at[i]?.[k] ?? []).map((m) => m.cpu);
  const ratios = (i: number, k: string): number[] => cpu(i, k).map((c, j) => c / (cpu(i, 'fullparse')[j] ?? NaN));
  // A slope per repeat (each through every size), and one through the medians.
  const slopes = (k: string): number[] => Array.from({ length: repeat }, (_, j) => fit(gb, gb.map((_, i) => cpu(i, k)[j] ?? NaN)).slope);
  const medFit = (k: string): { slope: number; intercept: number } => fit(gb, gb.map((_, i) => median(cpu(i, k))));
  const label: Record<string, string> = { fullparse: 'DuckDB full parse', ingest: 'bench-report ingest', naive: 'naive Node' };
  const lines = [
    `| size | ${passes.map((k) => `${label[k]} CPU`).join(' | ')} | ingest ÷ parse | naive ÷ ingest | ingest peak RSS |`,
    `|---|${passes.map(() => '---|').join('')}---|---|---|`,
    ...sets.map(
      (s, i) =>
        `| ${gb[i]?.toFixed(2)} GB | ${passes.map((k) => `${range(cpu(i, k))} s`).join(' | ')} | ${range(ratios(i, 'ingest'))}× | ${range(cpu(i, 'naive').map((c, j) => c / (cpu(i, 'ingest')[j] ?? NaN)))}× | ${range((at[i]?.ingest ?? []).map((m) => m.maxRssMb), 0)} MiB |`,
    ),
    '',
    '| pass | marginal CPU per GB (slope, min–max over repeats) | through the medians | fixed (intercept) | ÷ the parse\'s slope | peak RSS at the largest size |',
    '|---|---|---|---|---|---|',
    ...passes.map((k) => {
      const f = medFit(k);
      const ratio = slopes(k).map((v, j) => v / (slopes('fullparse')[j] ?? NaN));
      return `| ${label[k]} | ${range(slopes(k))} s | ${f.slope.toFixed(2)} s | ${f.intercept.toFixed(2)} s | ${range(ratio)}× | ${range((at[sets.length - 1]?.[k] ?? []).map((m) => m.maxRssMb), 0)} MiB |`;
    }),
    '',
    `Targets (issue 21): ingest ≤ 2.0× the parse's CPU at each size, marginal ≤ 2.5× the parse's, naive Node ≥ 2× ingest's CPU, peak RSS ≤ 1 GiB.`,
  ];
  return { lines, data: { sizes: gb, passes: at } };
}

/** Ingest alone over growing sizes: is time linear and memory flat? Projects a 100 GB run. */
async function scale(sizes: number[]): Promise<{ lines: string[]; data: unknown[] }> {
  const points: { gb: number; bytes: number; m: Measured }[] = [];
  for (const gb of sizes) {
    const set = await select('new', gb);
    process.stderr.write(`bench: scale ${gb} GB\n`);
    points.push({ gb, bytes: set.bytes, m: measure('ingest', set.runs) });
  }
  const last = points[points.length - 1];
  const perGb = (x: { bytes: number; m: Measured }, k: 'seconds' | 'cpu'): number => x.m[k] / (x.bytes / 1e9);
  const lines = [
    '| size | wall | CPU | wall per GB | CPU per GB | peak RSS | warehouse |',
    '|---|---|---|---|---|---|---|',
    ...points.map(
      (x) =>
        `| ${(x.bytes / 1e9).toFixed(2)} GB | ${x.m.seconds.toFixed(1)} s | ${x.m.cpu.toFixed(1)} s | ${perGb(x, 'seconds').toFixed(2)} s | ${perGb(x, 'cpu').toFixed(2)} s | ${x.m.maxRssMb.toFixed(0)} MiB | ${(x.m.dbMb ?? 0).toFixed(0)} MiB |`,
    ),
    '',
    last
      ? `Projection for a 52-node, 100 GB run at the largest size's rate: ingest ${((perGb(last, 'seconds') * 100) / 60).toFixed(1)} min wall, ${((perGb(last, 'cpu') * 100) / 60).toFixed(1)} CPU-min; warehouse ${(((last.m.dbMb ?? 0) / (last.bytes / 1e9)) * 100 / 1024).toFixed(2)} GiB; peak RSS as measured (batches of ≤ 160 MiB: it does not grow with the run).`
      : '',
  ];
  return { lines, data: points };
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
    const [mode = '', root = PACKAGE_ROOT, db = '', ...runDirs] = process.argv.slice(3);
    await worker(mode, resolve(root), resolve(db), runDirs);
    return;
  }
  const results: Record<string, unknown> = { date: new Date().toISOString(), node: process.version, cpus: (await import('node:os')).cpus().length };
  if (!flag('skip-speed')) {
    const repeat = arg('repeat', 3);
    const baseline = argStr('baseline');
    const newSet = await select('new', arg('gb', 1));
    const a = sideBySide('New-tracing logs', newSet, repeat, baseline);
    process.stdout.write(`\n${a.lines.join('\n')}\n`);
    const legacyGb = arg('legacy-gb', 0.25);
    let b: { lines: string[]; data: Record<string, unknown> } | undefined;
    if (legacyGb > 0) {
      b = sideBySide('Legacy-tracing logs', await select('legacy', legacyGb), repeat, baseline);
      process.stdout.write(`\n${b.lines.join('\n')}\n`);
    }
    Object.assign(results, { new: a.data, legacy: b?.data });
  }
  if (!flag('skip-big') && arg('big-gb', 2) > 0) {
    const big = await ensureBigNode(arg('big-gb', 2));
    const m = measure('ingest', big.runs);
    const f = measure('fullparse', big.runs);
    const line = `One node log of ${(big.bytes / 1e9).toFixed(2)} GB (${(big.bytes / MiB).toFixed(0)} MiB, one file): ingest ${m.seconds.toFixed(1)} s, ${m.cpu.toFixed(1)} CPU-s, peak RSS ${m.maxRssMb.toFixed(0)} MiB (target ≤ 1024 MiB), warehouse ${(m.dbMb ?? 0).toFixed(0)} MiB; full parse ${f.seconds.toFixed(1)} s, ${f.cpu.toFixed(1)} CPU-s (ingest ${(m.seconds / f.seconds).toFixed(2)}× wall, ${(m.cpu / f.cpu).toFixed(2)}× CPU).`;
    process.stdout.write(`\n${line}\n`);
    Object.assign(results, { bigNode: { bytes: big.bytes, ingest: m, fullparse: f } });
  }
  const marginalSizes = argStr('marginal') ?? (flag('skip-marginal') ? undefined : '0.25,0.5,1,2');
  if (marginalSizes) {
    const sizes = marginalSizes.split(',').map(Number);
    const sets: RunSet[] = [];
    for (const gb of sizes) sets.push(await select('new', gb));
    const mg = marginal(sizes, arg('repeat', 3), sets);
    process.stdout.write(`\nMarginal cost per GB (new-tracing runs of 20 nodes; CPU-seconds of each pass in its own process, start-up excluded, side by side):\n\n${mg.lines.join('\n')}\n`);
    Object.assign(results, { marginal: mg.data });
  }
  const sizes = argStr('scale');
  if (sizes) {
    const s = await scale(sizes.split(',').map(Number));
    process.stdout.write(`\nScale (new-tracing runs of 20 nodes, ingest alone):\n\n${s.lines.join('\n')}\n`);
    Object.assign(results, { scale: s.data });
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
