// discover: turn the paths a user names into run directories (DESIGN §2), reading meta.json
// and genesis and listing each node's log files in time order. Nothing is ingested here; every
// problem with the input is reported as one sentence naming the path (CliError, exit 2).
import { createHash } from 'node:crypto';
import { readFile, readdir, realpath, stat } from 'node:fs/promises';
import { basename, join, resolve } from 'node:path';
import { CliError } from './errors.js';
import type { Genesis, NodeLogs, PackageInfo, RunInfo } from './types.js';

/** RTS flags every workbench node starts with; the profile's override is appended. */
export const DEFAULT_RTS_FLAGS = ['-N2', '-I0', '-A16m', '-qg1', '-qb1', '--disable-delayed-os-memory-return'];

async function isDir(p: string): Promise<boolean> {
  return stat(p).then((s) => s.isDirectory(), () => false);
}

async function isFile(p: string): Promise<boolean> {
  return stat(p).then((s) => s.isFile(), () => false);
}

/** A path is a run directory, or a folder whose children are run directories. */
export async function discoverRuns(paths: string[]): Promise<RunInfo[]> {
  const runs: RunInfo[] = [];
  for (const given of paths) {
    const p = resolve(given);
    if (!(await isDir(p))) {
      throw new CliError(`${given}: no such directory; give a run directory (with meta.json) or a folder of them.`);
    }
    if (await isFile(join(p, 'meta.json'))) {
      runs.push(await readRun(p));
      continue;
    }
    // Symbolic links count: workbench run folders are often links (e.g. `current`).
    const children = (await readdir(p, { withFileTypes: true }))
      .filter((d) => d.isDirectory() || d.isSymbolicLink())
      .map((d) => join(p, d.name))
      .sort();
    const found: string[] = [];
    for (const c of children) if (await isFile(join(c, 'meta.json'))) found.push(c);
    if (found.length === 0) {
      throw new CliError(`${given}: no meta.json here nor in any subdirectory; this is not a run directory or a folder of runs.`);
    }
    for (const c of found) runs.push(await readRun(c));
  }
  const seen = new Set<string>();
  return runs.filter((r) => (seen.has(r.path) ? false : (seen.add(r.path), true)));
}

async function readJson(path: string, what: string): Promise<unknown> {
  let text: string;
  try {
    text = await readFile(path, 'utf8');
  } catch {
    throw new CliError(`${path}: cannot read the ${what}.`);
  }
  try {
    return JSON.parse(text) as unknown;
  } catch (err) {
    throw new CliError(`${path}: the ${what} is not valid JSON (${(err as Error).message}).`);
  }
}

type Obj = Record<string, unknown>;
const obj = (v: unknown): Obj => (v !== null && typeof v === 'object' && !Array.isArray(v) ? (v as Obj) : {});
const str = (v: unknown): string | null => (typeof v === 'string' && v !== '' ? v : null);
const num = (v: unknown): number | null => (typeof v === 'number' && Number.isFinite(v) ? v : null);

export async function readRun(linkOrDir: string): Promise<RunInfo> {
  // A run is known by its real path, so one reached through a link is not ingested twice.
  const dir = await realpath(linkOrDir);
  const metaFile = join(dir, 'meta.json');
  const metaRoot = obj(await readJson(metaFile, 'run metadata'));
  const meta = obj(metaRoot.meta ?? metaRoot);
  const pc = obj(meta.profile_content);
  const node = obj(pc.node);
  const manifest = obj(meta.manifest);
  const nodePkg = obj(manifest['cardano-node']);
  const override = Array.isArray(node.rts_flags_override)
    ? node.rts_flags_override.filter((f): f is string => typeof f === 'string')
    : [];

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
    tracingBackend: str(node.tracing_backend),
    rtsFlags: [...DEFAULT_RTS_FLAGS, ...override],
    rtsOverride: override,
    hosts: num(obj(pc.composition).n_hosts),
    tps: num(obj(pc.generator).tps),
    durationS: num(obj(pc.derived).generator_duration) ?? num(obj(pc.generator).duration),
    packages: manifestPackages(manifest),
    genesis,
    nodes,
    fingerprint,
  };
}

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

async function readGenesis(dir: string): Promise<Genesis> {
  const candidates = [join(dir, 'genesis', 'genesis.shelley.json'), join(dir, 'genesis-shelley.json')];
  let path: string | undefined;
  for (const c of candidates) if (await isFile(c)) path = path ?? c;
  if (!path) {
    throw new CliError(`${dir}: run has no genesis (looked for genesis/genesis.shelley.json and genesis-shelley.json); slot timing needs it.`);
  }
  const g = obj(await readJson(path, 'Shelley genesis'));
  const systemStart = str(g.systemStart);
  const slotLength = num(g.slotLength);
  const epochLength = num(g.epochLength);
  if (!systemStart || Number.isNaN(Date.parse(systemStart)) || !slotLength || !epochLength) {
    throw new CliError(`${path}: genesis lacks a valid systemStart, slotLength or epochLength.`);
  }
  return {
    systemStart: new Date(Date.parse(systemStart)).toISOString(),
    slotLength,
    epochLength,
    activeSlotsCoeff: num(g.activeSlotsCoeff),
    securityParam: num(g.securityParam),
    maxBlockBodySize: num(obj(g.protocolParams).maxBlockBodySize),
  };
}

/** Order rotated files oldest first: `stdout.3.gz`, `stdout.2`, `stdout.1`, `stdout`. */
function rotationRank(name: string): number {
  const m = /\.(\d+)(\.json)?(\.gz)?$/.exec(name);
  return m?.[1] ? Number(m[1]) : 0;
}

const LOG_FILE = /^(stdout.*|node-\d+.*\.json(\.gz)?)$/;

async function listNodeLogs(dir: string): Promise<NodeLogs[]> {
  const entries = await readdir(dir, { withFileTypes: true });
  const nodeDirs = entries
    .filter((e) => (e.isDirectory() || e.isSymbolicLink()) && /^node-\d+$/.test(e.name))
    .map((e) => e.name)
    .sort((a, b) => Number(a.slice(5)) - Number(b.slice(5)));
  if (nodeDirs.length === 0) throw new CliError(`${dir}: run has no node-N directories with logs.`);
  const nodes: NodeLogs[] = [];
  for (const n of nodeDirs) {
    const names = (await readdir(join(dir, n))).filter((f) => LOG_FILE.test(f));
    // Prefer stdout*; tracer JSON files carry the same content and would double every event.
    const stdout = names.filter((f) => f.startsWith('stdout'));
    const chosen = (stdout.length > 0 ? stdout : names).sort(
      (a, b) => rotationRank(b) - rotationRank(a) || a.localeCompare(b),
    );
    if (chosen.length === 0) throw new CliError(`${join(dir, n)}: node directory has no log file (stdout*).`);
    const files = chosen.map((f) => join(dir, n, f));
    let total = 0;
    for (const f of files) total += (await stat(f)).size;
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
