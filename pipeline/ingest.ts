// ingest: load discovered runs into the warehouse. Per run, in one transaction:
//   1. events  — DuckDB parses the logs into the canonical `events` table (queries/10_events.sql);
//                a line that does not parse is kept as an all-NULL row;
//   2. counts  — per file, parsed and unparsed rows from that load;
//   3. head    — a file with unparsed rows has its head read: if the head holds them all (the
//                usual banner lines), that splits them into other lines and malformed lines;
//   4. census  — only otherwise, a full line count of the file (lines beginning with '{');
//                malformed = those − parsed; the first malformed lines are kept verbatim;
//   5. runs    — the run row with its fingerprint, written last.
// Counts are exact either way; the head check only spares a second pass over the file.
// A run whose fingerprint is unchanged is skipped, so re-ingesting is a no-op; a failure rolls
// the whole run back, so a run is either wholly present or absent.
import { listValue } from '@duckdb/node-api';
import { CliError } from './errors.js';
import type { Warehouse } from './db.js';
import { seconds, type Logger } from './log.js';
import { refuseRunWithoutLogObjects } from './sniff.js';
import type { RunInfo } from './types.js';

const MALFORMED_SAMPLES_PER_FILE = 5;
/** Lines of a file's head checked for its unparsed lines before a full census is needed. */
const HEAD_LINES = 2000;

export interface IngestResult {
  runId: number;
  tag: string;
  status: 'fresh' | 'loaded';
}

export async function ingestRuns(db: Warehouse, runs: RunInfo[], log: Logger): Promise<IngestResult[]> {
  const out: IngestResult[] = [];
  for (const [i, run] of runs.entries()) {
    const t0 = performance.now();
    log.progress?.(i, runs.length, `ingesting ${run.tag}…`);
    const res = await ingestRun(db, run);
    log.info(`ingest ${run.tag} (${i + 1}/${runs.length}) → [${res.status}] in ${seconds(t0)}`);
    out.push(res);
  }
  return out;
}

export async function ingestRun(db: Warehouse, run: RunInfo): Promise<IngestResult> {
  const existing = await db.all<{ run_id: number; fingerprint: string }>(
    'SELECT run_id, fingerprint FROM runs WHERE path = $path',
    { path: run.path },
  );
  const prev = existing[0];
  if (prev && prev.fingerprint === run.fingerprint) return { runId: prev.run_id, tag: run.tag, status: 'fresh' };

  const allFiles = run.nodes.flatMap((n) => n.files.map((f) => ({ node: n.node, path: f })));
  const files = listValue(allFiles.map((f) => f.path));

  await db.transaction(async () => {
    let runId: number;
    if (prev) {
      runId = prev.run_id;
      for (const t of ['events', 'files', 'malformed_samples', 'runs']) {
        await db.exec(`DELETE FROM ${t} WHERE run_id = $run_id`, { run_id: runId });
      }
    } else {
      const [row] = await db.all<{ id: number }>('SELECT coalesce(max(run_id), 0) + 1 AS id FROM runs');
      runId = row?.id ?? 1;
    }

    for (const [fileId, f] of allFiles.entries()) {
      await db.exec('INSERT INTO files VALUES ($run_id, $file_id, $node, $path, 0, 0, 0, 0)', {
        run_id: runId,
        file_id: fileId,
        node: f.node,
        path: f.path,
      });
    }

    // 1. events
    try {
      await db.runFile('10_events.sql', { run_id: runId, files });
    } catch (err) {
      throw new CliError(`${run.path}: DuckDB could not load the node logs (${firstLine(err)}).`);
    }

    // 2. line counts: unparsed rows (not JSON, or malformed) per file come from the load itself
    const rows = await db.queryFile<{ file_id: number; total: number; unparsed: number }>('10_file_counts.sql', { run_id: runId });
    // A run with not one log object (text format, prefixed lines) is refused, not reported empty.
    if (rows.every((r) => r.total === r.unparsed)) await refuseRunWithoutLogObjects(db, run);
    const counts = new Map(rows.map((r) => [r.file_id, r]));
    const needCensus: number[] = [];
    for (const [fileId, f] of allFiles.entries()) {
      const c = counts.get(fileId) ?? { total: 0, unparsed: 0 };
      const parsed = c.total - c.unparsed;
      let other = 0;
      let malformed = 0;
      let samples: string[] = [];
      if (c.unparsed > 0) {
        // 3. usually the unparsed lines are a banner at the head of the file: read only the head
        const [head] = await db.queryFile<{ other: number; bad: number; bad_lines: string[] }>('10_log_head.sql', {
          file: f.path,
          n: HEAD_LINES,
        });
        if (head && head.other + head.bad === c.unparsed) {
          other = head.other;
          malformed = head.bad;
          samples = head.bad_lines;
        } else {
          needCensus.push(fileId);
          continue;
        }
      }
      await setCounts(db, runId, fileId, { parsed, other, malformed, samples });
    }

    // 4. otherwise a full line census of those files
    if (needCensus.length > 0) {
      const paths = needCensus.map((id) => allFiles[id]?.path ?? '');
      let census: { path: string; log_lines: number; other_lines: number }[];
      try {
        census = await db.queryFile('10_log_lines.sql', { files: listValue(paths) });
      } catch (err) {
        throw new CliError(`${run.path}: cannot read the node logs (${firstLine(err)}).`);
      }
      const byPath = new Map(census.map((c) => [c.path, c]));
      for (const fileId of needCensus) {
        const path = allFiles[fileId]?.path ?? '';
        const c = counts.get(fileId) ?? { total: 0, unparsed: 0 };
        const parsed = c.total - c.unparsed;
        const logLines = byPath.get(path)?.log_lines ?? 0;
        const malformed = Math.max(logLines - parsed, 0);
        const samples =
          malformed > 0
            ? (await db.queryFile<{ line: string }>('10_malformed_lines.sql', { file: path, limit: MALFORMED_SAMPLES_PER_FILE })).map((l) => l.line)
            : [];
        await setCounts(db, runId, fileId, { parsed, other: byPath.get(path)?.other_lines ?? 0, malformed, samples });
      }
    }

    // 5. the run row, last: its presence means the run is complete.
    await db.exec(
      `INSERT INTO runs VALUES ($run_id, $path, $tag, $fp, $info, $start::TIMESTAMP, $slot_len, $epoch_len, $max_block, $nodes, now()::TIMESTAMP)`,
      {
        run_id: runId,
        path: run.path,
        tag: run.tag,
        fp: run.fingerprint,
        info: JSON.stringify(run),
        start: run.genesis.systemStart.replace('T', ' ').replace('Z', ''),
        slot_len: run.genesis.slotLength,
        epoch_len: run.genesis.epochLength,
        max_block: run.genesis.maxBlockBodySize ?? null,
        nodes: run.nodes.length,
      },
    );
    return runId;
  });
  const [row] = await db.all<{ run_id: number }>('SELECT run_id FROM runs WHERE path = $path', { path: run.path });
  return { runId: row?.run_id ?? -1, tag: run.tag, status: 'loaded' };
}

async function setCounts(
  db: Warehouse,
  runId: number,
  fileId: number,
  c: { parsed: number; other: number; malformed: number; samples: string[] },
): Promise<void> {
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

function firstLine(err: unknown): string {
  return String((err as Error)?.message ?? err).split('\n')[0] ?? 'unknown error';
}
