// ingest: load discovered runs into the warehouse. Per run, in one transaction:
//   0. clear   — a run id no table uses is marked pending (committed apart, cleared with the
//                run's commit) and deleted from every per-run table first, so nothing a crash
//                left under that id can be counted twice; a run loaded again gets a new id, and
//                its old rows stay until step 5 deletes them in the same commit (never neither);
//   1. events  — in batches of files (bounded memory whatever the run's size), DuckDB scans the
//                logs once (queries/10_load_scan.sql) and the scan is split into the narrow
//                tables by event family (11_ev_resources, 11_ev_slot, 11_ev_block) and counted
//                per message (11_msg_counts); a line that does not parse is an all-NULL row;
//   2. counts  — per file, parsed and unparsed rows from that scan;
//   3. head    — a file with unparsed rows has its head read: if the head holds them all (the
//                usual banner lines), that splits them into other lines and malformed lines;
//   4. census  — only otherwise, a full line count of the file (lines beginning with '{'),
//                from its bytes, which no byte can fail and which holds no DuckDB memory
//                (census.ts); malformed = those − parsed; the first malformed lines are kept
//                verbatim (from the census when its cut and non-UTF-8 lines are all of them);
//   5. runs    — the run row with its fingerprint, written last: its presence marks a complete
//                run (Warehouse.open deletes rows of runs without it).
// Beside the load, every .gz is checked whole (gzip.ts); a cut or empty log becomes a warning
// (codes gzip-truncated, log-empty) naming the file and the lines read, returned with the
// result for the job to print and put in the report, and stored with the run so a later
// report over the unchanged run still shows it.
// Counts are exact either way; the head check only spares a second pass over the file.
// A run whose fingerprint is unchanged is skipped, so re-ingesting is a no-op; a failure rolls
// the whole run back, so a run is either wholly present or absent.
import { DOUBLE, listValue } from '@duckdb/node-api';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join, relative } from 'node:path';
import { CliError, faultPoint, seconds, type Logger } from '../core/index.js';
import type { Warehouse } from './db.js';
import { loadExtract } from './extract.js';
import { gzipProblem } from './gzip.js';
import { bannerLines, batchFiles, firstLine, splitLines } from './log-files.js';
import { countLines } from './census.js';
import { refuseRunWithoutLogObjects } from './sniff.js';
import type { RunInfo, Warning } from '../core/index.js';

const MALFORMED_SAMPLES_PER_FILE = 5;
/** Lines of a file's head checked for its unparsed lines before a full census is needed. */
const HEAD_LINES = 2000;

/**
 * Log bytes scanned per statement: the scan of a batch is held in memory until it is split,
 * so batches keep ingest's memory flat whatever the size of a run. A gzipped file counts for
 * GZIP_RATIO times its size.
 */
const BATCH_BYTES = 160 * 1024 * 1024;
/**
 * A batch heavier than this (one file, since batches close at BATCH_BYTES) is not held whole
 * but read in chunks of BATCH_BYTES of whole lines: a 2 GB node log held took 1.1 GB of RSS
 * and spilled 3 GB (docs/benchmarks.md).
 */
const CHUNK_ABOVE_BYTES = 2 * BATCH_BYTES;
/** The inserts that split one batch's scan by event family. */
const SPLIT = ['11_ev_resources.sql', '11_ev_slot.sql', '11_ev_block.sql', '11_msg_counts.sql'];

/**
 * DuckDB threads while a run loads. The load's statements (one JSON scan per batch, split
 * into the family tables) gain little wall time from a second thread and cost CPU for it:
 * measured in docs/benchmarks.md ("Threads per stage"). The metrics stage keeps DuckDB's
 * default.
 */
const INGEST_THREADS = 1;

/** How ingest splits a run's files (the defaults above; tests shrink them to reach every path). */
export interface IngestLimits {
  batchBytes: number;
  chunkAboveBytes: number;
  /** DuckDB threads for the load (default INGEST_THREADS; 0 leaves the warehouse's own). */
  threads?: number;
}
const DEFAULT_LIMITS: IngestLimits = { batchBytes: BATCH_BYTES, chunkAboveBytes: CHUNK_ABOVE_BYTES };

