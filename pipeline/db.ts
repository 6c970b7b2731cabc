// The warehouse: an embedded DuckDB file. Opens it with a memory limit and a spill directory
// (so big ingests spill instead of growing), runs SQL files from queries/, and reads rows as
// plain JS values with BIGINT turned into numbers so nothing downstream sees a bigint.
import { DuckDBInstance, type DuckDBConnection, type DuckDBType, type DuckDBValue } from '@duckdb/node-api';
import { mkdir, readFile } from 'node:fs/promises';
import { basename, dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { CliError } from './errors.js';

/** Package root, whether this module runs from dist/pipeline (built) or pipeline/ (vitest). */
export const PACKAGE_ROOT = ((): string => {
  const here = dirname(fileURLToPath(import.meta.url));
  return basename(dirname(here)) === 'dist' ? join(here, '..', '..') : join(here, '..');
})();

export const QUERIES_DIR = join(PACKAGE_ROOT, 'queries');

/**
 * Version of the warehouse layout (queries/00_schema.sql and what ingest writes). The
 * warehouse is a cache of the logs, so a file written with another version is emptied and
 * its runs are ingested again, instead of failing on a column that moved.
 */
export const SCHEMA_VERSION = 3;
const CACHE_TABLES = ['events', 'malformed_samples', 'files', 'runs'];

export type Row = Record<string, unknown>;
export type Params = Record<string, DuckDBValue>;
/** Types for params whose type cannot be inferred (e.g. a list of DOUBLE starting with 0). */
export type ParamTypes = Record<string, DuckDBType | undefined>;

export interface DbOptions {
  memoryLimit?: string;
  threads?: number;
  tempDir?: string;
  /** Told when an existing warehouse of another layout version is emptied. */
  onReset?: (message: string) => void;
}

export class Warehouse {
  readonly queriesRun = new Set<string>();
  private constructor(
    readonly path: string,
    private readonly instance: DuckDBInstance,
    readonly conn: DuckDBConnection,
  ) {}

  static async open(path: string, opts: DbOptions = {}): Promise<Warehouse> {
    const options: Record<string, string> = {
      memory_limit: opts.memoryLimit ?? '1GB',
      preserve_insertion_order: 'false',
    };
    if (opts.threads) options.threads = String(opts.threads);
    if (path !== ':memory:') {
      await mkdir(dirname(path), { recursive: true });
      options.temp_directory = opts.tempDir ?? `${path}.tmp`;
    }
    let instance: DuckDBInstance;
    try {
      instance = await DuckDBInstance.create(path, options);
    } catch (err) {
      throw new CliError(`${path}: cannot open the DuckDB warehouse (${(err as Error).message.split('\n')[0]}).`);
    }
    const conn = await instance.connect();
    const db = new Warehouse(path, instance, conn);
    await db.exec('CREATE TABLE IF NOT EXISTS warehouse (schema_version INTEGER NOT NULL)');
    const [row] = await db.all<{ v: number }>('SELECT max(schema_version) AS v FROM warehouse');
    if (row?.v !== SCHEMA_VERSION) {
      if (row?.v !== null && row?.v !== undefined) {
        opts.onReset?.(`${path}: warehouse written by layout ${row.v}, this version uses ${SCHEMA_VERSION}; its runs will be ingested again.`);
      }
      for (const t of CACHE_TABLES) await db.exec(`DROP TABLE IF EXISTS ${t}`);
      await db.exec('DELETE FROM warehouse');
      await db.exec('INSERT INTO warehouse VALUES ($v)', { v: SCHEMA_VERSION });
    }
    await db.runFile('00_schema.sql');
    return db;
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

  close(): void {
    this.conn.closeSync();
    this.instance.closeSync();
  }
}

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

