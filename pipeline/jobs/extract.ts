// The `extract` job: runs → one Parquet folder per run (pipeline/extract.ts), for ingest
// fanned out over machines and merged where the report is built. Phases, in order:
//   1. discover the runs (run directories, or extracts: re-extracting one works too)
//   2. ingest them into a private temporary warehouse, or into --db when given
//   3. write each run's extract folder under --out (temp folder + rename)
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { Warehouse } from '../db.js';
import { discoverRuns } from '../discover.js';
import { CliError } from '../errors.js';
import { extractName, writeExtract } from '../extract.js';
import { ingestRuns } from '../ingest.js';
import { seconds, type Logger } from '../log.js';

export interface ExtractOptions {
  runs: string[];
  out: string;
  /** Warehouse to ingest into (kept); default a private temporary one, removed at the end. */
  db?: string;
}

/** Returns the extract folders written, in the order of the runs. */
export async function runExtract(opts: ExtractOptions, log: Logger): Promise<string[]> {
  // 1. discover
  const runs = await discoverRuns(opts.runs);
  const names = new Map<string, string>();
  for (const r of runs) {
    const name = extractName(r.tag);
    const other = names.get(name);
    if (other) throw new CliError(`${r.path}: has the same extract name "${name}" as ${other}; extract them into different --out folders.`);
    names.set(name, r.path);
  }

  // 2. ingest
  const scratch = opts.db ? null : await mkdtemp(join(tmpdir(), 'bench-report-extract-'));
  const db = await Warehouse.open(opts.db ? resolve(opts.db) : join(scratch ?? '', 'warehouse.duckdb'), { onWarn: (m) => log.warn(m) });
  try {
    const ingested = await ingestRuns(db, runs, log);
    // Stored with each run, so they travel in the extract to the report as well.
    for (const r of ingested) for (const w of r.warnings) log.warn(`${w.run}: ${w.message}`);

    // 3. write
    const written: string[] = [];
    for (const [i, run] of runs.entries()) {
      const t0 = performance.now();
      const dir = await writeExtract(db, ingested[i]?.runId ?? -1, run, opts.out);
      log.info(`extract ${run.tag} → ${dir} in ${seconds(t0)}`);
      written.push(dir);
    }
    return written;
  } finally {
    db.close();
    if (scratch) await rm(scratch, { recursive: true, force: true });
  }
}
