// Seeded Cardano cluster simulator: writes benchmark runs in the workbench layout
// (meta.json, genesis/genesis.shelley.json, node-N/stdout[.gz]) in either log format, so
// every stage can be tested and benchmarked without real cluster runs. Events are generated
// first, independent of the log format, then formatted; the configuration (tracing backend,
// RTS flags) changes only resource usage, by the documented factors in `EFFECTS`.
import { Readable } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import { createWriteStream } from 'node:fs';
import { mkdir, rename, rm, writeFile } from 'node:fs/promises';
import { createGzip } from 'node:zlib';
import { join, resolve } from 'node:path';

export type TracingFormat = 'new' | 'legacy';

export interface SimulateOptions {
  /** Parent folder; each run goes to `<out>/<tag>`. */
  out: string;
  tracing: TracingFormat;
  /** RTS override flags, e.g. "-A64m -N4", or "" for the defaults. */
  rts: string;
  nodes: number;
  slots: number;
  /** K runs; run k uses seed + k. */
  runs: number;
  seed: number;
  gzip?: boolean;
  /** Default `sim-<tracing>[-<rts>]`; run tag = `<prefix>-s<seed+k>`. */
  tagPrefix?: string;
  /**
   * Line format, default = `tracing`. Writing the other format keeps every event identical
   * (resource values included, which follow `tracing`): the format-invariance tests need
   * that. meta.json then names the backend matching the lines actually written.
   */
  format?: TracingFormat;
  onProgress?: (msg: string) => void;
}

// ---------------------------------------------------------------------------------------
// Effect model

export type Knob = 'mut' | 'gc' | 'alloc' | 'minor' | 'major' | 'rss';

/**
 * Configuration → behaviour. Baseline is legacy tracing with the default RTS flags.
 * Multipliers act on knobs; knobs map to metrics: mut_cpu_pct = mut, gc_cpu_pct = gc,
 * cpu_pct = (1 − gcShare)·mut + gcShare·gc, alloc_mb_s = alloc, gc_minor_per_s = minor,
 * gc_major_per_s = major, rss_mb = heap_mb = live_mb = rss (heap and live are fixed shares
 * of RSS). Effects of several flags multiply. Flags not listed have no effect.
 * Forging and propagation depend on the seed only, never on the configuration.
 */
export const EFFECTS = {
  baseline: {
    /** % of one core between events; snapshot bursts and block work lift run means to ≈ 42. */
    cpu_pct: 40,
    /** Share of CPU spent in GC, in every sample (keeps cpu_pct ratios exact). */
    gcShare: 0.25,
    alloc_mb_s: 200,
    gc_minor_per_s: 5,
    gc_major_per_s: 0.02,
    rss_mb: 2500,
    heapShareOfRss: 0.93,
    liveShareOfRss: 0.45,
    threads: 28,
    net_rd_kb_s: 30,
    net_wr_kb_s: 25,
    fs_rd_kb_s: 4,
    fs_wr_kb_s: 40,
    /**
     * CPU level of the 2 or 3 samples after a ledger snapshot starts (every 100 slots per
     * node), so cpu85_span_s has data.
     */
    snapshotBurstCpuPct: 125,
  },
  /** Run-level factor sd (run-to-run variance), per tracing backend. */
  runSd: {
    legacy: { cpu: 0.03, alloc: 0.025, minor: 0.025, major: 0.025, rss: 0.025, net: 0.025, fs: 0.025 },
    new: { cpu: 0.002, alloc: 0.025, minor: 0.025, major: 0.025, rss: 0.025, net: 0.025, fs: 0.025 },
  },
  /** Per-sample noise sd (within a run). */
  sampleSd: { cpu: 0.06, alloc: 0.1, minor: 0.1, rss: 0.004, net: 0.2, fs: 0.3 },
  tracing: {
    legacy: {},
    new: { mut: 1.08, gc: 1.08, rss: 0.85, alloc: 0.75 },
  } as Record<TracingFormat, Partial<Record<Knob, number>>>,
  rts: {
    '-A64m': { gc: 0.7, minor: 0.3, rss: 1.05 },
    '-N4': { mut: 1.05, gc: 1.05 },
    '-xn': { major: 0.5, rss: 1.1 },
  } as Record<string, Partial<Record<Knob, number>>>,
  /** Additive thread count per RTS flag. */
  threadsAdd: { '-N4': 2 } as Record<string, number>,
} as const;

const RUN_FACTORS = ['cpu', 'alloc', 'minor', 'major', 'rss', 'net', 'fs'] as const;
export type RunFactor = (typeof RUN_FACTORS)[number];

export function rtsFlags(rts: string): string[] {
  return rts.trim().split(/\s+/).filter((f) => f.length > 0);
}

/** Knob multipliers of a configuration (tracing × each RTS flag). */
export function knobMultipliers(tracing: TracingFormat, rts: string): Record<Knob, number> {
  const m: Record<Knob, number> = { mut: 1, gc: 1, alloc: 1, minor: 1, major: 1, rss: 1 };
  const apply = (f: Partial<Record<Knob, number>> | undefined): void => {
    if (!f) return;
    for (const k of Object.keys(f) as Knob[]) m[k] *= f[k] ?? 1;
  };
  apply(EFFECTS.tracing[tracing]);
  for (const flag of rtsFlags(rts)) apply(EFFECTS.rts[flag]);
  return m;
}

/**
 * Expected ratio of run means against legacy tracing with default RTS, per resource metric,
 * before run-level noise. threads is approximate (gauge with rare +1 blips).
 */
export function expectedRatios(tracing: TracingFormat, rts: string): Record<string, number> {
  const k = knobMultipliers(tracing, rts);
  const g = EFFECTS.baseline.gcShare;
  let add = 0;
  for (const flag of rtsFlags(rts)) add += EFFECTS.threadsAdd[flag] ?? 0;
  return {
    cpu_pct: (1 - g) * k.mut + g * k.gc,
    mut_cpu_pct: k.mut,
    gc_cpu_pct: k.gc,
    alloc_mb_s: k.alloc,
    gc_minor_per_s: k.minor,
    gc_major_per_s: k.major,
    rss_mb: k.rss,
    heap_mb: k.rss,
    live_mb: k.rss,
    threads: (EFFECTS.baseline.threads + add) / EFFECTS.baseline.threads,
    net_rd_kb_s: 1,
    net_wr_kb_s: 1,
    fs_rd_kb_s: 1,
    fs_wr_kb_s: 1,
  };
}

/**
 * The run-level factors a run with this seed draws (1 + sd·z, z shared by every
 * configuration with the same seed), so tests can divide them out.
 */
export function runLevelFactors(runSeed: number, tracing: TracingFormat): Record<RunFactor, number> {
  const rng = new Rng(runSeed, STREAM_RUN);
  const sd = EFFECTS.runSd[tracing];
  const out = {} as Record<RunFactor, number>;
  for (const f of RUN_FACTORS) out[f] = Math.max(0.5, 1 + sd[f] * rng.normal());
  return out;
}

// ---------------------------------------------------------------------------------------
// PRNG: sfc32 seeded through murmur3's finaliser; Box-Muller normals.

const STREAM_CHAIN = 1;
const STREAM_TOPO = 2;
const STREAM_RUN = 3;
const STREAM_NODE = 4;
const STREAM_RES = 5;
const STREAM_SLOT = 6;

