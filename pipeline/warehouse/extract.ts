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
// A part (`--part K/N`, one task per node log of a huge run) is an extract of a contiguous
// slice of the run's nodes, its manifest saying which (`part`); it is accepted nowhere but by
// `extract` itself, which merges the N parts of a run into the extract the whole run gives
// (mergeParts: every table's file_id put back in the whole run's numbering, `runs` written
// last from the whole run's RunInfo and the parts' warnings in node order).
import { listValue, quotedIdentifier, quotedString } from '@duckdb/node-api';
import { createHash } from 'node:crypto';
import { lstat, mkdir, readFile, realpath, rename, rm, stat, writeFile } from 'node:fs/promises';
import { join, resolve } from 'node:path';
import { SCHEMA_VERSION, type Warehouse } from './db.js';
import { CliError, genesisProblem, genesisValue, readJsonText } from '../core/index.js';
import type { RunInfo, Warning } from '../core/index.js';
import { TOOL_VERSION } from './version.js';

export const EXTRACT_SCHEMA = 'bench-report/extract@1';
const MANIFEST = 'manifest.json';

export interface ExtractTable {
  name: string;
  file: string;
  rows: number;
}

/** Which slice of a run's nodes a part extract holds: part `index` (1-based) of `of`. */
export interface ExtractPart {
  index: number;
  of: number;
  nodes: string[];
}

export interface ExtractManifest {
  schema: typeof EXTRACT_SCHEMA;
  fingerprint: string;
  run_path: string;
  tag: string;
  tool_version: string;
  layout_version: number;
  tables: ExtractTable[];
  /** The whole run, also in a part (whose rows hold only `part.nodes`). */
  run: RunInfo;
  part?: ExtractPart;
}

/** A folder name for a run: its tag with anything but letters, digits, `.`, `_`, `-` replaced. */
export function extractName(tag: string, part?: ExtractPart): string {
  const safe = tag.replace(/[^A-Za-z0-9._-]+/g, '_').replace(/^\.+/, '_') || 'run';
  // A file name holds 255 bytes: a longer tag keeps its first 80 characters and a hash of the whole.
  const name = safe.length > 100 ? `${safe.slice(0, 80)}-${createHash('sha256').update(tag).digest('hex').slice(0, 12)}` : safe;
  return part ? `${name}.part-${part.index}-of-${part.of}` : name;
}

/**
 * The nodes part `index` of `of` holds: a contiguous slice of the run's nodes in their order,
 * so the parts' files, taken in part order, are the run's files in its own order.
 */
export function partNodes(run: RunInfo, index: number, of: number): RunInfo['nodes'] {
  const n = run.nodes.length;
  return run.nodes.slice(Math.floor(((index - 1) * n) / of), Math.floor((index * n) / of));
}

/**
 * Writes run `runId` of `db` as `<out>/<name>/`. An existing extract of the same run is
 * replaced; a folder holding anything else is left alone (exit 2).
 */
export async function writeExtract(db: Warehouse, runId: number, run: RunInfo, out: string, part?: ExtractPart): Promise<string> {
  const name = extractName(run.tag, part);
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
      ...(part ? { part } : {}),
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
  if (m.part) {
    throw new CliError(
      `${dir}: is part ${m.part.index} of ${m.part.of} of run ${m.run_path} (nodes ${m.part.nodes.join(', ')}), not a whole run; merge the parts first: bench-report extract <the ${m.part.of} part folders, or their folder> --out DIR.`,
    );
  }
  return { ...m.run, extract: dir };
}

/** The manifest of a part extract at `dir`, or null when `dir` is not one. */
export async function readPart(dir: string): Promise<(ExtractManifest & { part: ExtractPart; dir: string }) | null> {
  if (!(await isExtractDir(dir))) return null;
  const real = await realpath(dir);
  const m = await readManifest(real);
  return m.part ? { ...m, part: m.part, dir: real } : null;
}

/**
 * Loads the parts of one run (all N of them, any order) into `db` as that whole run, the way
 * loadExtract loads an extract: a fresh run_id, pending until the transaction commits, `runs`
 * last. Returns the run_id and the whole run, for writeExtract.
 */