export interface IngestResult {
  runId: number;
  tag: string;
  status: 'fresh' | 'loaded';
  warnings: Warning[];
}

interface FileCounts {
  parsed: number;
  other: number;
  malformed: number;
  samples: string[];
}

/**
 * `partial`: the runs are parts (a slice of each run's nodes, pipeline/extract.ts), so a part
 * without a log object is not refused: the merge judges the whole run.
 */
export async function ingestRuns(db: Warehouse, runs: RunInfo[], log: Logger, limits = DEFAULT_LIMITS, partial = false): Promise<IngestResult[]> {
  const out: IngestResult[] = [];
  for (const [i, run] of runs.entries()) {
    const t0 = performance.now();
    log.progress?.(i, runs.length, `ingesting ${run.tag}…`);
    const res = await ingestRun(db, run, limits, partial);
    log.info(`ingest ${run.tag} (${i + 1}/${runs.length}) → [${res.status}] in ${seconds(t0)}`);
    out.push(res);
  }
  return out;
}

export async function ingestRun(db: Warehouse, run: RunInfo, limits = DEFAULT_LIMITS, partial = false): Promise<IngestResult> {
  // An extract carries the rows already parsed: load them (pipeline/extract.ts).
  if (run.extract) return { tag: run.tag, ...(await loadExtract(db, run)) };
  const existing = await db.all<{ run_id: number; fingerprint: string; warnings: string | null }>(
    "SELECT run_id, fingerprint, info->>'$.warnings' AS warnings FROM runs WHERE path = $path",
    { path: run.path },
  );
  const prev = existing[0];
  if (prev && prev.fingerprint === run.fingerprint) {
    // A fresh run's warnings were stored with it, so a report over the cache still shows them.
    const warnings = prev.warnings ? (JSON.parse(prev.warnings) as Warning[]) : [];
    return { runId: prev.run_id, tag: run.tag, status: 'fresh', warnings };
  }
  const genesis = storableGenesis(run);

  const allFiles = run.nodes.flatMap((n) => n.files.map((f) => ({ node: n.node, path: f })));
  const batches = await batchFiles(allFiles.map((f) => f.path), limits.batchBytes);
  // A file too large to hold is read in chunks (decompressed, for a .gz): the split tells
  // whether a .gz ended whole. Beside the load, every other .gz is decompressed to its end
  // (bounded memory, output discarded).
  const chunked = new Set(batches.filter((b) => b.bytes > limits.chunkAboveBytes && b.paths.length === 1).map((b) => b.paths[0]));
  const splitProblems = new Map<string, string | null>();
  const gzChecks = Promise.all(allFiles.map((f) => (f.path.endsWith('.gz') && !chunked.has(f.path) ? gzipProblem(f.path) : Promise.resolve(null))));

  const warnings: Warning[] = [];
  const restoreMemory = await capMemory(db);
  const restoreThreads = await setThreads(db, limits.threads ?? INGEST_THREADS);
  // 0. a new id, marked pending in a transaction of its own until the run's has committed
  const runId = await db.beginRun();
  const loaded = db.transaction(async () => {
    // 0. clear
    await db.deleteRun(runId);

    for (const [fileId, f] of allFiles.entries()) {
      await db.exec('INSERT INTO files VALUES ($run_id, $file_id, $node, $path, 0, 0, 0, 0)', {
        run_id: runId,
        file_id: fileId,
        node: f.node,
        path: f.path,
      });
    }

    // 1. events, a batch of files at a time, and 2. the rows each file gave, parsed or not
    const rows: { file_id: number; total: number; unparsed: number }[] = [];
    const fileIds = new Map(allFiles.map((f, i) => [f.path, i]));
    const load = async (items: { path: string; fileId: number }[]): Promise<void> => {
      try {
        await db.exec('SET VARIABLE load_files = $files', { files: listValue(items.map((i) => i.path)) });
        await db.exec('CREATE OR REPLACE TEMP TABLE load_paths AS SELECT unnest($paths) AS path, unnest($ids) AS file_id', {
          paths: listValue(items.map((i) => i.path)),
          ids: listValue(items.map((i) => i.fileId)),
        });
        await db.runFile('10_load_scan.sql');
        // A batch is held in memory (about 1.5× its log text; it spills past the memory limit,
        // slowly), which is why a file too large for that comes in chunks.
        await db.exec('CREATE OR REPLACE TEMP TABLE load_scan AS FROM load_rows');
        for (const f of SPLIT) await db.runFile(f, { run_id: runId });
        rows.push(...(await db.queryFile<{ file_id: number; total: number; unparsed: number }>('10_file_counts.sql')));
      } catch (err) {
        throw new CliError(`${run.path}: DuckDB could not load the node logs (${firstLine(err)}).`);
      } finally {
        // After a failed statement the transaction is aborted and these fail too: the rollback
        // drops them anyway, and the error that matters is the one above.
        await db.exec('DROP TABLE IF EXISTS load_scan').catch(() => undefined);
      }
    };
    let chunkDir: string | null = null;
    try {
      for (const batch of batches) {
        const [only] = batch.paths;
        if (only === undefined || !chunked.has(only)) {
          await load(batch.paths.map((path) => ({ path, fileId: fileIds.get(path) ?? -1 })));
        } else {
          // One file too large to hold: read in chunks of whole lines (a .gz decompressed on
          // the way), each held like a batch, one chunk on disk at a time; its counts per hour
          // are then put together.
          chunkDir ??= await mkdtemp(join(tmpdir(), 'bench-report-chunks-'));
          const fileId = fileIds.get(only) ?? -1;
          for await (const chunk of splitLines(only, limits.batchBytes, chunkDir, (problem) => splitProblems.set(only, problem))) {
            try {
              await load([{ path: chunk, fileId }]);
            } finally {
              await rm(chunk, { force: true });
            }
          }
          const merge = (await db.sqlFile('11_msg_counts_merge.sql')).split(/;\s*\n/).filter((q) => q.replace(/--.*$/gm, '').trim() !== '');
          for (const q of merge) await db.exec(q, q.includes('$') ? { run_id: runId, file_id: fileId } : undefined);
        }
      }
    } finally {
      if (chunkDir) await rm(chunkDir, { recursive: true, force: true });
      await db.exec('DROP TABLE IF EXISTS load_paths').catch(() => undefined);
    }
    // A run with not one log object (text format, prefixed lines) is refused, not reported empty.
    if (!partial && rows.every((r) => r.total === r.unparsed)) await refuseRunWithoutLogObjects(db, run);
    // A file read in chunks has a row per chunk: its counts are their sums.
    const counts = new Map<number, { total: number; unparsed: number }>();
    for (const r of rows) {
      const c = counts.get(r.file_id) ?? { total: 0, unparsed: 0 };
      counts.set(r.file_id, { total: c.total + Number(r.total), unparsed: c.unparsed + Number(r.unparsed) });
    }
    const perFile = new Map<number, FileCounts>();
    const needCensus: number[] = [];
    for (const [fileId, f] of allFiles.entries()) {
      const c = counts.get(fileId) ?? { total: 0, unparsed: 0 };
      const parsed = c.total - c.unparsed;
      if (c.unparsed === 0) {
        perFile.set(fileId, { parsed, other: 0, malformed: 0, samples: [] });
        continue;
      }
      // 3. usually the unparsed lines are a banner at the head of the file: read only the head,
      // first its bytes here (when its lines that are no log object account for every unparsed
      // row, nothing is malformed), else with DuckDB
      const banner = await bannerLines(f.path);
      if (banner !== null && banner === c.unparsed) {
        perFile.set(fileId, { parsed, other: banner, malformed: 0, samples: [] });
        continue;
      }
      const [head] = await db.queryFile<{ other: number; bad: number; bad_lines: string[] }>('10_log_head.sql', {
        file: f.path,
        n: HEAD_LINES,
      });
      const [rejected] = await db.queryFile<{ n: number }>('10_log_head_rejects.sql');
      if (head && rejected?.n === 0 && head.other + head.bad === c.unparsed) {
        perFile.set(fileId, { parsed, other: head.other, malformed: head.bad, samples: head.bad_lines });
      } else {
        needCensus.push(fileId);
      }
    }

    // 4. otherwise a full line census of those files, from their bytes (log-files.ts)
    for (const fileId of needCensus) {
      const path = allFiles[fileId]?.path ?? '';
      const c = counts.get(fileId) ?? { total: 0, unparsed: 0 };
      const parsed = c.total - c.unparsed;
      const seen = await countLines(path, MALFORMED_SAMPLES_PER_FILE);
      const malformed = Math.max(seen.logLines - parsed, 0);
      // When the cut lines and those not UTF-8 are all the malformed ones (the usual messy
      // log), the census holds the samples; only otherwise is the file read again for them.
      const known = seen.cutLines + seen.badUtf8Lines === malformed;
      const samples = malformed === 0 ? [] : [...(known ? seen.cutSamples : await malformedLines(db, run, path)), ...seen.badUtf8];
      perFile.set(fileId, { parsed, other: seen.otherLines, malformed, samples });
    }
    for (const [fileId, c] of perFile) await setCounts(db, runId, fileId, c);

    // Warnings need the counts (lines read) and the gzip checks, which ran beside the load.
    const problems = await gzChecks;
    for (const [fileId, f] of allFiles.entries()) {
      const c = perFile.get(fileId);
      const n = c ? c.parsed + c.malformed + c.other : 0;
      const name = relative(run.path, f.path) || f.path;
      const problem = problems[fileId] ?? splitProblems.get(f.path);
      if (problem) {
        warnings.push({
          run: run.tag,
          code: 'gzip-truncated',
          message: `${name} is not a complete gzip file (${problem}); only the ${n} line(s) before the cut were read — copy the log again.`,
        });
      } else if (n === 0) {
        warnings.push({ run: run.tag, code: 'log-empty', message: `${name} holds no lines; node ${f.node} contributes nothing from it.` });
      }
    }

    // 5. the run row, last: its presence means the run is complete. The old rows of a run
    // loaded again go in the same commit, so it swaps old for new at once.
    await db.replaceRun(runId, prev?.run_id);
    try {
      await db.exec(
        `INSERT INTO runs VALUES ($run_id, $path, $tag, $fp, $info, $start::TIMESTAMP, $slot_len, $epoch_len, $max_block, $nodes, now()::TIMESTAMP)`,
        {
          run_id: runId,
          path: run.path,
          tag: run.tag,
          fp: run.fingerprint,
          info: JSON.stringify({ ...run, warnings }),
          start: genesis.start,
          slot_len: run.genesis.slotLength,
          epoch_len: run.genesis.epochLength,
          max_block: genesis.maxBlock,
          nodes: run.nodes.length,
        },
        // A whole-valued number would otherwise bind as BIGINT (slotLength 1e308 overflows it).
        { slot_len: DOUBLE },
      );
    } catch (err) {
      throw new CliError(`${run.path}: cannot store the run's genesis values (${firstLine(err)}); check genesis.shelley.json.`);
    }
    faultPoint('ingest-before-commit');
  });
  // A failure rolled the run back to what it was: nothing is left unfinished either way.
  await loaded.finally(async () => {
    faultPoint('ingest-after-commit');
    await db.endRun(runId);
    await restoreMemory();
    await restoreThreads();
  });
  return { runId, tag: run.tag, status: 'loaded', warnings };
}