function fmix(h: number): number {
  h ^= h >>> 16;
  h = Math.imul(h, 0x85ebca6b);
  h ^= h >>> 13;
  h = Math.imul(h, 0xc2b2ae35);
  h ^= h >>> 16;
  return h >>> 0;
}

export class Rng {
  private a: number;
  private b: number;
  private c: number;
  private d: number;
  private spare = 0;
  private hasSpare = false;

  constructor(seed: number, ...keys: number[]) {
    let h = fmix((seed >>> 0) ^ 0x9e3779b9);
    h = fmix(h ^ Math.floor(seed / 4294967296));
    for (const k of keys) h = fmix(Math.imul(h, 31) ^ (k >>> 0));
    this.a = h;
    this.b = fmix(h ^ 0x243f6a88);
    this.c = fmix(h ^ 0xb7e15162);
    this.d = 1;
    for (let i = 0; i < 12; i++) this.u32();
  }

  u32(): number {
    const t = (((this.a + this.b) | 0) + this.d) | 0;
    this.d = (this.d + 1) | 0;
    this.a = this.b ^ (this.b >>> 9);
    this.b = (this.c + (this.c << 3)) | 0;
    this.c = (this.c << 21) | (this.c >>> 11);
    this.c = (this.c + t) | 0;
    return t >>> 0;
  }

  float(): number {
    return this.u32() / 4294967296;
  }

  int(n: number): number {
    return Math.floor(this.float() * n);
  }

  normal(): number {
    if (this.hasSpare) {
      this.hasSpare = false;
      return this.spare;
    }
    let u = this.float();
    while (u === 0) u = this.float();
    const v = this.float();
    const r = Math.sqrt(-2 * Math.log(u));
    this.spare = r * Math.sin(2 * Math.PI * v);
    this.hasSpare = true;
    return r * Math.cos(2 * Math.PI * v);
  }

  /** Log-normal with the given median; integer microseconds when used for delays. */
  logn(median: number, sigma: number): number {
    return median * Math.exp(sigma * this.normal());
  }

  hex(words: number): string {
    let s = '';
    for (let i = 0; i < words; i++) s += this.u32().toString(16).padStart(8, '0');
    return s;
  }
}

// ---------------------------------------------------------------------------------------
// Messages: one code per emitted message, with both formats' names.

const enum E {
  RES,
  LOOP,
  CTX,
  LSTATE,
  LVIEW,
  LEADER,
  NOTLEADER,
  TICKED,
  MEMSNAP,
  FORGED,
  ADOPTED_FORGER,
  HEADER,
  FETCH_REQ,
  FETCHED,
  ANNOUNCE,
  ANNOUNCE_FALL,
  SENT,
  ADOPTED,
  SNAPSHOT,
  ADDTX,
  REMOVETX,
  SWITCHED,
  VOLATILE,
  FETCH_BATCH,
  IG_COUNTERS,
  IG_PROMOTED,
  FETCH_DECISION,
  FORGE_STATE,
  STARTUP_INFO,
  STARTUP_COMMON,
  STARTUP_LISTEN,
}

export interface MessageSpec {
  /** Canonical event of DESIGN §2, or null for messages only counted in trace frequencies. */
  canonical: string | null;
  newNs: string;
  newKind: string;
  legacyNs: string;
  legacyKind: string;
  sev: string;
  thread: string;
}

function msg(
  canonical: string | null,
  newNs: string,
  newKind: string,
  legacyNs: string,
  legacyKind: string,
  thread: string,
  sev = 'Info',
): MessageSpec {
  return { canonical, newNs, newKind, legacyNs, legacyKind, sev, thread };
}

const L_FORGE = 'cardano.node.Forge';
const L_CHAINDB = 'cardano.node.ChainDB';
const L_BFC = 'cardano.node.BlockFetchClient';

/** Every message the simulator writes, indexed by internal code (order matches `E`). */
export const MESSAGES: readonly MessageSpec[] = [
  msg('resources', 'Resources', 'ResourceStats', 'cardano.node.resources', 'ResourceStats', '12'),
  msg('loop_start', 'Forge.Loop.StartLeadershipCheck', 'TraceStartLeadershipCheck', 'cardano.node.LeadershipCheck', 'TraceStartLeadershipCheck', '34'),
  msg('block_context', 'Forge.Loop.BlockContext', 'TraceBlockContext', L_FORGE, 'TraceBlockContext', '34'),
  msg('ledger_state', 'Forge.Loop.LedgerState', 'TraceLedgerState', L_FORGE, 'TraceLedgerState', '34'),
  msg('ledger_view', 'Forge.Loop.LedgerView', 'TraceLedgerView', L_FORGE, 'TraceLedgerView', '34'),
  msg('leader', 'Forge.Loop.NodeIsLeader', 'TraceNodeIsLeader', L_FORGE, 'TraceNodeIsLeader', '34'),
  msg('not_leader', 'Forge.Loop.NodeNotLeader', 'TraceNodeNotLeader', L_FORGE, 'TraceNodeNotLeader', '34'),
  msg('ticked', 'Forge.Loop.TickedLedgerState', 'TraceForgeTickedLedgerState', L_FORGE, 'TraceForgeTickedLedgerState', '34'),
  msg('mempool_snapshot', 'Forge.Loop.MempoolSnapshot', 'TraceForgingMempoolSnapshot', L_FORGE, 'TraceForgingMempoolSnapshot', '34'),
  msg('forged', 'Forge.Loop.ForgedBlock', 'TraceForgedBlock', L_FORGE, 'TraceForgedBlock', '34'),
  msg('adopted_forger', 'Forge.Loop.AdoptedBlock', 'TraceAdoptedBlock', L_FORGE, 'TraceAdoptedBlock', '34'),
  msg('header_seen', 'ChainSync.Client.DownloadedHeader', 'DownloadedHeader', 'cardano.node.ChainSyncClient', 'ChainSyncClientEvent.TraceDownloadedHeader', '2'),
  msg('fetch_request', 'BlockFetch.Client.SendFetchRequest', 'SendFetchRequest', L_BFC, 'SendFetchRequest', '3'),
  msg('fetched', 'BlockFetch.Client.CompletedBlockFetch', 'CompletedBlockFetch', L_BFC, 'CompletedBlockFetch', '3'),
  msg('announced', 'ChainSync.ServerHeader.Update', 'ChainSyncServerEvent.TraceChainSyncServerUpdate', 'cardano.node.ChainSyncHeaderServer', 'ChainSyncServerEvent.TraceChainSyncServerReadBlocked.AddBlock', '4'),
  // The falling edge: same new ns (risingEdge:false), a different legacy kind; never counted.
  msg(null, 'ChainSync.ServerHeader.Update', 'ChainSyncServerEvent.TraceChainSyncServerUpdate', 'cardano.node.ChainSyncHeaderServer', 'ChainSyncServerEvent.TraceChainSyncServerRead.AddBlock', '4'),
  msg('sent', 'BlockFetch.Server.SendBlock', 'TraceBlockFetchServerSendBlock', 'cardano.node.BlockFetchServer', 'TraceBlockFetchServerSendBlock', '5'),
  msg('adopted', 'ChainDB.AddBlockEvent.AddedToCurrentChain', 'AddedToCurrentChain', L_CHAINDB, 'TraceAddBlockEvent.AddedToCurrentChain', '81'),
  msg('ledger_snapshot', 'ChainDB.LedgerEvent.TookSnapshot', 'TookSnapshot', L_CHAINDB, 'TraceSnapshotEvent.TookSnapshot', '81'),
  msg('mempool', 'Mempool.AddedTx', 'TraceMempoolAddedTx', 'cardano.node.Mempool', 'TraceMempoolAddedTx', '61'),
  msg('mempool', 'Mempool.RemoveTxs', 'TraceMempoolRemoveTxs', 'cardano.node.Mempool', 'TraceMempoolRemoveTxs', '61'),
  msg(null, 'ChainDB.AddBlockEvent.SwitchedToAFork', 'TraceAddBlockEvent.SwitchedToAFork', L_CHAINDB, 'TraceAddBlockEvent.SwitchedToAFork', '81'),
  msg(null, 'ChainDB.AddBlockEvent.AddedBlockToVolatileDB', 'TraceAddBlockEvent.AddedBlockToVolatileDB', L_CHAINDB, 'TraceAddBlockEvent.AddedBlockToVolatileDB', '81', 'Debug'),
  msg(null, 'BlockFetch.Client.CompletedFetchBatch', 'CompletedFetchBatch', L_BFC, 'CompletedFetchBatch', '3'),
  msg(null, 'Net.InboundGovernor.Remote.InboundGovernorCounters', 'InboundGovernorCounters', 'cardano.node.InboundGovernor', 'TrInboundGovernorCounters', '90'),
  msg(null, 'Net.InboundGovernor.Remote.PromotedToHotRemote', 'PromotedToHotRemote', 'cardano.node.InboundGovernor', 'TrPromotedToHotRemote', '90'),
  msg(null, 'BlockFetch.Decision.Decline', 'PeerFetchDecisions', 'cardano.node.BlockFetchDecision', 'PeersFetch', '91', 'Debug'),
  msg(null, 'Forge.StateInfo', 'ForgeStateInfo', 'cardano.node.ForgeStateInfo', 'TraceForgeStateInfo', '35'),
  msg(null, 'Startup.Info', 'StartupInfo', 'cardano.node.startup', 'StartupInfo', '1', 'Notice'),
  msg(null, 'Startup.Common', 'StartupCommon', 'cardano.node.startup', 'StartupCommon', '1', 'Notice'),
  msg(null, 'Startup.DiffusionInit.ListeningServerSocket', 'ListeningServerSocket', 'cardano.node.DiffusionInit', 'ListeningServerSocket', '1', 'Notice'),
];

