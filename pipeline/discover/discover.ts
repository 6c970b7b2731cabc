// discover: turn the paths a user names into run directories (DESIGN §2), reading meta.json
// and genesis and listing each node's log files in time order. Nothing is ingested here; every
// problem with the input is one sentence naming the path (CliError, exit 2), so a broken run
// is refused before the warehouse is touched. Among several paths or in a folder of runs, a
// bad run is skipped with a `run-skipped` warning when the caller passes `onSkip` (the CLI
// does unless --strict); when nothing is left, the first reason is the error.
import { createHash } from 'node:crypto';
import { constants, type Stats } from 'node:fs';
import { access, readdir, realpath, stat } from 'node:fs/promises';
import { basename, join, resolve } from 'node:path';
import { CliError, genesisProblem, genesisValue, readJsonText } from '../core/index.js';
import { isExtractDir, readExtract } from '../warehouse/index.js';
import type { Genesis, NodeLogs, PackageInfo, RunInfo, Warning } from '../core/index.js';

/** RTS flags every workbench node starts with; the profile's override is appended. */
export const DEFAULT_RTS_FLAGS = ['-N2', '-I0', '-A16m', '-qg1', '-qb1', '--disable-delayed-os-memory-return'];

export interface DiscoverOptions {
  /** Told about each bad run instead of failing on it; absent means strict. */
  onSkip?: (warning: Warning) => void;
}

const FS_REASONS: Record<string, string> = {
  ENOENT: 'does not exist (a dangling link?)',
  ELOOP: 'is a symbolic link loop',
  EACCES: 'cannot be read (permission denied)',
  EPERM: 'cannot be read (permission denied)',
  ENOTDIR: 'is not a directory',
};

/** One sentence for a file-system error on `path`. */
function fsProblem(path: string, err: unknown, what: string): CliError {
  const code = (err as NodeJS.ErrnoException).code ?? '';
  return new CliError(`${path}: the ${what} ${FS_REASONS[code] ?? `cannot be read (${code || (err as Error).message})`}.`);
}

/** stat following links, or the error it met (a loop, a dangling link, no permission). */
const statOrError = (p: string) => stat(p).catch((err: unknown) => err as NodeJS.ErrnoException);

/** A stat result that says "nothing there" (as opposed to there but unreadable or looping). */
const isMissing = (s: Stats | NodeJS.ErrnoException): boolean => s instanceof Error && s.code === 'ENOENT';

async function listDir(dir: string, what: string) {
  try {
    return await readdir(dir, { withFileTypes: true });
  } catch (err) {
    throw fsProblem(dir, err, what);
  }
}

/**
 * DuckDB reads every path of a file list as a glob: a log named `stdout*` pulls in its
 * siblings and counts them twice, `stdout[1]` reads `stdout1`. Such paths are refused, naming
 * the one to rename, rather than escaped in a way only some DuckDB versions honour.
 */