/**
 * DuckDB's memory limit while a run loads. RSS runs at about the limit plus 250–300 MiB once a
 * long load has filled DuckDB's buffers — a 2.35 GB node log: 1197 MiB of RSS under the 1 GB
 * default, 962 under 640 MiB, 851 under 600 MB, 770 under 512 MiB (but 40% more CPU: it
 * spills) — while one batch needs well under it (430–470 MiB of RSS).
 */
const INGEST_MEMORY_BYTES = 576 * 1024 * 1024;

/** Lowers the memory limit to INGEST_MEMORY_BYTES when it is higher; returns the undo. */
async function capMemory(db: Warehouse): Promise<() => Promise<void>> {
  const [row] = await db.all<{ m: string }>("SELECT current_setting('memory_limit') AS m");
  const now = parseBytes(row?.m ?? '');
  if (now === null || now <= INGEST_MEMORY_BYTES) return async () => undefined;
  await db.exec(`SET memory_limit = '${INGEST_MEMORY_BYTES}B'`);
  return async () => {
    await db.exec(`SET memory_limit = '${now}B'`).catch(() => undefined);
  };
}

/** Sets DuckDB's thread count to `n` (0: leaves it); returns the undo. */
async function setThreads(db: Warehouse, n: number): Promise<() => Promise<void>> {
  if (n <= 0) return async () => undefined;
  const [row] = await db.all<{ t: string }>("SELECT current_setting('threads')::VARCHAR AS t");
  const now = Number(row?.t);
  if (!Number.isSafeInteger(now) || now === n) return async () => undefined;
  await db.exec(`SET threads = ${n}`);
  return async () => {
    await db.exec(`SET threads = ${now}`).catch(() => undefined);
  };
}