// ---------------------------------------------------------------------------------------
// Events

/** One log event, format-independent. Field meaning depends on the code. */
interface Ev {
  /** Microseconds since the Unix epoch. */
  t: number;
  c: E;
  slot: number;
  no: number;
  hash: string;
  prev: string;
  size: number;
  /** The other node of a peer interaction, or −1. */
  peer: number;
  /** Code-specific number: fetch delay (µs), snapshot duration (µs), tx increment, … */
  val: number;
}

function ev(t: number, c: E, slot = 0, no = 0, hash = '', prev = '', size = 0, peer = -1, val = 0): Ev {
  return { t: Math.round(t), c, slot, no, hash, prev, size, peer, val };
}

const US = 1_000_000;
const GENESIS_HASH = 'f'.repeat(8) + '0'.repeat(56);
const ACTIVE_SLOTS = 0.08;
const EPOCH_LENGTH = 100;
const MAX_BODY = 65536;
const TPS = 15;
const NODE_VERSION = '10.1.4';
const NODE_COMMIT = '3f6b2a9c1d0e4b7a8c5d2e1f0a9b8c7d6e5f4a3b';

interface Params {
  seed: number;
  nodes: number;
  slots: number;
  t0: number;
  tracing: TracingFormat;
  rts: string;
}

/** Per-(node, slot) forge-loop timing, random-access so both phases agree without sharing state. */
interface SlotPlan {
  missed: boolean;
  start: number;
  ctx: number;
  lstate: number;
  lview: number;
  lead: number;
  rng: Rng;
}

function slotPlan(seed: number, n: number, s: number, t0: number): SlotPlan {
  const rng = new Rng(seed, STREAM_SLOT, n, s);
  const missed = rng.float() < 0.002;
  // Slot start lag: a few ms, log-normal, with rare scheduler hiccups.
  let lag = rng.logn(2500, 0.45);
  if (rng.float() < 0.01) lag += 20000 + rng.float() * 60000;
  const start = t0 + s * US + lag;
  const ctx = start + rng.logn(150, 0.4);
  const lstate = ctx + rng.logn(120, 0.4);
  const lview = lstate + rng.logn(90, 0.4);
  const lead = lview + rng.logn(700, 0.5);
  return { missed, start, ctx, lstate, lview, lead, rng };
}

interface Topology {
  adj: number[][];
  /** One-way latency, µs. */
  lat: number[][];
  /** Bytes per µs. */
  bw: number[][];
}

function buildTopology(seed: number, n: number): Topology {
  const rng = new Rng(seed, STREAM_TOPO);
  const adj: number[][] = Array.from({ length: n }, () => []);
  const link = (a: number, b: number): void => {
    adj[a]!.push(b);
    adj[b]!.push(a);
  };
  const perm = Array.from({ length: n }, (_, i) => i);
  for (let i = n - 1; i > 0; i--) {
    const j = rng.int(i + 1);
    [perm[i], perm[j]] = [perm[j]!, perm[i]!];
  }
  // A random ring keeps the graph connected with degree 2; chords add up to degree 4.
  if (n === 2) link(perm[0]!, perm[1]!);
  else if (n >= 3) for (let i = 0; i < n; i++) link(perm[i]!, perm[(i + 1) % n]!);
  if (n >= 5) {
    for (let a = 0; a < n; a++) {
      if (rng.float() >= 0.6) continue;
      for (let tries = 0; tries < 6; tries++) {
        const b = rng.int(n);
        if (b === a || adj[a]!.includes(b) || adj[a]!.length >= 4 || adj[b]!.length >= 4) continue;
        link(a, b);
        break;
      }
    }
  }
  for (const l of adj) l.sort((x, y) => x - y);
  // Three regions (think eu / us / ap): near-zero latency inside, tens of ms between.
  const region = (i: number): number => i % 3;
  const between = [
    [1500, 45000, 120000],
    [45000, 1500, 85000],
    [120000, 85000, 1500],
  ];
  const lat: number[][] = [];
  const bw: number[][] = [];
  for (let a = 0; a < n; a++) {
    lat.push([]);
    bw.push([]);
    for (let b = 0; b < n; b++) {
      const base = between[region(a)]![region(b)]!;
      lat[a]!.push(base * (0.9 + 0.2 * rng.float()));
      // TCP-window-limited throughput falls with distance.
      bw[a]!.push(base < 10000 ? 60 : 6 + 4 * rng.float());
    }
  }
  for (let a = 0; a < n; a++)
    for (let b = 0; b < a; b++) {
      lat[a]![b] = lat[b]![a]!;
      bw[a]![b] = bw[b]![a]!;
    }
  return { adj, lat, bw };
}