export async function mergeParts(db: Warehouse, given: (ExtractManifest & { part: ExtractPart; dir: string })[]): Promise<{ runId: number; run: RunInfo }> {
  const parts = [...given].sort((a, b) => a.part.index - b.part.index);
  const first = parts[0];
  if (!first) throw new CliError('no part extracts to merge.');
  const of = first.part.of;
  for (const p of parts) {
    if (p.run_path !== first.run_path || p.fingerprint !== first.fingerprint || p.part.of !== of) {
      throw new CliError(
        `${p.dir}: is part ${p.part.index} of ${p.part.of} of ${p.run_path} (fingerprint ${p.fingerprint.slice(0, 12)}), but ${first.dir} is part ${first.part.index} of ${of} of ${first.run_path} (fingerprint ${first.fingerprint.slice(0, 12)}); extract every part of the run from the same logs, with the same N.`,
      );
    }
  }
  const seen = parts.map((p) => p.part.index);
  const dup = seen.find((i, k) => seen.indexOf(i) !== k);
  if (dup !== undefined) throw new CliError(`${first.run_path}: part ${dup} of ${of} is given twice (${parts.filter((p) => p.part.index === dup).map((p) => p.dir).join(', ')}).`);
  const missing = Array.from({ length: of }, (_, i) => i + 1).filter((i) => !seen.includes(i));
  if (missing.length > 0) {
    throw new CliError(`${first.run_path}: part${missing.length > 1 ? 's' : ''} ${missing.join(', ')} of ${of} missing (given: ${seen.join(', ')}); every part must be extracted before the merge.`);
  }
  const run = first.run;
  const tables = await db.runTables();
  for (const p of parts) {
    const have = p.tables.map((t) => t.name).sort();
    if (have.join(',') !== [...tables].sort().join(',')) {
      throw new CliError(`${p.dir}: extract holds tables ${have.join(', ')} but the warehouse has ${tables.join(', ')}; extract the run again with this version.`);
    }
  }
  const withFileId = new Set(
    (await db.all<{ table_name: string }>("SELECT table_name FROM duckdb_columns() WHERE column_name = 'file_id' AND NOT internal")).map((r) => r.table_name),
  );
  for (const p of parts) for (const t of p.tables) await tableFile(p.dir, t);
  const [prev] = await db.all<{ run_id: number }>('SELECT run_id FROM runs WHERE path = $path', { path: run.path });
  const runId = await db.beginRun();
  const merged = db.transaction(async () => {
    await db.deleteRun(runId);
    // The whole run's file numbering (ingest's: the nodes' files in order), by path.
    const paths = run.nodes.flatMap((n) => n.files);
    await db.exec('CREATE OR REPLACE TEMP TABLE merge_files AS SELECT unnest($paths) AS path, generate_subscripts($paths, 1) - 1 AS file_id', {
      paths: listValue(paths),
    });
    const warnings: Warning[] = [];
    for (const p of parts) {
      const file = (name: string): string => join(p.dir, p.tables.find((t) => t.name === name)?.file ?? `${name}.parquet`);
      try {
        await db.exec(
          `CREATE OR REPLACE TEMP TABLE merge_map AS SELECT x.file_id AS local_id, g.file_id AS file_id
           FROM read_parquet(${quotedString(file('files'))}) AS x JOIN merge_files AS g USING (path)`,
        );
        const [n] = await db.all<{ mapped: number; rows: number }>(
          `SELECT (SELECT count(*) FROM merge_map) AS mapped, (SELECT count(*) FROM read_parquet(${quotedString(file('files'))})) AS rows`,
        );
        if (Number(n?.mapped) !== Number(n?.rows)) {
          throw new CliError(`${p.dir}: holds log files that run ${run.path} does not list; extract the part again.`);
        }
        for (const t of p.tables) {
          if (t.name === 'runs') continue;
          const src = quotedString(join(p.dir, t.file));
          await db.exec(
            withFileId.has(t.name)
              ? `INSERT INTO ${quotedIdentifier(t.name)} BY NAME SELECT x.* REPLACE ($run_id::INTEGER AS run_id, m.file_id AS file_id) FROM read_parquet(${src}) AS x JOIN merge_map AS m ON m.local_id = x.file_id`
              : `INSERT INTO ${quotedIdentifier(t.name)} BY NAME SELECT * REPLACE ($run_id::INTEGER AS run_id) FROM read_parquet(${src})`,
            { run_id: runId },
          );
        }
        const [row] = await db.all<{ w: string | null }>(`SELECT info->>'$.warnings' AS w FROM read_parquet(${quotedString(file('runs'))})`);
        if (row?.w) warnings.push(...(JSON.parse(row.w) as Warning[]));
      } catch (err) {
        if (err instanceof CliError) throw err;
        throw new CliError(`${p.dir}: cannot merge this part (${(err as Error).message.split('\n')[0]}); extract it again.`);
      }
    }
    const [parsed] = await db.all<{ n: number }>('SELECT coalesce(sum(parsed), 0) AS n FROM files WHERE run_id = $run_id', { run_id: runId });
    if (Number(parsed?.n) === 0) {
      throw new CliError(`${run.path}: no node log of this run holds a JSON log object; ingest the run directly (bench-report ingest) to see what its lines look like.`);
    }
    // `runs` last, as ingest writes it: the whole run's RunInfo with every part's warnings;
    // the old rows of a run merged again go in the same commit.
    await db.replaceRun(runId, prev?.run_id);
    await db.exec(
      `INSERT INTO runs BY NAME SELECT * REPLACE ($run_id::INTEGER AS run_id, $fp AS fingerprint, $info::JSON AS info, $nodes::INTEGER AS nodes)
       FROM read_parquet(${quotedString(join(first.dir, first.tables.find((t) => t.name === 'runs')?.file ?? 'runs.parquet'))})`,
      { run_id: runId, fp: run.fingerprint, info: JSON.stringify({ ...run, warnings }), nodes: run.nodes.length },
    );
    await db.exec('DROP TABLE IF EXISTS merge_map');
    await db.exec('DROP TABLE IF EXISTS merge_files');
  });
  await merged.finally(() => db.endRun(runId));
  return { runId, run };
}

