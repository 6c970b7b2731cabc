// Extracts: one run's warehouse rows as Parquet, so ingest can be fanned out over machines
// (a Slurm array, a Nomad dispatch) and merged where the report is built without the logs.
// An extract folder holds `<table>.parquet` for every warehouse table with a `run_id` column
// (found in the catalogue, so a new table layout needs no change here) and manifest.json
// (`bench-report/extract@1`): the run's fingerprint, path, tag, the tool and warehouse layout
// versions, the tables with their row counts, and the run's RunInfo, so a report over the
// extract shows the same manifest as one over the run. Invariants:
//   - a folder is written under a temporary name and renamed into place: a reader sees a
//     whole extract or none;
//   - loading gives the run a fresh run_id in the target warehouse and writes `runs` last,
//     in one transaction, like ingest: the run is wholly present or absent;
//   - an extract of another layout version is refused (exit 2), never half-read.
import { quotedIdentifier, quotedString } from '@duckdb/node-api';
import { mkdir, readFile, realpath, rename, rm, stat, writeFile } from 'node:fs/promises';
import { join, resolve } from 'node:path';
import { SCHEMA_VERSION, type Warehouse } from './db.js';
import { CliError } from './errors.js';
import type { RunInfo, Warning } from './types.js';
import { TOOL_VERSION } from './version.js';

export const EXTRACT_SCHEMA = 'bench-report/extract@1';
const MANIFEST = 'manifest.json';

export interface ExtractTable {
  name: string;
  file: string;
  rows: number;
}

export interface ExtractManifest {
  schema: typeof EXTRACT_SCHEMA;
  fingerprint: string;
  run_path: string;
  tag: string;
  tool_version: string;
  layout_version: number;
  tables: ExtractTable[];
  run: RunInfo;
}

/** A folder name for a run: its tag with anything but letters, digits, `.`, `_`, `-` replaced. */
export function extractName(tag: string): string {
  return tag.replace(/[^A-Za-z0-9._-]+/g, '_').replace(/^\.+/, '_') || 'run';
}

/**
 * Writes run `runId` of `db` as `<out>/<name>/`. An existing extract of the same run is
 * replaced; a folder holding anything else is left alone (exit 2).
 */
export async function writeExtract(db: Warehouse, runId: number, run: RunInfo, out: string, name = extractName(run.tag)): Promise<string> {
  const final = join(resolve(out), name);
  await refuseForeign(final, run);
  const tmp = join(resolve(out), `.${name}.${process.pid}.${Date.now()}.tmp`);
  await mkdir(tmp, { recursive: true });
  try {
    const tables: ExtractTable[] = [];
    for (const t of await db.runTables()) {
      const file = `${t}.parquet`;
      // Identifiers and a COPY target cannot be bound parameters: the table name comes from
      // the catalogue and both are quoted by the driver's helpers.
      const [res] = await db.all<{ Count: number }>(
        `COPY (SELECT * FROM ${quotedIdentifier(t)} WHERE run_id = $run_id) TO ${quotedString(join(tmp, file))} (FORMAT parquet, COMPRESSION zstd)`,
        { run_id: runId },
      );
      tables.push({ name: t, file, rows: Number(res?.Count ?? 0) });
    }
    const manifest: ExtractManifest = {
      schema: EXTRACT_SCHEMA,
      fingerprint: run.fingerprint,
      run_path: run.path,
      tag: run.tag,
      tool_version: TOOL_VERSION,
      layout_version: SCHEMA_VERSION,
      tables,
      run: stripExtract(run),
    };
    await writeFile(join(tmp, MANIFEST), `${JSON.stringify(manifest, null, 2)}\n`);
    await replaceDir(tmp, final);
    return final;
  } catch (err) {
    await rm(tmp, { recursive: true, force: true });
    throw err;
  }
}

/** True when `dir` holds an extract manifest (any version: readExtract says what is wrong). */
export async function isExtractDir(dir: string): Promise<boolean> {
  const text = await readFile(join(dir, MANIFEST), 'utf8').catch(() => null);
  if (text === null) return false;
  try {
    const m = JSON.parse(text) as { schema?: unknown };
    return typeof m.schema === 'string' && m.schema.startsWith('bench-report/extract@');
  } catch {
    return false;
  }
}

/** The run an extract folder holds, as discover returns it (`extract` set to the folder). */
export async function readExtract(given: string): Promise<RunInfo> {
  const dir = await realpath(given);
  const m = await readManifest(dir);
  return { ...m.run, extract: dir };
}