interface ChainResult {
  topo: Topology;
  /** Events of each node that come from blocks (forging and propagation), sorted by time. */
  perNode: Ev[][];
  leader: Uint8Array;
  blocksForged: number;
  blocksOnChain: number;
  battles: number;
}

/** Phase 1: leaders, blocks, forks and propagation over the topology. Seed-only. */
function simulateChain(p: Params): ChainResult {
  const { seed, nodes: N, slots: S, t0 } = p;
  const rng = new Rng(seed, STREAM_CHAIN);
  const topo = buildTopology(seed, N);
  const { adj, lat, bw } = topo;
  const perNode: Ev[][] = Array.from({ length: N }, () => []);
  const leader = new Uint8Array(N * S);
  // Per-node tip history (time-sorted) for "what was this node's tip at time t".
  const tipT: number[][] = Array.from({ length: N }, () => []);
  const tipNo: number[][] = Array.from({ length: N }, () => []);
  const tipHash: string[][] = Array.from({ length: N }, () => []);
  const lastCanonAdopt = new Float64Array(N).fill(-Infinity);
  const lastCanonEv: (Ev | null)[] = new Array<Ev | null>(N).fill(null);
  const pendingSwitch = new Uint8Array(N);
  let canonHash = GENESIS_HASH;
  let lastBlockT = t0 - 10 * US;
  let forged = 0;
  let onChain = 0;
  let battles = 0;
  // Praos: with N equal pools, P(at least one leader) = f per slot.
  const q = 1 - Math.pow(1 - ACTIVE_SLOTS, 1 / N);

  const recordTip = (m: number, t: number, no: number, hash: string): void => {
    const ts = tipT[m]!;
    let i = ts.length;
    while (i > 0 && ts[i - 1]! > t) i--;
    ts.splice(i, 0, t);
    tipNo[m]!.splice(i, 0, no);
    tipHash[m]!.splice(i, 0, hash);
  };
  const tipAt = (m: number, t: number): { no: number; hash: string } => {
    const ts = tipT[m]!;
    let i = ts.length - 1;
    while (i >= 0 && ts[i]! >= t) i--;
    return i < 0 ? { no: 0, hash: GENESIS_HASH } : { no: tipNo[m]![i]!, hash: tipHash[m]![i]! };
  };
  const jit = (): number => 1 + 0.15 * Math.abs(rng.normal());

  /** The server side of an adoption: header updates to every neighbour, some falling edges. */
  const announce = (m: number, t: number, b: { slot: number; no: number; hash: string }, out: Float64Array): void => {
    const ev0 = t + rng.logn(600, 0.5);
    for (let j = 0; j < adj[m]!.length; j++) {
      const peer = adj[m]![j]!;
      const ta = ev0 + j * 40 + rng.float() * 30;
      out[peer] = ta;
      perNode[m]!.push(ev(ta, E.ANNOUNCE, b.slot, b.no, b.hash, '', 0, peer));
      if (rng.float() < 0.2) perNode[m]!.push(ev(ta + rng.logn(20000, 1), E.ANNOUNCE_FALL, b.slot, b.no, b.hash, '', 0, peer));
    }
  };

  for (let s = 0; s < S; s++) {
    const tS = t0 + s * US;
    const leaders: number[] = [];
    for (let n = 0; n < N; n++) if (rng.float() < q) leaders.push(n);
    interface Cand {
      n: number;
      plan: SlotPlan;
      tipNo: number;
      tipHash: string;
      hash: string;
      size: number;
    }
    const cands: Cand[] = [];
    for (const n of leaders) {
      const plan = slotPlan(seed, n, s, t0);
      if (plan.missed) continue;
      leader[n * S + s] = 1;
      const tip = tipAt(n, plan.ctx);
      // Block body: the transactions that arrived since the last block, capped at the max size.
      const gap = Math.min(30, (tS - lastBlockT) / US);
      const txs = Math.round(TPS * gap * (0.7 + 0.3 * rng.float()));
      const size = Math.min(MAX_BODY, 860 + txs * Math.round(260 + 80 * rng.float()));
      cands.push({ n, plan, tipNo: tip.no, tipHash: tip.hash, hash: rng.hex(8), size });
    }
    if (cands.length === 0) continue;
    // Only blocks on the canonical tip can join the chain; the lowest hash wins a slot battle.
    let winner: Cand | null = null;
    for (const c of cands)
      if (c.tipHash === canonHash && (winner === null || c.hash < winner.hash)) winner = c;
    if (cands.length > 1) battles++;

    for (const c of cands) {
      const { n, plan } = c;
      const r = plan.rng;
      const no = c.tipNo + 1;
      const b = { slot: s, no, hash: c.hash };
      const ticked = plan.lead + r.logn(1200, 0.5);
      const memsnap = ticked + r.logn(800 + c.size / 64, 0.4);
      const forgedT = memsnap + r.logn(4000 + c.size * 0.25, 0.3);
      const adoptT = forgedT + r.logn(8000 + c.size * 0.3, 0.3);
      const adoptForgerT = adoptT + r.logn(150, 0.3);
      const own = perNode[n]!;
      own.push(ev(ticked, E.TICKED, s));
      own.push(ev(memsnap, E.MEMSNAP, s));
      own.push(ev(forgedT, E.FORGED, s, no, c.hash, c.tipHash, c.size));
      const adoptedEv = ev(adoptT, E.ADOPTED, s, no, c.hash, '', c.size);
      own.push(adoptedEv);
      own.push(ev(adoptT + 200, E.REMOVETX, s));
      own.push(ev(adoptForgerT, E.ADOPTED_FORGER, s, no, c.hash, '', c.size));
      recordTip(n, adoptT, no, c.hash);
      forged++;
      const annAt = new Float64Array(N).fill(Infinity);
      announce(n, adoptT, b, annAt);

      if (c !== winner) {
        // Orphan: only its forger adopts it; neighbours see the header but never fetch it.
        for (const m of adj[n]!) perNode[m]!.push(ev(annAt[m]! + lat[n]![m]! * jit(), E.HEADER, s, no, c.hash, '', 0, n));
        // The forger switches back when the canonical block it lacked (or the next one) arrives.
        const last = lastCanonEv[n];
        if (last && last.t > adoptT && last.c === E.ADOPTED) last.c = E.SWITCHED;
        else pendingSwitch[n] = 1;
        continue;
      }

      // Canonical block: Dijkstra over header arrival times.
      canonHash = c.hash;
      lastBlockT = tS;
      onChain++;
      const arrivals: { t: number; from: number }[][] = Array.from({ length: N }, () => []);
      const first = new Float64Array(N).fill(Infinity);
      const done = new Uint8Array(N);
      const adoptAt = new Float64Array(N).fill(Infinity);
      done[n] = 1;
      adoptAt[n] = adoptT;
      lastCanonAdopt[n] = adoptT;
      lastCanonEv[n] = adoptedEv;
      const relax = (from: number, ann: Float64Array): void => {
        for (const m of adj[from]!) {
          if (done[m]) continue;
          const ta = ann[m]! + lat[from]![m]! * jit();
          arrivals[m]!.push({ t: ta, from });
          if (ta < first[m]!) first[m] = ta;
        }
      };
      relax(n, annAt);
      for (;;) {
        let m = -1;
        for (let i = 0; i < N; i++) if (!done[i] && first[i]! < Infinity && (m < 0 || first[i]! < first[m]!)) m = i;
        if (m < 0) break;
        done[m] = 1;
        const arr = arrivals[m]!.sort((x, y) => x.t - y.t);
        const up = arr[0]!.from;
        const h = arr[0]!.t;
        const req = h + rng.logn(3000, 0.6);
        const sentT = req + lat[m]![up]! * jit() + rng.logn(200, 0.3);
        const fetchedT = sentT + lat[up]![m]! * jit() + c.size / bw[up]![m]!;
        const adopt = Math.max(fetchedT + rng.logn(6000 + c.size * 0.15, 0.3), lastCanonAdopt[m]! + 500);
        adoptAt[m] = adopt;
        const pm = perNode[m]!;
        for (const a of arr) if (a.t < adopt) pm.push(ev(a.t, E.HEADER, s, no, c.hash, '', 0, a.from));
        pm.push(ev(req, E.FETCH_REQ, s, no, c.hash, '', 0, up));
        perNode[up]!.push(ev(sentT, E.SENT, s, no, c.hash, '', c.size, m));
        const fetchedEv = ev(fetchedT, E.FETCHED, s, no, c.hash, '', c.size, up);
        fetchedEv.val = fetchedEv.t - Math.round(req);
        pm.push(fetchedEv);
        pm.push(ev(fetchedT + 50, E.FETCH_BATCH, s, no, c.hash, '', 0, up));
        pm.push(ev(fetchedT + 300, E.VOLATILE, s, no, c.hash));
        const a = ev(adopt, pendingSwitch[m] ? E.SWITCHED : E.ADOPTED, s, no, c.hash, '', c.size);
        pendingSwitch[m] = 0;
        pm.push(a);
        pm.push(ev(adopt + 200, E.REMOVETX, s));
        lastCanonAdopt[m] = adopt;
        lastCanonEv[m] = a;
        recordTip(m, adopt, no, c.hash);
        const ann = new Float64Array(N).fill(Infinity);
        announce(m, adopt, b, ann);
        relax(m, ann);
      }
    }
  }
  // Stable sort keeps generation order for equal timestamps.
  for (const l of perNode) l.sort((x, y) => x.t - y.t);
  return { topo, perNode, leader, blocksForged: forged, blocksOnChain: onChain, battles };
}