async function readManifest(dir: string): Promise<ExtractManifest> {
  const file = join(dir, MANIFEST);
  let m: Partial<ExtractManifest>;
  try {
    m = JSON.parse(await readJsonText(file, 'extract manifest')) as Partial<ExtractManifest>;
  } catch (err) {
    if (err instanceof CliError) throw err;
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
  // Untrusted: an extract comes from another machine or team. Its genesis passes the rules a
  // run folder's does, and each table's file is `<table>.parquet`, nothing else (a `..`, an
  // absolute path or a glob would make DuckDB read outside the folder, or a file twice).
  for (const field of ['slotLength', 'epochLength'] as const) {
    if (genesisValue(field, run.genesis[field]) === null) throw new CliError(`${file}: ${genesisProblem(field, run.genesis[field])}`);
  }
  if (typeof run.genesis.systemStart !== 'string' || !/^\d{4}-\d{2}-\d{2}T/.test(run.genesis.systemStart) || !Number.isFinite(Date.parse(run.genesis.systemStart))) {
    throw new CliError(`${file}: genesis systemStart must be an ISO 8601 instant, got ${JSON.stringify(run.genesis.systemStart) ?? 'nothing'}.`);
  }
  const names = new Set<string>();
  for (const t of m.tables as unknown[]) {
    const { name, file: tf } = (t ?? {}) as { name?: unknown; file?: unknown };
    if (typeof name !== 'string' || !/^[a-z_][a-z0-9_]*$/.test(name) || names.has(name)) {
      throw new CliError(`${file}: table name ${JSON.stringify(name) ?? 'nothing'} is not a warehouse table name, or is listed twice; extract the run again.`);
    }
    names.add(name);
    if (tf !== `${name}.parquet`) {
      throw new CliError(`${file}: table ${name}'s file ${JSON.stringify(tf) ?? 'nothing'} must be ${name}.parquet, a plain file in the extract folder; extract the run again.`);
    }
  }
  if (/[*?[\]{}]/.test(dir)) {
    throw new CliError(`${dir}: the extract folder's path holds a pattern character (* ? [ ] { }), which DuckDB would read as a pattern; rename or move the folder.`);
  }
  return m as ExtractManifest;
}

/**
 * The path of table `t`'s file in extract `dir`, once it is known to be a plain file there (a
 * link could point anywhere); its name was checked with the manifest (readManifest).
 */
async function tableFile(dir: string, t: ExtractTable): Promise<string> {
  const file = join(dir, t.file);
  const s = await lstat(file).catch(() => null);
  if (!s) throw new CliError(`${file}: missing from the extract; extract the run again.`);
  if (!s.isFile()) throw new CliError(`${file}: is not a plain file (a link, folder or device); an extract's table files must be plain files in its folder — extract the run again.`);
  return file;
}

/**
 * The extract's `runs.parquet` holds one row, of the manifest's run, with genesis values that
 * pass a run folder's rules and agree with the manifest's: a report of garbage is worse than none.
 */
async function checkRunsRow(db: Warehouse, file: string, m: ExtractManifest): Promise<void> {
  const rows = await db.all<{ path: string; slot_len: number; epoch_len: number }>(
    `SELECT path, slot_length AS slot_len, epoch_length AS epoch_len FROM read_parquet(${quotedString(file)}) LIMIT 3`,
  );
  const [row] = rows;
  if (rows.length !== 1 || !row) throw new CliError(`${file}: holds ${rows.length} runs, not one; extract the run again.`);
  if (row.path !== m.run_path) throw new CliError(`${file}: holds run ${row.path}, but the manifest names ${m.run_path}; extract the run again.`);
  if (genesisValue('slotLength', row.slot_len) === null) throw new CliError(`${file}: ${genesisProblem('slotLength', row.slot_len)}`);
  if (genesisValue('epochLength', row.epoch_len) === null) throw new CliError(`${file}: ${genesisProblem('epochLength', row.epoch_len)}`);
  if (row.slot_len !== m.run.genesis.slotLength || row.epoch_len !== m.run.genesis.epochLength) {
    throw new CliError(`${file}: genesis slot length ${row.slot_len} s and epoch length ${row.epoch_len} disagree with the manifest's (${m.run.genesis.slotLength} s, ${m.run.genesis.epochLength}); extract the run again.`);
  }
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
  const files = new Map<string, string>();
  for (const t of m.tables) files.set(t.name, await tableFile(dir, t));
  await checkRunsRow(db, files.get('runs') ?? join(dir, 'runs.parquet'), m);
  const runId = await db.beginRun();
  const loaded = db.transaction(async () => {
    await db.deleteRun(runId);
    // `runs` last: its row marks the run complete; the old rows of a run loaded again go in
    // the same commit.
    const order = [...m.tables].sort((a, b) => Number(a.name === 'runs') - Number(b.name === 'runs'));
    for (const t of order) {
      const file = files.get(t.name) ?? '';
      if (t.name === 'runs') await db.replaceRun(runId, prev?.run_id);
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