async function readManifest(dir: string): Promise<ExtractManifest> {
  const file = join(dir, MANIFEST);
  let m: Partial<ExtractManifest>;
  try {
    m = JSON.parse(await readFile(file, 'utf8')) as Partial<ExtractManifest>;
  } catch (err) {
    throw new CliError(`${file}: cannot read the extract manifest (${(err as Error).message.split('\n')[0]}).`);
  }
  if (m.schema !== EXTRACT_SCHEMA) {
    throw new CliError(`${file}: extract schema "${String(m.schema)}" is not ${EXTRACT_SCHEMA}; extract the run again with this version of bench-report.`);
  }
  if (m.layout_version !== SCHEMA_VERSION) {
    throw new CliError(
      `${file}: extract written with warehouse layout ${String(m.layout_version)} (bench-report ${String(m.tool_version)}), this version uses layout ${SCHEMA_VERSION}; extract the run again with this version.`,
    );
  }
  const run = m.run;
  if (!run || typeof run.path !== 'string' || typeof run.tag !== 'string' || typeof run.fingerprint !== 'string' || !run.genesis || !Array.isArray(run.nodes) || !Array.isArray(m.tables)) {
    throw new CliError(`${file}: extract manifest lacks the run (path, tag, fingerprint, genesis, nodes) or its tables; extract the run again.`);
  }
  return m as ExtractManifest;
}

/**
 * Loads an extract (run.extract) into `db` under a fresh run_id, the way ingest loads a run:
 * the id marked pending until the transaction commits, `runs` written last. Unchanged (same
 * path and fingerprint already present) is a no-op, like ingest of an unchanged run. The
 * warnings ingest stored with the run come back with it.
 */
export async function loadExtract(db: Warehouse, run: RunInfo): Promise<{ runId: number; status: 'fresh' | 'loaded'; warnings: Warning[] }> {
  const dir = run.extract ?? '';
  const m = await readManifest(dir);
  const [prev] = await db.all<{ run_id: number; fingerprint: string }>('SELECT run_id, fingerprint FROM runs WHERE path = $path', { path: m.run_path });
  if (prev && prev.fingerprint === m.fingerprint) return { runId: prev.run_id, status: 'fresh', warnings: await storedWarnings(db, prev.run_id) };

  const tables = await db.runTables();
  const have = m.tables.map((t) => t.name).sort();
  if (have.join(',') !== [...tables].sort().join(',')) {
    throw new CliError(`${dir}: extract holds tables ${have.join(', ')} but the warehouse has ${tables.join(', ')}; extract the run again with this version.`);
  }
  const runId = await db.beginRun(prev?.run_id);
  const loaded = db.transaction(async () => {
    await db.deleteRun(runId);
    // `runs` last: its row marks the run complete.
    const order = [...m.tables].sort((a, b) => Number(a.name === 'runs') - Number(b.name === 'runs'));
    for (const t of order) {
      const file = join(dir, t.file);
      try {
        await db.exec(`INSERT INTO ${quotedIdentifier(t.name)} BY NAME SELECT * REPLACE ($run_id::INTEGER AS run_id) FROM read_parquet(${quotedString(file)})`, {
          run_id: runId,
        });
      } catch (err) {
        throw new CliError(`${file}: cannot load this extract table (${(err as Error).message.split('\n')[0]}); extract the run again.`);
      }
    }
  });
  await loaded.finally(() => db.endRun(runId));
  return { runId, status: 'loaded', warnings: await storedWarnings(db, runId) };
}

/** The warnings ingest stored in the run's `info` (gzip cut, empty log …). */
async function storedWarnings(db: Warehouse, runId: number): Promise<Warning[]> {
  const [row] = await db.all<{ w: string | null }>("SELECT info->>'$.warnings' AS w FROM runs WHERE run_id = $run_id", { run_id: runId });
  return row?.w ? (JSON.parse(row.w) as Warning[]) : [];
}

/** A folder at `final` that is not an extract of this run is never replaced. */
async function refuseForeign(final: string, run: RunInfo): Promise<void> {
  if (!(await stat(final).then(() => true, () => false))) return;
  const m = (await isExtractDir(final)) ? ((JSON.parse(await readFile(join(final, MANIFEST), 'utf8')) as Partial<ExtractManifest>).run_path ?? null) : null;
  if (m !== run.path) {
    throw new CliError(
      `${final}: already exists and is not an extract of ${run.path}${m ? ` (it holds ${m})` : ''}; choose another --out folder or remove it.`,
    );
  }
}

/** Puts `tmp` at `final`; an older extract there is moved aside first, then removed. */
async function replaceDir(tmp: string, final: string): Promise<void> {
  const old = `${tmp}.old`;
  const hadOld = await rename(final, old).then(() => true, () => false);
  await rename(tmp, final);
  if (hadOld) await rm(old, { recursive: true, force: true });
}

function stripExtract(run: RunInfo): RunInfo {
  const { extract: _drop, ...rest } = run;
  return rest;
}