// ---------------------------------------------------------------------------------------
// Formatting

const pad2 = (n: number): string => (n < 10 ? '0' : '') + n;

class Clock {
  private sec = -1;
  private prefix = '';
  /** `YYYY-MM-DDTHH:MM:SS` of the second, cached since lines come in time order. */
  base(t: number): string {
    const sec = Math.floor(t / US);
    if (sec !== this.sec) {
      this.sec = sec;
      const d = new Date(sec * 1000);
      this.prefix =
        `${d.getUTCFullYear()}-${pad2(d.getUTCMonth() + 1)}-${pad2(d.getUTCDate())}` +
        `T${pad2(d.getUTCHours())}:${pad2(d.getUTCMinutes())}:${pad2(d.getUTCSeconds())}`;
    }
    return this.prefix;
  }
}

function micros(t: number): string {
  return String(t - Math.floor(t / US) * US).padStart(6, '0');
}

/** New tracing: `T`, nine fractional digits. */
function atNew(clock: Clock, t: number): string {
  return `${clock.base(t)}.${micros(t)}000Z`;
}

/** Legacy: a space, microseconds with trailing zeros trimmed (no dot when whole). */
function atLegacy(clock: Clock, t: number): string {
  const b = clock.base(t);
  let f = micros(t);
  let e = f.length;
  while (e > 0 && f.charCodeAt(e - 1) === 48) e--;
  f = f.slice(0, e);
  return `${b.slice(0, 10)} ${b.slice(11)}${f ? '.' + f : ''}Z`;
}

interface NodeIdent {
  host: string;
  pid: string;
  env: string;
  /** Per-format peer objects: client side (we fetch from peer) and server side (peer fetches from us). */
  clientPeer: string[];
  serverPeer: string[];
}

function ip(n: number): string {
  return `10.0.0.${n + 10}`;
}

function nodeIdent(n: number, N: number, fmt: TracingFormat): NodeIdent {
  const clientPeer: string[] = [];
  const serverPeer: string[] = [];
  for (let m = 0; m < N; m++) {
    // A client's ephemeral port towards server u is 40000 + u.
    if (fmt === 'new') {
      clientPeer.push(`,"peer":{"connectionId":"${ip(n)}:${40000 + m} ${ip(m)}:3001"}`);
      serverPeer.push(`,"peer":{"connectionId":"${ip(n)}:3001 ${ip(m)}:${40000 + n}"}`);
    } else {
      clientPeer.push(`,"peer":{"local":{"addr":"${ip(n)}","port":"${40000 + m}"},"remote":{"addr":"${ip(m)}","port":"3001"}}`);
      serverPeer.push(`,"peer":{"local":{"addr":"${ip(n)}","port":"3001"},"remote":{"addr":"${ip(m)}","port":"${40000 + n}"}}`);
    }
  }
  return {
    host: `ip-10-0-0-${n + 10}.eu-central-1.compute.internal`,
    pid: String(80 + n * 7),
    env: `${NODE_VERSION}:${NODE_COMMIT.slice(0, 5)}`,
    clientPeer,
    serverPeer,
  };
}

function thread(c: E, peer: number): string {
  const m = MESSAGES[c]!;
  // Per-peer protocol threads get distinct ids, as mini-protocol threads do.
  return peer >= 0 && m.thread.length === 1 ? String(Number(m.thread) * 100 + peer) : m.thread;
}

/** Format-specific tail of `data` (peer object, announce fields). */
function formatLine(fmt: TracingFormat, clock: Clock, id: NodeIdent, e: Ev, rest: string): string {
  const m = MESSAGES[e.c]!;
  const thr = thread(e.c, e.peer);
  let tail = rest;
  if (e.c === E.ANNOUNCE || e.c === E.ANNOUNCE_FALL) {
    tail =
      fmt === 'new'
        ? `,"risingEdge":${e.c === E.ANNOUNCE},"blockingRead":true,"addBlock":"${e.hash}"`
        : `,"block":"${e.hash}","blockNo":${e.no},"slot":${e.slot}`;
  } else if (e.peer >= 0) {
    tail += e.c === E.SENT ? id.serverPeer[e.peer]! : id.clientPeer[e.peer]!;
  }
  if (fmt === 'new') {
    return `{"at":"${atNew(clock, e.t)}","ns":"${m.newNs}","data":{"kind":"${m.newKind}"${tail}},"sev":"${m.sev}","thread":"${thr}","host":"${id.host}"}\n`;
  }
  return `{"app":[],"at":"${atLegacy(clock, e.t)}","data":{"kind":"${m.legacyKind}"${tail}},"env":"${id.env}","host":"${id.host}","loc":null,"msg":"","ns":["${m.legacyNs}"],"pid":"${id.pid}","sev":"${m.sev}","thread":"${thr}"}\n`;
}

// ---------------------------------------------------------------------------------------
// Phase 2: per-node streams (forge loop, resources, mempool, snapshots, noise)

