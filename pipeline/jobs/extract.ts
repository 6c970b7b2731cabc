// The `extract` job: runs → one Parquet folder per run (pipeline/extract.ts), for ingest
// fanned out over machines and merged where the report is built. Phases, in order:
//   1. sort the inputs: part extracts (given, or the parts inside a folder of them) are merged;
//      everything else is discovered (run directories, or extracts: re-extracting one works)
//   2. ingest the runs into a private temporary warehouse, or into --db when given — with
//      --part K/N only the K-th slice of each run's nodes (one task per node log of a huge run)
//   3. write each run's extract folder under --out (temp folder + rename): whole runs as
//      <tag>/, parts as <tag>.part-K-of-N/, merged parts as the whole run's <tag>/
import { mkdtemp, readdir, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { Warehouse, extractName, mergeParts, partNodes, readPart, writeExtract, type ExtractPart, ingestRuns } from '../warehouse/index.js';
import { discoverRuns } from '../discover/index.js';
import { CliError, ensureWritableDir, faultStall, removeOnSignal, seconds, type Logger } from '../core/index.js';
import type { RunInfo } from '../core/index.js';

export interface ExtractOptions {
  runs: string[];
  out: string;
  /** Warehouse to ingest into (kept); default a private temporary one, removed at the end. */
  db?: string;
  /** Extract only part `index` (1-based) of `of` of each run's nodes. */
  part?: { index: number; of: number };
}

type Part = NonNullable<Awaited<ReturnType<typeof readPart>>>;

/** `K/N` with 1 ≤ K ≤ N, or an input error naming the option. */
export function parsePart(text: string): { index: number; of: number } {
  const m = /^(\d+)\/(\d+)$/.exec(text.trim());
  const index = Number(m?.[1]);
  const of = Number(m?.[2]);
  if (!m || !Number.isSafeInteger(index) || !Number.isSafeInteger(of) || index < 1 || index > of) {
    throw new CliError(`--part ${text}: expected K/N, part K (from 1) of N parts, e.g. --part 1/4.`);
  }
  return { index, of };
}

/** Returns the extract folders written, in the order of the inputs. */
export async function runExtract(opts: ExtractOptions, log: Logger): Promise<string[]> {
  // 1. sort the inputs
  const parts: Part[] = [];
  const rest: string[] = [];
  for (const given of opts.runs) {
    const found = await partsAt(resolve(given));
    if (found.length > 0) parts.push(...found);
    else rest.push(given);
  }
  if (parts.length > 0 && opts.part) {
    throw new CliError(`--part cannot split part extracts (${parts[0]?.dir}); give the run directory.`);
  }
  if (opts.part && opts.db) {
    throw new CliError('--part writes a slice of a run, which a warehouse cannot hold as a run; leave out --db.');
  }
  const runs = rest.length > 0 ? await discoverRuns(rest) : [];
  const byRun = new Map<string, Part[]>();
  for (const p of parts) byRun.set(p.run_path, [...(byRun.get(p.run_path) ?? []), p]);
  const names = new Map<string, string>();
  for (const r of [...runs, ...[...byRun.values()].map((ps) => ps[0]?.run as RunInfo)]) {
    const name = extractName(r.tag);
    const other = names.get(name);
    if (other && other !== r.path) throw new CliError(`${r.path}: has the same extract name "${name}" as ${other}; extract them into different --out folders.`);
    names.set(name, r.path);
  }
  const slice = (run: RunInfo): { run: RunInfo; part: ExtractPart } | null => {
    if (!opts.part) return null;
    const { index, of } = opts.part;
    if (of > run.nodes.length) {
      throw new CliError(`--part ${index}/${of}: run ${run.path} has ${run.nodes.length} node(s), so it splits into at most ${run.nodes.length} parts.`);
    }
    const nodes = partNodes(run, index, of);
    const part = { index, of, nodes: nodes.map((n) => n.node) };
    // Its own fingerprint, so a part is never taken for the whole run it comes from.
    return { run: { ...run, nodes, fingerprint: `${run.fingerprint}#part-${index}-of-${of}` }, part };
  };
  const slices = runs.map(slice);

  await ensureWritableDir(resolve(opts.out), '--out');

  // 2. ingest (and merge)
  const scratch = opts.db ? null : await mkdtemp(join(tmpdir(), 'bench-report-extract-'));
  const forget = scratch ? removeOnSignal(scratch) : () => undefined;
  const db = await Warehouse.open(opts.db ? resolve(opts.db) : join(scratch ?? '', 'warehouse.duckdb'), { onWarn: (m) => log.warn(m) });
  try {
    await faultStall('extract-ingest');
    const ingested = await ingestRuns(db, runs.map((r, i) => slices[i]?.run ?? r), log, undefined, opts.part !== undefined);
    // Stored with each run, so they travel in the extract to the report as well.
    for (const r of ingested) for (const w of r.warnings) log.warn(`${w.run}: ${w.message}`);

    // 3. write
    const written: string[] = [];
    for (const [i, run] of runs.entries()) {
      const t0 = performance.now();
      const part = slices[i]?.part;
      const dir = await writeExtract(db, ingested[i]?.runId ?? -1, run, opts.out, part);
      log.info(`extract ${run.tag}${part ? ` part ${part.index}/${part.of} (${part.nodes.join(', ')})` : ''} → ${dir} in ${seconds(t0)}`);
      written.push(dir);
    }
    for (const ps of byRun.values()) {
      const t0 = performance.now();
      const { runId, run } = await mergeParts(db, ps);
      const dir = await writeExtract(db, runId, run, opts.out);
      log.info(`extract ${run.tag}: merged ${ps.length} parts → ${dir} in ${seconds(t0)}`);
      written.push(dir);
    }
    if (opts.db) {
      const c = await db.closeCompacting();
      if (c) log.info(`warehouse → compacted ${opts.db} from ${c.beforeMb.toFixed(1)} to ${c.afterMb.toFixed(1)} MiB`);
    }
    return written;
  } finally {
    db.close();
    if (scratch) await rm(scratch, { recursive: true, force: true });
    forget();
  }
}

/** The part extract at `dir`, or the part extracts directly inside it; none for anything else. */
async function partsAt(dir: string): Promise<Part[]> {
  const self = await readPart(dir);
  if (self) return [self];
  const entries = await readdir(dir, { withFileTypes: true }).catch(() => []);
  const found: Part[] = [];
  let others = 0;
  for (const e of entries) {
    if (!e.isDirectory() || e.name.startsWith('.')) continue;
    const p = await readPart(join(dir, e.name));
    if (p) found.push(p);
    else others++;
  }
  // A folder mixing parts with runs or whole extracts: its parts would be read as runs by
  // discover and refused there, so say plainly what to do.
  if (found.length > 0 && others > 0) {
    throw new CliError(`${dir}: holds part extracts beside ${others} other folder(s); keep the parts of a run in a folder of their own.`);
  }
  return found;
}