/** DuckDB's rendering of a size ("953.6 MiB", "1.0 GiB", "512 bytes") in bytes, or null. */
function parseBytes(text: string): number | null {
  const m = /^([\d.]+)\s*(bytes|B|KiB|MiB|GiB|TiB|KB|MB|GB|TB)$/i.exec(text.trim());
  if (!m) return null;
  const unit = (m[2] ?? '').toLowerCase();
  const pow: Record<string, number> = { bytes: 1, b: 1, kib: 1024, mib: 1024 ** 2, gib: 1024 ** 3, tib: 1024 ** 4, kb: 1e3, mb: 1e6, gb: 1e9, tb: 1e12 };
  return Math.round(Number(m[1]) * (pow[unit] ?? NaN)) || null;
}

/**
 * Genesis values as the `runs` row stores them, or an input error naming the run: a value out
 * of range for its column (epochLength 1e20 in a BIGINT, a start DuckDB cannot cast) must be
 * a sentence, never a stack trace from the insert.
 */
function storableGenesis(run: RunInfo): { start: string; maxBlock: number | null } {
  const g = run.genesis;
  const bad = (what: string): CliError =>
    new CliError(`${run.path}: genesis ${what} cannot be stored; check the run's genesis.shelley.json.`);
  if (!Number.isFinite(g.slotLength) || g.slotLength <= 0) throw bad(`slotLength ${g.slotLength} (a positive number of seconds)`);
  if (!Number.isSafeInteger(g.epochLength) || g.epochLength <= 0) throw bad(`epochLength ${g.epochLength} (a positive whole number of slots)`);
  const maxBlock = g.maxBlockBodySize ?? null;
  if (maxBlock !== null && !Number.isSafeInteger(maxBlock)) throw bad(`maxBlockBodySize ${maxBlock}`);
  return { start: g.systemStart.replace('T', ' ').replace('Z', ''), maxBlock };
}