const GLOB_CHARS = /[*?[]/;

/** A path is a run directory or an extract (extract.ts), or a folder whose children are either. */
export async function discoverRuns(paths: string[], options: DiscoverOptions = {}): Promise<RunInfo[]> {
  const runs: RunInfo[] = [];
  let first: unknown = null;
  // A bad run fails the whole call when strict; otherwise it is named in a warning.
  const bad = (path: string, err: unknown): void => {
    if (!(err instanceof CliError) || options.onSkip === undefined) throw err;
    first ??= err;
    options.onSkip({ run: path, code: 'run-skipped', message: `run skipped: ${err.message}` });
  };
  const read = (dir: string, how = readRun) => how(dir).then((r) => void runs.push(r), (err: unknown) => bad(dir, err));

  for (const given of paths) {
    const p = resolve(given);
    const s = await statOrError(p);
    if (s instanceof Error || !s.isDirectory()) {
      bad(p, s instanceof Error && s.code !== 'ENOENT'
        ? fsProblem(given, s, 'path')
        : new CliError(`${given}: ${s instanceof Error ? 'no such directory' : 'a file, not a directory'}; give a run directory (with meta.json) or a folder of them.`));
      continue;
    }
    if (!isMissing(await statOrError(join(p, 'meta.json')))) {
      await read(p);
      continue;
    }
    if (await isExtractDir(p)) {
      await read(p, readExtract);
      continue;
    }
    // Symbolic links count: workbench run folders are often links (e.g. `current`). A link
    // that loops or dangles is named, not passed over: it may well be the run meant. A plain
    // directory without meta.json (analysis/, .git) is simply not a run.
    let entries: Awaited<ReturnType<typeof listDir>> = [];
    try {
      entries = await listDir(p, 'folder of runs');
    } catch (err) {
      bad(p, err);
      continue;
    }
    const children = entries.filter((d) => d.isDirectory() || d.isSymbolicLink()).map((d) => join(p, d.name)).sort();
    let found = 0;
    let broken = 0;
    for (const c of children) {
      const target = await statOrError(c);
      if (target instanceof Error) {
        broken++;
        bad(c, fsProblem(c, target, 'link in a folder of runs'));
      } else if (target.isDirectory() && !isMissing(await statOrError(join(c, 'meta.json')))) {
        found++;
        await read(c);
      } else if (target.isDirectory() && (await isExtractDir(c))) {
        found++;
        await read(c, readExtract);
      }
    }
    if (found === 0 && broken === 0) {
      bad(p, new CliError(`${given}: no meta.json (nor extract manifest.json) here nor in any subdirectory; this is not a run directory or a folder of runs.`));
    }
  }
  if (runs.length === 0 && first !== null) throw first;
  const seen = new Set<string>();
  return runs.filter((r) => (seen.has(r.path) ? false : (seen.add(r.path), true)));
}

async function readJson(path: string, what: string): Promise<unknown> {
  let text: string;
  try {
    text = await readJsonText(path, what);
  } catch (err) {
    if (err instanceof CliError) throw err;
    throw fsProblem(path, err, what);
  }
  try {
    return JSON.parse(text) as unknown;
  } catch (err) {
    throw new CliError(`${path}: the ${what} is not valid JSON (${(err as Error).message}).`);
  }
}

type Obj = Record<string, unknown>;
const isObj = (v: unknown): v is Obj => v !== null && typeof v === 'object' && !Array.isArray(v);
const obj = (v: unknown): Obj => (isObj(v) ? v : {});
const str = (v: unknown): string | null => (typeof v === 'string' && v !== '' ? v : null);
const num = (v: unknown): number | null => (typeof v === 'number' && Number.isFinite(v) ? v : null);
/** An optional number in [lo, hi] (integral when asked); anything else is unknown. */
const within = (v: unknown, lo: number, hi: number, integral = false): number | null => {
  const n = num(v);
  return n !== null && n >= lo && n <= hi && (!integral || Number.isInteger(n)) ? n : null;
};

export async function readRun(linkOrDir: string): Promise<RunInfo> {
  // A run is known by its real path, so one reached through a link is not ingested twice.
  let dir: string;
  try {
    dir = await realpath(linkOrDir);
  } catch (err) {
    throw fsProblem(linkOrDir, err, 'run directory');
  }
  const metaFile = join(dir, 'meta.json');
  const metaRoot = await readJson(metaFile, 'run metadata');
  // null, a list or a string would otherwise read as "no metadata" and label the run wrongly.
  const meta = isObj(metaRoot) && 'meta' in metaRoot ? metaRoot.meta : metaRoot;
  if (!isObj(meta)) {
    throw new CliError(`${metaFile}: the run metadata must be a JSON object (optionally under "meta"), got ${JSON.stringify(meta)?.slice(0, 40) ?? 'nothing'}.`);
  }
  const pc = obj(meta.profile_content);
  const node = obj(pc.node);
  const manifest = obj(meta.manifest);
  const nodePkg = obj(manifest['cardano-node']);
  const rawOverride = node.rts_flags_override ?? [];
  if (!Array.isArray(rawOverride) || !rawOverride.every((f) => typeof f === 'string')) {
    throw new CliError(`${metaFile}: profile_content.node.rts_flags_override must be a list of strings (e.g. ["-A64m"]), got ${JSON.stringify(rawOverride).slice(0, 40)}.`);
  }
  const override = rawOverride as string[];

  const genesis = await readGenesis(dir);
  const nodes = await listNodeLogs(dir);
  const fingerprint = await fingerprintRun(dir, nodes);
  return {
    tag: str(meta.tag) ?? basename(dir),
    path: dir,
    batch: str(meta.batch),
    profile: str(meta.profile),
    era: str(meta.era),
    ghcVersion: str(meta.node_ghc_version),
    nodeVersion: str(nodePkg.version),
    nodeCommit: str(nodePkg.commit),
    nodeBranch: str(nodePkg.branch),
    tracingBackend: str(node.tracing_backend),
    rtsFlags: [...DEFAULT_RTS_FLAGS, ...override],
    rtsOverride: override,
    hosts: num(obj(pc.composition).n_hosts),
    tps: num(obj(pc.generator).tps),
    durationS: num(obj(pc.derived).generator_duration) ?? num(obj(pc.generator).duration),
    analysisFilters: filterNames(obj(pc.analysis).filters),
    packages: manifestPackages(manifest),
    genesis,
    nodes,
    fingerprint,
  };
}

/** profile_content.analysis.filters as locli reads it: a list of filter names (else none). */
const filterNames = (v: unknown): string[] | null => (Array.isArray(v) && v.every((x) => typeof x === 'string') ? (v as string[]) : null);

/** The build manifest's packages, node first then consensus, ledger, network, plutus, others. */
function manifestPackages(manifest: Obj): PackageInfo[] {
  const rank = (n: string): number => {
    const i = ['node', 'consensus', 'ledger', 'network', 'plutus'].findIndex((k) => n.includes(k));
    return i < 0 ? 9 : i;
  };
  return Object.entries(manifest)
    .filter(([, v]) => v !== null && typeof v === 'object' && !Array.isArray(v))
    .map(([name, v]) => ({ name, commit: str(obj(v).commit), branch: str(obj(v).branch), version: str(obj(v).version) }))
    .sort((a, b) => rank(a.name) - rank(b.name) || a.name.localeCompare(b.name));
}

/** ISO 8601 with a time and a zone, as genesis files write it; `Date.parse("1")` is 2001. */
const ISO_INSTANT = /^\d{4}-\d{2}-\d{2}[T ]\d{2}:\d{2}(:\d{2}(\.\d+)?)?(Z|[+-]\d{2}:?\d{2})$/;
/** A start later than this after the report is made cannot have produced the logs. */
const FUTURE_SLACK_MS = 366 * 24 * 3600 * 1000;

async function readGenesis(dir: string): Promise<Genesis> {
  const candidates = [join(dir, 'genesis', 'genesis.shelley.json'), join(dir, 'genesis-shelley.json')];
  let path: string | undefined;
  for (const c of candidates) if (!path && !((await statOrError(c)) instanceof Error)) path = c;
  if (!path) {
    throw new CliError(`${dir}: run has no genesis (looked for genesis/genesis.shelley.json and genesis-shelley.json); slot timing needs it.`);
  }
  const g = await readJson(path, 'Shelley genesis');
  if (!isObj(g)) throw new CliError(`${path}: the Shelley genesis must be a JSON object.`);
  const fail = (field: string, want: string): never => {
    throw new CliError(`${path}: genesis ${field} must be ${want}, got ${JSON.stringify(g[field]) ?? 'nothing'}.`);
  };
  // Slot timing rests on these three; a wrong one gives a report of garbage timings.
  const systemStart = str(g.systemStart);
  const start = systemStart !== null && ISO_INSTANT.test(systemStart) ? Date.parse(systemStart) : NaN;
  if (!Number.isFinite(start)) fail('systemStart', 'an ISO 8601 instant such as "2022-12-07T13:48:18Z"');
  if (start > Date.now() + FUTURE_SLACK_MS) fail('systemStart', 'a time before the logs were written, not in the future');
  const rule = (field: 'slotLength' | 'epochLength'): number => {
    const v = genesisValue(field, g[field]);
    if (v === null) throw new CliError(`${path}: ${genesisProblem(field, g[field])}`);
    return v;
  };
  const slotLength = rule('slotLength');
  const epochLength = rule('epochLength');
  // The rest only feed filters and labels: out of range means unknown.
  const f = within(g.activeSlotsCoeff, 0, 1);
  return {
    systemStart: new Date(start).toISOString(),
    slotLength,
    epochLength,
    activeSlotsCoeff: f === 0 ? null : f,
    securityParam: within(g.securityParam, 1, 1e9, true),
    maxBlockBodySize: within(obj(g.protocolParams).maxBlockBodySize, 1, 2 ** 31, true),
  };
}

/** Order rotated files oldest first: `stdout.3.gz`, `stdout.2`, `stdout.1`, `stdout`. */
function rotationRank(name: string): number {
  const m = /\.(\d+)(\.json)?(\.gz)?$/.exec(name);
  return m?.[1] ? Number(m[1]) : 0;
}

const LOG_FILE = /^(stdout.*|node-\d+.*\.json(\.gz)?)$/;

async function listNodeLogs(dir: string): Promise<NodeLogs[]> {
  const entries = await listDir(dir, 'run directory');
  const nodeDirs = entries
    .filter((e) => (e.isDirectory() || e.isSymbolicLink()) && /^node-\d+$/.test(e.name))
    .map((e) => e.name)
    .sort((a, b) => Number(a.slice(5)) - Number(b.slice(5)));
  if (nodeDirs.length === 0) throw new CliError(`${dir}: run has no node-N directories with logs.`);
  const nodes: NodeLogs[] = [];
  for (const n of nodeDirs) {
    const names = (await listDir(join(dir, n), 'node directory')).map((e) => e.name).filter((f) => LOG_FILE.test(f));
    // Prefer stdout*; tracer JSON files carry the same content and would double every event.
    const stdout = names.filter((f) => f.startsWith('stdout'));
    const chosen = (stdout.length > 0 ? stdout : names).sort(
      (a, b) => rotationRank(b) - rotationRank(a) || a.localeCompare(b),
    );
    if (chosen.length === 0) throw new CliError(`${join(dir, n)}: node directory has no log file (stdout*).`);
    const files = chosen.map((f) => join(dir, n, f));
    let total = 0;
    for (const f of files) {
      if (GLOB_CHARS.test(f)) {
        throw new CliError(`${f}: DuckDB would read *, ? or [ in this log path as a pattern and count other files; rename it (or the folder) without them.`);
      }
      const s = await statOrError(f);
      if (s instanceof Error) throw fsProblem(f, s, 'log file');
      if (!s.isFile()) throw new CliError(`${f}: named like a log but is not a file; move it out of the node directory.`);
      // Found here rather than by DuckDB halfway through the ingest transaction.
      await access(f, constants.R_OK).catch((err: unknown) => {
        throw fsProblem(f, err, 'log file');
      });
      total += s.size;
    }
    if (total === 0) throw new CliError(`${files[files.length - 1]}: node log is empty.`);
    nodes.push({ node: n, files });
  }
  return nodes;
}

async function fingerprintRun(dir: string, nodes: NodeLogs[]): Promise<string> {
  const h = createHash('sha256');
  for (const f of ['meta.json', 'genesis/genesis.shelley.json', 'genesis-shelley.json']) {
    const s = await stat(join(dir, f)).catch(() => null);
    if (s) h.update(`${f}\0${s.size}\0${s.mtimeMs}\n`);
  }
  for (const n of nodes) {
    for (const f of n.files) {
      const s = await stat(f);
      h.update(`${f}\0${s.size}\0${s.mtimeMs}\n`);
    }
  }
  return h.digest('hex').slice(0, 32);
}