interface ResConfig {
  k: Record<Knob, number>;
  r: Record<RunFactor, number>;
  threadsAdd: number;
  node: number;
  nodes: number;
  /** Run-level phases in [0, 1), spread over the nodes (see their use). */
  majorPhase: number;
  snapPhase: number;
}

/** Per-node running state, updated in time order while lines are formatted. */
class NodeState {
  tipNo = 0;
  tipHash = GENESIS_HASH;
  tipSlot = 0;
  numTxs = 0;
  lastResT = -1;
  cumMut = 0;
  cumGc = 0;
  cumAlloc = 0;
  cumMinor = 0;
  cumMajor = 0;
  cumBlkIO = 0;
  netRd = 0;
  netWr = 0;
  fsRd = 0;
  fsWr = 0;
  /** CPU work (centiseconds) of block forging/validation since the last sample. */
  bump = 0;
  snapshots = 0;
  /** Resource samples still to report at the snapshot burst level. */
  burstLeft = 0;
}

const RES_KB = 1024;
const MIB = 1048576;

function resourceRest(st: NodeState, e: Ev, rng: Rng, cfg: ResConfig): string {
  const B = EFFECTS.baseline;
  const sd = EFFECTS.sampleSd;
  // Fixed number of draws per sample, whatever the configuration, so runs of one seed share noise.
  const zCpu = rng.normal();
  const zBurst = rng.normal();
  const zAlloc = rng.normal();
  const zMinor = rng.normal();
  const zRss = rng.normal();
  const zHeap = rng.normal();
  const zLive = rng.normal();
  const zNetRd = rng.normal();
  const zNetWr = rng.normal();
  const zFsRd = rng.normal();
  const zFsWr = rng.normal();
  const uThr = rng.float();
  const { k, r } = cfg;
  const g = B.gcShare;
  if (st.lastResT < 0) {
    // The node has been up a while (startup, sync) before the first sample.
    const up = 90;
    st.cumMut = B.cpu_pct * (1 - g) * k.mut * r.cpu * up;
    st.cumGc = B.cpu_pct * g * k.gc * r.cpu * up;
    st.cumAlloc = B.alloc_mb_s * MIB * k.alloc * r.alloc * up;
    st.cumMinor = B.gc_minor_per_s * k.minor * r.minor * up;
    // Phases spread evenly over the nodes, so a run's count of major GCs is nearly exact
    // even when each node sees only a few.
    st.cumMajor = 2 + (cfg.node + cfg.majorPhase) / cfg.nodes;
    st.cumBlkIO = 40;
    st.netRd += B.net_rd_kb_s * RES_KB * up;
    st.netWr += B.net_wr_kb_s * RES_KB * up;
    st.fsRd += 500 * MIB;
    st.fsWr += 20 * MIB;
    st.bump = 0;
  } else {
    const dt = (e.t - st.lastResT) / US;
    const inSnap = st.burstLeft > 0;
    if (inSnap) st.burstLeft--;
    const level = inSnap
      ? B.snapshotBurstCpuPct * (1 + 0.03 * zBurst)
      : Math.max(5, B.cpu_pct * (1 + sd.cpu * zCpu));
    const work = level * dt + st.bump;
    st.bump = 0;
    st.cumMut += work * (1 - g) * k.mut * r.cpu;
    st.cumGc += work * g * k.gc * r.cpu;
    st.cumAlloc += Math.max(0, B.alloc_mb_s * MIB * k.alloc * r.alloc * (1 + sd.alloc * zAlloc) * dt);
    st.cumMinor += Math.max(0, B.gc_minor_per_s * k.minor * r.minor * (1 + sd.minor * zMinor) * dt);
    st.cumMajor += B.gc_major_per_s * k.major * r.major * dt;
    st.cumBlkIO += 0.5 * dt;
    st.netRd += Math.max(0, B.net_rd_kb_s * RES_KB * r.net * (1 + sd.net * zNetRd) * dt);
    st.netWr += Math.max(0, B.net_wr_kb_s * RES_KB * r.net * (1 + sd.net * zNetWr) * dt);
    st.fsRd += Math.max(0, B.fs_rd_kb_s * RES_KB * r.fs * (1 + sd.fs * zFsRd) * dt);
    st.fsWr += Math.max(0, B.fs_wr_kb_s * RES_KB * r.fs * (1 + sd.fs * zFsWr) * dt);
  }
  st.lastResT = e.t;
  const rssMiB = B.rss_mb * k.rss * r.rss * (1 + sd.rss * zRss);
  const rss = Math.round(rssMiB * MIB);
  const heap = Math.round(rssMiB * B.heapShareOfRss * (1 + 0.002 * zHeap) * MIB);
  const live = Math.round(rssMiB * B.liveShareOfRss * (1 + 0.03 * zLive) * MIB);
  const threads = B.threads + cfg.threadsAdd + (uThr < 0.05 ? 1 : 0);
  const mut = Math.floor(st.cumMut);
  const gc = Math.floor(st.cumGc);
  // CentiCpu is floored from the exact sum so CentiGC + CentiMut ≈ CentiCpu (off by ≤ 1).
  const cpu = Math.floor(st.cumMut + st.cumGc);
  return (
    `,"Alloc":${Math.floor(st.cumAlloc)},"CentiBlkIO":${Math.floor(st.cumBlkIO)},"CentiCpu":${cpu}` +
    `,"CentiGC":${gc},"CentiMut":${mut},"FsRd":${Math.floor(st.fsRd)},"FsWr":${Math.floor(st.fsWr)}` +
    `,"GcsMajor":${Math.floor(st.cumMajor)},"GcsMinor":${Math.floor(st.cumMinor)},"Heap":${heap}` +
    `,"Live":${live},"NetRd":${Math.floor(st.netRd)},"NetWr":${Math.floor(st.netWr)},"RSS":${rss}` +
    `,"Threads":${threads}`
  );
}

function round6(x: number): number {
  return Math.round(x * 1e6) / 1e6;
}

