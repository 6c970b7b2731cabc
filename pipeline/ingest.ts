// ingest: load discovered runs into the warehouse. Per run, in one transaction:
//   1. census   — count lines per file without parsing (log objects vs other lines);
//   2. events   — DuckDB parses the logs into the canonical `events` table (queries/10_events.sql);
//   3. malformed — per file, log objects that did not parse = census − parsed; the first few
//                  are kept verbatim;
//   4. runs     — the run row with its fingerprint, written last.
// A run whose fingerprint is unchanged is skipped, so re-ingesting is a no-op; a failure rolls
// the whole run back, so a run is either wholly present or absent.
import { listValue } from '@duckdb/node-api';
import { CliError } from './errors.js';
import type { Warehouse } from './db.js';
import { seconds, type Logger } from './log.js';
import type { RunInfo } from './types.js';

const MALFORMED_SAMPLES_PER_FILE = 5;

export interface IngestResult {
  runId: number;
  tag: string;
  status: 'fresh' | 'loaded';
}

export async function ingestRuns(db: Warehouse, runs: RunInfo[], log: Logger): Promise<IngestResult[]> {
  const out: IngestResult[] = [];
  for (const [i, run] of runs.entries()) {
    const t0 = performance.now();
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

    // 1. census
    let census: { path: string; log_lines: number; other_lines: number }[];
    try {
      census = await db.queryFile('10_log_lines.sql', { files });
    } catch (err) {
      throw new CliError(`${run.path}: cannot read the node logs (${firstLine(err)}).`);
    }
    const byPath = new Map(census.map((c) => [c.path, c]));
    for (const [fileId, f] of allFiles.entries()) {
      const c = byPath.get(f.path);
      await db.exec(
        `INSERT INTO files VALUES ($run_id, $file_id, $node, $path, $log_lines, 0, 0, $other)`,
        { run_id: runId, file_id: fileId, node: f.node, path: f.path, log_lines: c?.log_lines ?? 0, other: c?.other_lines ?? 0 },
      );
    }

    // 2. events
    try {
      await db.runFile('10_events.sql', { run_id: runId, files });
    } catch (err) {
      throw new CliError(`${run.path}: DuckDB could not load the node logs (${firstLine(err)}).`);
    }

    // 3. malformed lines
    await db.exec(
      `UPDATE files SET parsed = p.n, malformed = greatest(files.log_lines - p.n, 0)
       FROM (SELECT file_id, count(*) AS n FROM events WHERE run_id = $run_id GROUP BY file_id) AS p
       WHERE files.run_id = $run_id AND files.file_id = p.file_id`,
      { run_id: runId },
    );
    await db.exec(`UPDATE files SET malformed = log_lines WHERE run_id = $run_id AND parsed = 0`, { run_id: runId });
    const bad = await db.all<{ file_id: number; path: string }>(
      'SELECT file_id, path FROM files WHERE run_id = $run_id AND malformed > 0 ORDER BY file_id',
      { run_id: runId },
    );
    for (const f of bad) {
      const lines = await db.queryFile<{ line: string }>('10_malformed_lines.sql', {
        file: f.path,
        limit: MALFORMED_SAMPLES_PER_FILE,
      });
      for (const l of lines) {
        await db.exec('INSERT INTO malformed_samples VALUES ($run_id, $file_id, $line)', {
          run_id: runId,
          file_id: f.file_id,
          line: l.line.length > 2000 ? `${l.line.slice(0, 2000)}…` : l.line,
        });
      }
    }

    // 4. the run row, last: its presence means the run is complete.
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

function firstLine(err: unknown): string {
  return String((err as Error)?.message ?? err).split('\n')[0] ?? 'unknown error';
}
