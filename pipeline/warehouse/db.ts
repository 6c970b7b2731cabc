// The warehouse: an embedded DuckDB file. Opens it with a memory limit and a spill directory
// (so big ingests spill instead of growing), runs SQL files from queries/, and reads rows as
// plain JS values with BIGINT turned into numbers so nothing downstream sees a bigint.
//
// Opening is where a file is judged before anything is written to it:
//   1. lock     — DuckDB lets one process write a file; a second bench-report waits for it,
//                 saying so, up to a bound (BENCH_REPORT_LOCK_WAIT seconds, default 60);
//   2. identity — a DuckDB file with tables but no `warehouse` table is someone else's: it is
//                 refused and left untouched, whatever the command;
//   3. layout   — a warehouse of an older layout version is rebuilt (its per-run tables
//                 dropped, its runs ingested again) only after saying so; a newer one is refused;
//   4. repair   — per-run rows of an ingest that never finished are what a crash left (the
//                 `runs` row is written last and marks a complete run; ingest also marks a run
//                 pending until its commit returns): deleted, with a warning.
import { DuckDBInstance, quotedIdentifier, quotedString, type DuckDBConnection, type DuckDBType, type DuckDBValue } from '@duckdb/node-api';
import { existsSync } from 'node:fs';
import { chmod, chown, mkdir, readFile, realpath, rename, rm, stat } from 'node:fs/promises';
import { faultPoint, tempSibling, CliError } from '../core/index.js';
import { createWaiting, lockWaitFromEnv, refuseNotDuckDb, removeStaleCopies } from './db-open.js';
import { tmpdir } from 'node:os';
import { basename, dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

/** Package root, whether this module runs from dist/pipeline/warehouse (built) or pipeline/warehouse (vitest). */
export const PACKAGE_ROOT = ((): string => {
  const pipeline = dirname(dirname(fileURLToPath(import.meta.url)));
  return basename(dirname(pipeline)) === 'dist' ? join(pipeline, '..', '..') : join(pipeline, '..');
})();

export const QUERIES_DIR = join(PACKAGE_ROOT, 'queries');

/**
 * The warehouse every command uses unless `--db` says otherwise: `$BENCH_REPORT_DB`, else
 * `bench-report.duckdb` in the working directory. One default, so `ingest` then `report`
 * share the cache, and a report folder that CI publishes never holds the warehouse. Read
 * when asked (not at import), so a test or a wrapper can set the variable.
 */
export function defaultDb(): string {
  return process.env.BENCH_REPORT_DB || 'bench-report.duckdb';
}

/**
 * Version of the warehouse layout (queries/00_schema.sql and what ingest writes). The
 * warehouse is a cache of the logs, so a file written with an older version is rebuilt and
 * its runs are ingested again, instead of failing on a column that moved.
 */
export const SCHEMA_VERSION = 6;


export type Row = Record<string, unknown>;
export type Params = Record<string, DuckDBValue>;
/** Types for params whose type cannot be inferred (e.g. a list of DOUBLE starting with 0). */
export type ParamTypes = Record<string, DuckDBType | undefined>;

export interface DbOptions {
  memoryLimit?: string;
  threads?: number;
  tempDir?: string;
  /** Told when the file is rebuilt, repaired or waited for (one sentence each). */
  onWarn?: (message: string) => void;
  /** Refuse a file that does not exist yet instead of creating it (read-only commands). */
  mustExist?: boolean;
  /** Bound on waiting for another process's lock, in ms (default: BENCH_REPORT_LOCK_WAIT s, or 60 s). */
  lockWaitMs?: number;
  /**
   * Open for reading only (`runs`, a report of warehouse runs): works on a read-only file system
   * or a file the user may only read; nothing is created, repaired, rebuilt or compacted.
   */
  readOnly?: boolean;
}

interface TableInfo {
  table_name: string;
  has_run_id: boolean;
  has_schema_version: boolean;
}

export class Warehouse {
  readonly queriesRun = new Set<string>();
  private constructor(
    readonly path: string,
    private readonly instance: DuckDBInstance,
    readonly conn: DuckDBConnection,
    readonly readOnly = false,
  ) {}

  static async open(path: string, opts: DbOptions = {}): Promise<Warehouse> {
    const warn = opts.onWarn ?? ((): void => undefined);
    const options: Record<string, string> = {
      memory_limit: opts.memoryLimit ?? '1GB',
      preserve_insertion_order: 'false',
      default_block_size: '65536',
      storage_compatibility_version: 'v1.5.0',
      // Never fetch or load code on a file's behalf: an SQLite file as --db made DuckDB try to
      // download its SQLite extension.
      autoinstall_known_extensions: 'false',
      autoload_known_extensions: 'false',
      allow_community_extensions: 'false',
    };
    if (opts.threads) options.threads = String(opts.threads);
    const readOnly = opts.readOnly === true && path !== ':memory:';
    const existed = path !== ':memory:' && existsSync(path);
    if (path !== ':memory:') {
      if ((opts.mustExist || readOnly) && !existed) {
        throw new CliError(`${path}: there is no warehouse here; run \`bench-report ingest --db ${path} <runs>\` first, or name another --db file.`);
      }
      await refuseNotDuckDb(path);
      if (readOnly) {
        options.access_mode = 'READ_ONLY';
        // Spill (if ever) where we may write, not beside a file we may only read.
        options.temp_directory = opts.tempDir ?? join(tmpdir(), `bench-report-spill-${process.pid}`);
      } else {
        await mkdir(dirname(path), { recursive: true });
        options.temp_directory = opts.tempDir ?? `${path}.tmp`;
      }
    }
    let db: Warehouse | null = null;
    try {
      // 1. lock
      const instance = await createWaiting(path, options, opts.lockWaitMs ?? lockWaitFromEnv(), warn);
      const conn = await instance.connect();
      db = new Warehouse(path, instance, conn, readOnly);
      if (path !== ':memory:' && !readOnly) await removeStaleCopies(path, warn);
      await db.prepare(warn);
    } catch (err) {
      db?.close();
      // A warehouse begun here and not finished (a full disk: an 8 KiB header and nothing
      // more) would fail every later open: it goes, so the next run starts afresh.
      if (!existed && path !== ':memory:') {
        await rm(path, { force: true });
        await rm(`${path}.wal`, { force: true });
      }
      throw err;
    }
    return db;
  }

  /** Steps 2–4 of opening, and the schema. */
  private async prepare(warn: (message: string) => void): Promise<void> {
    // 2. identity: ours has a `warehouse` table; a file with tables and none is not ours.
    let tables = await this.tables();
    const marker = tables.find((t) => t.table_name === 'warehouse');
    // Without the marker, anything at all (a view, a macro, another schema's tables) is theirs.
    const other = marker ? [] : (await this.queryFile<{ object: string }>('00_foreign_objects.sql')).map((o) => o.object);
    if (!marker?.has_schema_version && tables.length + other.length > 0) {
      const all = [...tables.map((t) => t.table_name), ...other];
      const names = all.slice(0, 5).join(', ') + (all.length > 5 ? ', …' : '');
      throw new CliError(
        `${this.path}: this DuckDB file is not a bench-report warehouse (it holds ${names} and no warehouse table); it was left untouched — name another --db file.`,
      );
    }
    // 3. layout
    const version = marker ? (await this.all<{ v: number | null }>('SELECT max(schema_version) AS v FROM warehouse'))[0]?.v ?? null : null;
    if (version !== null && version > SCHEMA_VERSION) {
      throw new CliError(
        `${this.path}: warehouse written by a newer bench-report (layout ${version}, this one reads ${SCHEMA_VERSION}); use that version or name another --db file.`,
      );
    }
    if (this.readOnly) {
      // Nothing is written: a layout to rebuild or leftovers to repair wait for a writing command.
      if (version !== SCHEMA_VERSION) {
        throw new CliError(`${this.path}: warehouse layout ${version ?? 'none'} is not this version's ${SCHEMA_VERSION}, and this command only reads it; run \`bench-report ingest --db ${this.path}\` to rebuild it.`);
      }
      return;
    }
    if (version !== SCHEMA_VERSION) {
      const rebuilt = tables.filter((t) => t.has_run_id || t.table_name === 'ev_map' || t.table_name === 'ingest_pending');
      if (version !== null) {
        warn(`${this.path}: warehouse layout ${version} is older than this version's ${SCHEMA_VERSION}; rebuilding it, so its runs will be ingested again.`);
      }
      await this.transaction(async () => {
        for (const t of rebuilt) await this.exec(`DROP TABLE ${quotedIdentifier(t.table_name)}`);
        // The ENUM of event names goes with the tables that use it: a new layout may name more.
        await this.exec('DROP VIEW IF EXISTS events');
        await this.exec('DROP TYPE IF EXISTS ev_name');
        await this.exec('CREATE TABLE IF NOT EXISTS warehouse (schema_version INTEGER NOT NULL)');
        await this.exec('DELETE FROM warehouse');
        await this.exec('INSERT INTO warehouse VALUES ($v)', { v: SCHEMA_VERSION });
      });
    }
    await this.runFile('00_schema.sql');
    await this.runFile('00_ingest_pending.sql');
    // 4. repair
    tables = await this.tables();
    const orphans = await this.repairOrphans(tables);
    if (orphans.rows > 0) {
      warn(
        `${this.path}: removed ${orphans.rows} row(s) of ${orphans.runs.length} unfinished ingest(s) (run id ${orphans.runs.join(', ')}) left by an interrupted bench-report; those runs will be ingested again.`,
      );
    }
  }

  /** The tables of this file (00_warehouse_tables.sql). */
  async tables(): Promise<TableInfo[]> {
    return this.queryFile<TableInfo>('00_warehouse_tables.sql');
  }

  /** Tables that hold rows per run (a `run_id` column), `runs` last. */
  async runTables(): Promise<string[]> {
    const names = (await this.tables()).filter((t) => t.has_run_id).map((t) => t.table_name);
    return [...names.filter((n) => n !== 'runs'), ...names.filter((n) => n === 'runs')];
  }

  /**
   * Deletes what unfinished ingests left, in every per-run table; returns how many rows of
   * which run ids. A crash during commit can leave a run's rows without its `runs` row (DuckDB
   * 1.5.6 can bring a transaction killed while committing back partly applied). The suspects
   * are found without scanning whole tables: the ids ingest marked as pending and never
   * cleared, and any id above the largest in `runs` (where a fresh run's leftovers land).
   */
  private async repairOrphans(tables: TableInfo[]): Promise<{ rows: number; runs: number[] }> {
    const perRun = tables.filter((t) => t.has_run_id && t.table_name !== 'runs').map((t) => quotedIdentifier(t.table_name));
    const suspects = new Set((await this.all<{ id: number }>('SELECT DISTINCT pending_id AS id FROM ingest_pending')).map((r) => r.id));
    const [top] = await this.all<{ id: number }>('SELECT coalesce(max(run_id), 0) AS id FROM runs');
    for (const t of perRun) {
      const above = await this.all<{ id: number }>(`SELECT DISTINCT run_id AS id FROM ${t} WHERE run_id > $top`, { top: top?.id ?? 0 });
      for (const r of above) suspects.add(r.id);
    }
    if (suspects.size === 0) return { rows: 0, runs: [] };
    const ids = [...suspects].sort((a, b) => a - b);
    let rows = 0;
    await this.transaction(async () => {
      for (const id of ids) {
        for (const t of [...perRun, 'runs']) {
          const [n] = await this.all<{ n: number }>(`SELECT count(*) AS n FROM ${t} WHERE run_id = $id`, { id });
          rows += n?.n ?? 0;
          await this.exec(`DELETE FROM ${t} WHERE run_id = $id`, { id });
        }
      }
      await this.exec('DELETE FROM ingest_pending');
    });
    return { rows, runs: ids };
  }

  /**
   * A run id no table uses: one more than the largest in any per-run table or among pending
   * ingests, so an id is never given again while rows of it remain anywhere (not only in
   * `runs`). Marks it pending (committed at once, before any of its rows): see ingest.ts. A
   * run loaded again gets a new id too, never its old one: the old rows stay, untouched and
   * unmarked, until the transaction that writes the new ones commits (replaceRun), so a crash
   * at any instant leaves the old run or the new one — a pending id is deleted on open.
   */
  async beginRun(): Promise<number> {
    const tables = await this.runTables();
    const max = [...tables.map((t) => `(SELECT max(run_id) FROM ${quotedIdentifier(t)})`), '(SELECT max(pending_id) FROM ingest_pending)'].join(', ');
    const [row] = await this.all<{ id: number }>(`SELECT coalesce(greatest(${max}), 0) + 1 AS id`);
    const id = row?.id ?? 1;
    await this.exec('INSERT INTO ingest_pending VALUES ($id)', { id });
    return id;
  }

  /**
   * Inside the new run's transaction, just before its `runs` row: the run it replaces (same
   * path, `oldId`) is deleted from every per-run table and the new id's pending mark cleared,
   * so one commit swaps old for new, and a commit that never happened leaves the old run.
   */
  async replaceRun(newId: number, oldId: number | undefined): Promise<void> {
    if (oldId !== undefined) await this.deleteRun(oldId);
    await this.exec('DELETE FROM ingest_pending WHERE pending_id = $id', { id: newId });
  }

  /** The run's transaction has ended (committed or rolled back): it is no longer pending. */
  async endRun(id: number): Promise<void> {
    await this.exec('DELETE FROM ingest_pending WHERE pending_id = $id', { id });
  }

  /** Deletes one run's rows from every per-run table (`runs` last). */
  async deleteRun(runId: number): Promise<void> {
    for (const t of await this.runTables()) {
      await this.exec(`DELETE FROM ${quotedIdentifier(t)} WHERE run_id = $run_id`, { run_id: runId });
    }
  }

  async exec(sql: string, params?: Params, types?: ParamTypes): Promise<void> {
    await this.conn.run(sql, params, types);
  }

  async all<T = Row>(sql: string, params?: Params, types?: ParamTypes): Promise<T[]> {
    const reader = await this.conn.runAndReadAll(sql, params, types);
    return reader.getRowObjectsJS().map((r) => plain(r) as T);
  }

  async sqlFile(name: string): Promise<string> {
    this.queriesRun.add(name);
    return readFile(join(QUERIES_DIR, name), 'utf8');
  }

  async runFile(name: string, params?: Params, types?: ParamTypes): Promise<void> {
    await this.exec(await this.sqlFile(name), params, types);
  }

  async queryFile<T = Row>(name: string, params?: Params, types?: ParamTypes): Promise<T[]> {
    return this.all<T>(await this.sqlFile(name), params, types);
  }

  async transaction<T>(fn: () => Promise<T>): Promise<T> {
    await this.exec('BEGIN TRANSACTION');
    try {
      const out = await fn();
      await this.exec('COMMIT');
      return out;
    } catch (err) {
      await this.exec('ROLLBACK').catch(() => undefined);
      throw err;
    }
  }

  private closed = false;

  /** Closes the file; a second call does nothing. */
  close(): void {
    if (this.closed) return;
    this.closed = true;
    this.conn.closeSync();
    this.instance.closeSync();
  }

  /**
   * Closes the warehouse after writing it, first compacting the file when at least a fifth of
   * it (and 4 MiB) is free blocks. DuckDB rewrites a table's last, partly filled row group when
   * rows are appended to it, so every ingest after the first frees blocks that later ones reuse
   * only in part: six runs ingested one after another left 36% of the file free (docs/storage.md).
   * The live tables are copied (COPY FROM DATABASE: tables, views, types, constraints) to a
   * sibling file, which is renamed over this one while the lock is still held; an interruption
   * before the rename leaves the old file whole (the partial copy beside it is deleted by the
   * next open: removeStaleCopies). Returns the sizes in MiB, or undefined when nothing was done.
   */
  async closeCompacting(when: { minFreeBytes?: number; minFreeShare?: number } = {}): Promise<{ beforeMb: number; afterMb: number } | undefined> {
    // BENCH_REPORT_COMPACT_MIN_FREE_BYTES: for scripts/crash-probe.mjs, to compact a small file.
    const minFree = when.minFreeBytes ?? (Number(process.env.BENCH_REPORT_COMPACT_MIN_FREE_BYTES) || COMPACT_MIN_FREE_BYTES);
    const minShare = when.minFreeShare ?? COMPACT_MIN_FREE_SHARE;
    try {
      if (this.path === ':memory:' || this.readOnly) return undefined;
      await this.exec('CHECKPOINT');
      const [s] = await this.all<{ total: number; free: number; bs: number; db: string }>(
        'SELECT total_blocks AS total, free_blocks AS free, block_size AS bs, database_name AS db FROM pragma_database_size() WHERE database_name = current_database()',
      );
      if (!s || s.free * s.bs < minFree || s.free < s.total * minShare) return undefined;
      // Beside the real file (a --db symlink stays a link to it), with its mode and owner.
      const real = await realpath(this.path);
      const was = await stat(real);
      const tmp = tempSibling(real);
      try {
        await this.exec(`ATTACH ${quotedString(tmp)} AS bench_report_compact`);
        // In insertion order the copy fills whole row groups: 37.5 instead of 39.8 MiB.
        await this.exec('SET preserve_insertion_order = true');
        await this.exec(`COPY FROM DATABASE ${quotedIdentifier(s.db)} TO bench_report_compact`);
        await this.exec('SET preserve_insertion_order = false');
        await this.exec('DETACH bench_report_compact');
        await chmod(tmp, was.mode & 0o7777);
        if (was.uid !== process.getuid?.() || was.gid !== process.getgid?.()) await chown(tmp, was.uid, was.gid);
        faultPoint('compact-before-rename');
        await rename(tmp, real);
      } catch (err) {
        await this.exec('DETACH DATABASE IF EXISTS bench_report_compact').catch(() => undefined);
        await rm(tmp, { force: true });
        await rm(`${tmp}.wal`, { force: true });
        throw err;
      }
      return { beforeMb: (s.total * s.bs) / 1048576, afterMb: (await stat(real)).size / 1048576 };
    } finally {
      this.close();
    }
  }
}

/** Compact only when this many bytes of blocks are free, and this share of the file. */
const COMPACT_MIN_FREE_BYTES = 4 * 1048576;
const COMPACT_MIN_FREE_SHARE = 0.2;

function plain(v: unknown): unknown {
  if (typeof v === 'bigint') return Number(v);
  if (Array.isArray(v)) return v.map(plain);
  if (v instanceof Date) return v;
  if (v !== null && typeof v === 'object') {
    const out: Record<string, unknown> = {};
    for (const [k, x] of Object.entries(v)) out[k] = plain(x);
    return out;
  }
  return v;
}