/** Format-independent data fields (after `kind`), updating node state in time order. */
function restOf(st: NodeState, e: Ev, resRng: Rng, cfg: ResConfig, adj: number[]): string {
  switch (e.c) {
    case E.RES:
      return resourceRest(st, e, resRng, cfg);
    case E.LOOP:
      return `,"chainDensity":${round6(st.tipNo / (e.slot + 1))},"slot":${e.slot},"utxoSize":${120000 + st.tipNo * 180}`;
    case E.CTX:
      return `,"current slot":${e.slot},"tipBlockNo":${st.tipNo}`;
    case E.LSTATE:
    case E.LVIEW:
    case E.LEADER:
    case E.NOTLEADER:
    case E.TICKED:
    case E.MEMSNAP:
      return `,"slot":${e.slot}`;
    case E.FORGED:
      st.bump += 2;
      return `,"block":"${e.hash}","blockNo":${e.no},"blockPrev":"${e.prev}","slot":${e.slot}`;
    case E.ADOPTED_FORGER:
      return `,"blockHash":"${e.hash}","blockSize":${e.size},"slot":${e.slot}`;
    case E.HEADER:
      st.netRd += 1100;
      return `,"block":"${e.hash}","blockNo":${e.no},"slot":${e.slot}`;
    case E.FETCH_REQ:
      return `,"head":"${e.hash}","length":1`;
    case E.FETCHED:
      st.netRd += e.size;
      return `,"block":"${e.hash}","delay":${e.val / US},"size":${e.size}`;
    case E.FETCH_BATCH:
      return `,"block":"${e.hash}"`;
    case E.ANNOUNCE:
    case E.ANNOUNCE_FALL:
      st.netWr += 550;
      return '';
    case E.SENT:
      st.netWr += e.size;
      return `,"block":"${e.hash}"`;
    case E.ADOPTED:
    case E.SWITCHED:
      st.tipNo = e.no;
      st.tipHash = e.hash;
      st.tipSlot = e.slot;
      st.fsWr += e.size;
      st.bump += 1 + (2 * e.size) / MAX_BODY;
      return e.c === E.ADOPTED
        ? `,"chainLengthDelta":1,"newtip":"${e.hash}@${e.slot}"`
        : `,"newtip":"${e.hash}@${e.slot}"`;
    case E.VOLATILE:
      return `,"hash":"${e.hash}","slot":${e.slot}`;
    case E.SNAPSHOT:
      if (e.val === 0) {
        // A fixed number of burst samples keeps the run mean of cpu_pct free of burst-length noise.
        st.burstLeft = 2 + (st.snapshots++ % 2);
        return `,"enclosedTime":{"tag":"RisingEdge"},"snapshot":{"kind":"snapshot"},"tip":"RealPoint (SlotNo ${st.tipSlot}) ${st.tipHash}"`;
      }
      st.fsWr += 256 * 1024;
      return `,"enclosedTime":{"contents":${e.val / US},"tag":"FallingEdgeWith"},"snapshot":{"kind":"snapshot"},"tip":"RealPoint (SlotNo ${st.tipSlot}) ${st.tipHash}"`;
    case E.ADDTX:
      st.numTxs += e.val;
      return `,"mempoolSize":{"bytes":${st.numTxs * 300},"numTxs":${st.numTxs}},"tx":{"txid":"${e.hash}"}`;
    case E.REMOVETX: {
      const removed = st.numTxs - Math.floor(st.numTxs / 8);
      st.numTxs -= removed;
      return `,"mempoolSize":{"bytes":${st.numTxs * 300},"numTxs":${st.numTxs}},"txs":${removed}`;
    }
    case E.IG_COUNTERS:
      return `,"coldPeers":0,"hotPeers":${adj.length},"idlePeers":${e.val},"warmPeers":0`;
    case E.IG_PROMOTED:
      return `,"connectionId":"${e.hash}"`;
    case E.FETCH_DECISION:
      return `,"declined":"FetchDeclineAlreadyFetched","peers":${adj.length}`;
    case E.FORGE_STATE:
      return `,"currentKESPeriod":${Math.floor(e.slot / 129600)},"remainingKESPeriods":${62 - Math.floor(e.slot / 129600)}`;
    case E.STARTUP_INFO:
      return `,"nodeVersion":"${NODE_VERSION}","era":"Conway","networkMagic":42`;
    case E.STARTUP_COMMON:
      return `,"systemStartTime":"${e.hash}","slotLength":1,"epochLength":${EPOCH_LENGTH}`;
    case E.STARTUP_LISTEN:
      return `,"address":"${e.hash}"`;
  }
}

const CHUNK = 1 << 20;
const SNAPSHOT_PERIOD = 100;

interface RunCtx {
  p: Params;
  chain: ChainResult;
  cfg: ResConfig;
  systemStart: string;
}

/** Lines of one node's log, in ~1 MB chunks, in time order. */
function* nodeChunks(ctx: RunCtx, n: number, fmt: TracingFormat): Generator<string> {
  const { p, chain } = ctx;
  const { seed, slots: S, t0 } = p;
  const N = p.nodes;
  const adj = chain.topo.adj[n]!;
  const rng = new Rng(seed, STREAM_NODE, n);
  const resRng = new Rng(seed, STREAM_RES, n);
  const cfg: ResConfig = { ...ctx.cfg, node: n };
  const id = nodeIdent(n, N, fmt);
  const clock = new Clock();
  const st = new NodeState();
  const blockEvs = chain.perNode[n]!;
  let bi = 0;
  let carry: Ev[] = [];
  const out: string[] = [];
  let size = 0;

  const emit = (win: Ev[]): void => {
    for (const e of win) {
      const line = formatLine(fmt, clock, id, e, restOf(st, e, resRng, cfg, adj));
      out.push(line);
      size += line.length;
    }
  };

  // Non-JSON preamble, as real node stdout has.
  const pre =
    `Listening on http://127.0.0.1:12798\n` +
    `cardano-node ${NODE_VERSION} - linux-x86_64 - ghc-9.6\n` +
    `git rev ${NODE_COMMIT}\n`;
  out.push(pre);
  size += pre.length;
  const startup: Ev[] = [
    ev(t0 - 42 * US + rng.int(US), E.STARTUP_INFO),
    ev(t0 - 41 * US + rng.int(US), E.STARTUP_COMMON, 0, 0, ctx.systemStart),
    ev(t0 - 40 * US + rng.int(US), E.STARTUP_LISTEN, 0, 0, `${ip(n)}:3001`),
  ];
  emit(startup);

  const resOffset = 100_000 + rng.int(800_000);
  // Snapshot phases are spread evenly over the nodes, so the cluster's snapshot count (and
  // its CPU bursts) barely varies between runs of one length.
  let nextSnap = 20 + Math.floor((SNAPSHOT_PERIOD * (n + cfg.snapPhase)) / N);
  for (let s = 0; s < S; s++) {
    const tS = t0 + s * US;
    const tEnd = tS + US;
    const win: Ev[] = [];
    const plan = slotPlan(seed, n, s, t0);
    if (!plan.missed) {
      win.push(ev(plan.start, E.LOOP, s));
      win.push(ev(plan.ctx, E.CTX, s));
      win.push(ev(plan.lstate, E.LSTATE, s));
      win.push(ev(plan.lview, E.LVIEW, s));
      win.push(ev(plan.lead, chain.leader[n * S + s] ? E.LEADER : E.NOTLEADER, s));
    }
    // Resources at 1 Hz with sub-second jitter (±40 ms).
    win.push(ev(tS + resOffset + Math.max(-40_000, Math.min(40_000, rng.normal() * 15_000)), E.RES, s));
    // Mempool arrivals (a sample of the generator's traffic).
    while (rng.float() < 0.35) win.push(ev(tS + rng.int(US), E.ADDTX, s, 0, rng.hex(1), '', 0, -1, 1 + rng.int(3)));
    // Unrelated messages, ~15% of lines.
    while (rng.float() < 0.55) {
      const u = rng.int(4);
      const t = tS + rng.int(US);
      if (u === 0) win.push(ev(t, E.IG_COUNTERS, s, 0, '', '', 0, -1, rng.int(3)));
      else if (u === 1) {
        const m = adj.length > 0 ? adj[rng.int(adj.length)]! : n;
        win.push(ev(t, E.IG_PROMOTED, s, 0, `${ip(n)}:${40000 + m} ${ip(m)}:3001`));
      } else if (u === 2) win.push(ev(t, E.FETCH_DECISION, s));
      else win.push(ev(t, E.FORGE_STATE, s));
    }
    if (s === nextSnap) {
      // Ledger snapshot: rising edge now, falling edge 2–3.5 s later; CPU bursts meanwhile.
      const t = tS + rng.int(US / 2);
      const dur = Math.round(2_000_000 + rng.int(1_500_000));
      win.push(ev(t, E.SNAPSHOT, s, 0, '', '', dur, -1, 0));
      carry.push(ev(t + dur, E.SNAPSHOT, s, 0, '', '', 0, -1, dur));
      nextSnap += SNAPSHOT_PERIOD;
    }
    if (carry.length > 0) {
      const keep: Ev[] = [];
      for (const e of carry) (e.t < tEnd ? win : keep).push(e);
      carry = keep;
    }
    while (bi < blockEvs.length && blockEvs[bi]!.t < tEnd) win.push(blockEvs[bi++]!);
    win.sort((a, b) => a.t - b.t);
    emit(win);
    if (size >= CHUNK) {
      yield out.join('');
      out.length = 0;
      size = 0;
    }
  }
  const tail = carry.concat(blockEvs.slice(bi));
  tail.sort((a, b) => a.t - b.t);
  emit(tail);
  if (out.length > 0) yield out.join('');
}