/** The first lines of a file that begin with '{' but are not JSON, verbatim (10_malformed_lines.sql). */
async function malformedLines(db: Warehouse, run: RunInfo, path: string): Promise<string[]> {
  try {
    return (await db.queryFile<{ line: string }>('10_malformed_lines.sql', { file: path, limit: MALFORMED_SAMPLES_PER_FILE })).map((l) => l.line);
  } catch (err) {
    throw new CliError(`${run.path}: cannot read the node logs (${firstLine(err)}).`);
  }
}

async function setCounts(db: Warehouse, runId: number, fileId: number, c: FileCounts): Promise<void> {
  await db.exec(
    `UPDATE files SET parsed = $parsed, malformed = $malformed, other_lines = $other, log_lines = $parsed + $malformed
     WHERE run_id = $run_id AND file_id = $file_id`,
    { run_id: runId, file_id: fileId, parsed: c.parsed, malformed: c.malformed, other: c.other },
  );
  for (const line of c.samples.slice(0, MALFORMED_SAMPLES_PER_FILE)) {
    await db.exec('INSERT INTO malformed_samples VALUES ($run_id, $file_id, $line)', {
      run_id: runId,
      file_id: fileId,
      line: line.length > 2000 ? `${line.slice(0, 2000)}…` : line,
    });
  }
}