// ---------------------------------------------------------------------------------------
// Run layout

export function defaultTagPrefix(tracing: TracingFormat, rts: string): string {
  const flags = rtsFlags(rts)
    .map((f) => f.replace(/^-+/, '').replace(/[^A-Za-z0-9]+/g, ''))
    .filter((f) => f.length > 0);
  return `sim-${tracing}${flags.length > 0 ? '-' + flags.join('-') : ''}`;
}

function systemStartOf(runSeed: number): string {
  // Fixed per run seed: 2026-01-01T00:00:00Z plus (seed mod one year) hours.
  const hours = ((runSeed % 8760) + 8760) % 8760;
  return new Date(Date.UTC(2026, 0, 1) + hours * 3600_000).toISOString().replace('.000Z', 'Z');
}

function metaJson(tag: string, batch: string, p: Params, fmt: TracingFormat): unknown {
  return {
    meta: {
      tag,
      batch,
      profile: `sim-${p.nodes}n-${p.slots}s`,
      era: 'conway',
      node_ghc_version: '9.6.5',
      manifest: { 'cardano-node': { commit: NODE_COMMIT, branch: 'release/10.1', version: NODE_VERSION } },
      profile_content: {
        composition: { n_hosts: p.nodes },
        node: {
          tracing_backend: fmt === 'new' ? 'trace-dispatcher' : 'iohk-monitoring',
          rts_flags_override: rtsFlags(p.rts),
        },
        generator: { tps: TPS },
      },
      simulator: { seed: p.seed, effects_of: p.tracing },
    },
  };
}

function genesisJson(systemStart: string): unknown {
  return {
    systemStart,
    slotLength: 1,
    epochLength: EPOCH_LENGTH,
    activeSlotsCoeff: ACTIVE_SLOTS,
    securityParam: 10,
    networkMagic: 42,
    protocolParams: { maxBlockBodySize: MAX_BODY, maxBlockHeaderSize: 1100, maxTxSize: 16384 },
  };
}

function validate(o: SimulateOptions): void {
  const int = (name: string, v: number, min: number): void => {
    if (!Number.isInteger(v) || v < min) throw new RangeError(`simulate: ${name} must be an integer ≥ ${min}, got ${v}.`);
  };
  int('nodes', o.nodes, 1);
  int('slots', o.slots, 1);
  int('runs', o.runs, 1);
  if (!Number.isSafeInteger(o.seed)) throw new RangeError(`simulate: seed must be an integer, got ${o.seed}.`);
  if (o.tracing !== 'new' && o.tracing !== 'legacy') throw new RangeError(`simulate: tracing must be new or legacy, got ${String(o.tracing)}.`);
}

/** Writes `opts.runs` runs; returns their absolute directories. */
export async function simulate(opts: SimulateOptions): Promise<string[]> {
  validate(opts);
  const fmt = opts.format ?? opts.tracing;
  const prefix = opts.tagPrefix ?? defaultTagPrefix(opts.tracing, opts.rts);
  const outDir = resolve(opts.out);
  await mkdir(outDir, { recursive: true });
  let threadsAdd = 0;
  for (const f of rtsFlags(opts.rts)) threadsAdd += EFFECTS.threadsAdd[f] ?? 0;
  const written: string[] = [];
  for (let k = 0; k < opts.runs; k++) {
    const runSeed = opts.seed + k;
    const tag = `${prefix}-s${runSeed}`;
    const systemStart = systemStartOf(runSeed);
    const p: Params = {
      seed: runSeed,
      nodes: opts.nodes,
      slots: opts.slots,
      t0: Date.parse(systemStart) * 1000,
      tracing: opts.tracing,
      rts: opts.rts,
    };
    const started = Date.now();
    const chain = simulateChain(p);
    const cfg: ResConfig = {
      k: knobMultipliers(opts.tracing, opts.rts),
      r: runLevelFactors(runSeed, opts.tracing),
      threadsAdd,
      node: 0,
      nodes: opts.nodes,
      majorPhase: new Rng(runSeed, STREAM_RUN, 1).float(),
      // A fixed phase: the cluster's snapshot count (and its CPU bursts) is then the same in
      // every run of one shape, instead of adding seed-driven spread to cpu_pct that would
      // mask the configuration's run-to-run variance.
      snapPhase: 0.5,
    };
    const ctx: RunCtx = { p, chain, cfg, systemStart };
    // Write into a temporary sibling, then rename: a run directory is whole or absent.
    const final = join(outDir, tag);
    const tmp = join(outDir, `.${tag}.tmp-${process.pid}`);
    await rm(tmp, { recursive: true, force: true });
    await mkdir(join(tmp, 'genesis'), { recursive: true });
    await writeFile(join(tmp, 'meta.json'), JSON.stringify(metaJson(tag, prefix, p, fmt), null, 2) + '\n');
    await writeFile(join(tmp, 'genesis', 'genesis.shelley.json'), JSON.stringify(genesisJson(systemStart), null, 2) + '\n');
    let bytes = 0;
    for (let n = 0; n < opts.nodes; n++) {
      const dir = join(tmp, `node-${n}`);
      await mkdir(dir);
      const source = Readable.from(
        (function* () {
          for (const chunk of nodeChunks(ctx, n, fmt)) {
            bytes += chunk.length;
            yield chunk;
          }
        })(),
        { objectMode: false },
      );
      if (opts.gzip) await pipeline(source, createGzip({ level: 6 }), createWriteStream(join(dir, 'stdout.gz')));
      else await pipeline(source, createWriteStream(join(dir, 'stdout')));
    }
    await rm(final, { recursive: true, force: true });
    await rename(tmp, final);
    written.push(final);
    const secs = (Date.now() - started) / 1000;
    opts.onProgress?.(
      `simulate: ${tag}: ${opts.nodes} nodes × ${opts.slots} slots, ${chain.blocksForged} blocks ` +
        `(${chain.blocksOnChain} on chain), ${(bytes / MIB).toFixed(1)} MiB of logs in ${secs.toFixed(1)} s`,
    );
  }
  return written;
}
