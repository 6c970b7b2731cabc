// Tests for the seeded cluster simulator: determinism, format equivalence (same events in
// both log formats), the run layout, the event model (leaders, chain, propagation) and the
// planted configuration effects, all read back from the files it writes.
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { mkdir, mkdtemp, readdir, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { gunzipSync } from 'node:zlib';
import {
  EFFECTS,
  defaultTagPrefix,
  expectedRatios,
  runLevelFactors,
  SIMULATED_MARKER,
  parseShape,
  simulate,
  type SimulateOptions,
  makeSamples,
  SAMPLE_SETS,
} from '../pipeline/simulate/index.js';
import { CliError } from '../pipeline/core/index.js';
import { main } from '../pipeline/cli.js';

// DESIGN §2 message table, written out independently of the simulator's own table.
const NEW_NS: Record<string, string> = {
  Resources: 'resources',
  'Forge.Loop.StartLeadershipCheckPlus': 'loop_start',
  'Forge.Loop.BlockContext': 'block_context',
  'Forge.Loop.LedgerState': 'ledger_state',
  'Forge.Loop.LedgerView': 'ledger_view',
  'Forge.Loop.NodeIsLeader': 'leader',
  'Forge.Loop.NodeNotLeader': 'not_leader',
  'Forge.Loop.ForgeTickedLedgerState': 'ticked',
  'Forge.Loop.ForgingMempoolSnapshot': 'mempool_snapshot',
  'Forge.Loop.ForgedBlock': 'forged',
  'Forge.Loop.AdoptedBlock': 'adopted_forger',
  'ChainSync.Client.DownloadedHeader': 'header_seen',
  'BlockFetch.Client.SendFetchRequest': 'fetch_request',
  'BlockFetch.Client.CompletedBlockFetch': 'fetched',
  'ChainSync.ServerHeader.Update': 'announced',
  'BlockFetch.Server.SendBlock': 'sent',
  'ChainDB.AddBlockEvent.AddedToCurrentChain': 'adopted',
  'ChainDB.LedgerEvent.TookSnapshot': 'ledger_snapshot',
  'Mempool.AddedTx': 'mempool',
  'Mempool.RemoveTxs': 'mempool',
};
const LEGACY_KIND: Record<string, string> = {
  ResourceStats: 'resources',
  Resources: 'resources',
  TraceStartLeadershipCheck: 'loop_start',
  TraceBlockContext: 'block_context',
  TraceLedgerState: 'ledger_state',
  TraceLedgerView: 'ledger_view',
  TraceNodeIsLeader: 'leader',
  TraceNodeNotLeader: 'not_leader',
  TraceForgeTickedLedgerState: 'ticked',
  TraceForgingMempoolSnapshot: 'mempool_snapshot',
  TraceForgedBlock: 'forged',
  TraceAdoptedBlock: 'adopted_forger',
  'ChainSyncClientEvent.TraceDownloadedHeader': 'header_seen',
  SendFetchRequest: 'fetch_request',
  CompletedBlockFetch: 'fetched',
  // ≥ 1.35; the rising edge is the announcement (below).
  'ChainSyncServerEvent.TraceChainSyncServerUpdate': 'announced',
  TraceBlockFetchServerSendBlock: 'sent',
  'TraceAddBlockEvent.AddedToCurrentChain': 'adopted',
  'TraceSnapshotEvent.TookSnapshot': 'ledger_snapshot',
  TraceMempoolAddedTx: 'mempool',
  TraceMempoolRemoveTxs: 'mempool',
  // Before 1.35 (shape read-blocked): a blocking and a non-blocking read, both announcements.
  'ChainSyncServerEvent.TraceChainSyncServerReadBlocked.AddBlock': 'announced',
  'ChainSyncServerEvent.TraceChainSyncServerRead.AddBlock': 'announced',
};
const CANONICAL = [...new Set(Object.values(NEW_NS))];

type Json = Record<string, unknown>;
interface Line {
  t: number;
  ev: string;
  fields: Json;
  raw: Json;
}
interface RunLogs {
  dir: string;
  nodes: Map<string, Line[]>;
  nonJson: number;
  format: 'new' | 'legacy';
}

/** RFC 3339 with `T` or a space, 0–9 fractional digits → microseconds since the epoch. */
function atMicros(at: string): number {
  const m = /^(\d{4}-\d\d-\d\d)[T ](\d\d:\d\d:\d\d)(?:\.(\d{1,9}))?Z$/.exec(at);
  if (!m) throw new Error(`bad timestamp ${at}`);
  const frac = (m[3] ?? '').padEnd(9, '0');
  return Date.parse(`${m[1]}T${m[2]}Z`) * 1000 + Math.floor(Number(frac) / 1000);
}

/** Fields only one format writes: the legacy credentials label and chain length delta. */
const FORMAT_ONLY = new Set(['kind', 'peer', 'credentials', 'chainLengthDelta', 'realFork']);

function normalise(o: Json, format: 'new' | 'legacy'): Line {
  let data = o.data as Json;
  // Legacy forge-tracer lines wrap their payload: {"credentials": …, "val": {…}}.
  if (format === 'legacy' && data.val !== undefined && data.kind === undefined) data = data.val as Json;
  let ev: string;
  if (format === 'new') {
    const ns = Array.isArray(o.ns) ? (o.ns as string[]).join('.') : (o.ns as string);
    ev = NEW_NS[ns] ?? 'other';
  } else {
    ev = LEGACY_KIND[data.kind as string] ?? 'other';
  }
  // A ChainSync server update without risingEdge is the falling edge.
  if (ev === 'announced' && data.addBlock !== undefined && data.risingEdge !== true) ev = 'announce_falling';
  let fields: Json = {};
  for (const [k, v] of Object.entries(data)) if (!FORMAT_ONLY.has(k)) fields[k] = v;
  const peer = data.peer as Json | undefined;
  if (peer) {
    fields.peer =
      format === 'new'
        ? (peer.connectionId as string).split(' ')[1]!.split(':')[0]
        : ((peer.remote as Json).addr as string);
  }
  if (ev === 'announced' || ev === 'announce_falling') {
    fields = { hash: String(data.addBlock ?? data.block).slice(0, 64), blocking: data.blockingRead ?? !String(data.kind).endsWith('Read.AddBlock') };
  }
  return { t: atMicros(o.at as string), ev, fields, raw: o };
}

async function readRun(dir: string): Promise<RunLogs> {
  const meta = JSON.parse(await readFile(join(dir, 'meta.json'), 'utf8')) as { meta: Json };
  const backend = ((meta.meta.profile_content as Json).node as Json).tracing_backend;
  const format = backend === 'trace-dispatcher' ? 'new' : 'legacy';
  const nodes = new Map<string, Line[]>();
  let nonJson = 0;
  const names = (await readdir(dir)).filter((d) => d.startsWith('node-')).sort();
  for (const name of names) {
    const files = await readdir(join(dir, name));
    const file = files.find((f) => f.startsWith('stdout'))!;
    let buf = await readFile(join(dir, name, file));
    if (file.endsWith('.gz')) buf = gunzipSync(buf);
    const lines: Line[] = [];
    for (const text of buf.toString('utf8').split('\n')) {
      if (text === '') continue;
      if (!text.startsWith('{')) {
        nonJson++;
        continue;
      }
      lines.push(normalise(JSON.parse(text) as Json, format));
    }
    nodes.set(name, lines);
  }
  return { dir, nodes, nonJson, format };
}

function all(run: RunLogs): Line[] {
  return [...run.nodes.values()].flat();
}

function of(run: RunLogs, ev: string): Line[] {
  return all(run).filter((l) => l.ev === ev);
}

/** Per node (last − first) / elapsed of a cumulative resource counter; mean over nodes. */
function counterRate(run: RunLogs, field: string): number {
  const rates: number[] = [];
  for (const lines of run.nodes.values()) {
    const res = lines.filter((l) => l.ev === 'resources');
    const a = res[0]!;
    const b = res[res.length - 1]!;
    rates.push(((b.fields[field] as number) - (a.fields[field] as number)) / ((b.t - a.t) / 1e6));
  }
  return rates.reduce((x, y) => x + y, 0) / rates.length;
}

function gaugeMean(run: RunLogs, field: string): number {
  const xs = of(run, 'resources').map((l) => l.fields[field] as number);
  return xs.reduce((x, y) => x + y, 0) / xs.length;
}

let root: string;
const base = { nodes: 6, slots: 240, runs: 1, seed: 7 } as const;

async function run(opts: Partial<SimulateOptions> & Pick<SimulateOptions, 'tracing'>, sub: string): Promise<string> {
  const dirs = await simulate({ out: join(root, sub), rts: '', ...base, ...opts });
  expect(dirs).toHaveLength(opts.runs ?? 1);
  return dirs[0]!;
}

beforeAll(async () => {
  root = await mkdtemp(join(tmpdir(), 'bench-report-sim-'));
});
afterAll(async () => {
  await rm(root, { recursive: true, force: true });
});

describe('simulate: determinism and layout', () => {
  it('writes byte-identical runs for the same seed (plain and gzipped)', async () => {
    for (const gzip of [false, true]) {
      const a = await run({ tracing: 'legacy', gzip }, `det-a-${gzip}`);
      const b = await run({ tracing: 'legacy', gzip }, `det-b-${gzip}`);
      const files = ['meta.json', 'genesis/genesis.shelley.json'];
      for (let n = 0; n < base.nodes; n++) files.push(`node-${n}/stdout${gzip ? '.gz' : ''}`);
      for (const f of files) {
        const x = await readFile(join(a, f));
        const y = await readFile(join(b, f));
        expect(x.length, f).toBeGreaterThan(0);
        expect(x.equals(y), f).toBe(true);
      }
    }
    // A different seed gives different logs.
    const c = await run({ tracing: 'legacy', seed: 8 }, 'det-c');
    const d = await run({ tracing: 'legacy' }, 'det-d');
    expect((await readFile(join(c, 'node-0/stdout'))).equals(await readFile(join(d, 'node-0/stdout')))).toBe(false);
  });

  it('names runs by prefix and seed and writes meta.json and genesis', async () => {
    expect(defaultTagPrefix('new', '-A64m -N4')).toBe('sim-new-A64m-N4');
    expect(defaultTagPrefix('legacy', '')).toBe('sim-legacy');
    const dirs = await simulate({ out: join(root, 'layout'), tracing: 'new', rts: '-A64m -N4', nodes: 3, slots: 50, runs: 2, seed: 40 });
    expect(dirs.map((d) => d.split('/').pop())).toEqual(['sim-new-A64m-N4-s40', 'sim-new-A64m-N4-s41']);
    const meta = JSON.parse(await readFile(join(dirs[1]!, 'meta.json'), 'utf8')).meta;
    expect(meta.tag).toBe('sim-new-A64m-N4-s41');
    expect(meta.batch).toBe('sim-new-A64m-N4');
    expect(typeof meta.profile).toBe('string');
    expect(meta.era).toBe('conway');
    expect(meta.node_ghc_version).toBe('9.6.5');
    expect(meta.manifest['cardano-node']).toMatchObject({ version: '10.1.4', branch: expect.any(String) });
    expect(meta.manifest['cardano-node'].commit).toMatch(/^[0-9a-f]{40}$/);
    expect(meta.profile_content.composition.n_hosts).toBe(3);
    expect(meta.profile_content.node.tracing_backend).toBe('trace-dispatcher');
    expect(meta.profile_content.node.rts_flags_override).toEqual(['-A64m', '-N4']);
    expect(meta.profile_content.generator.tps).toBe(15);
    const g = JSON.parse(await readFile(join(dirs[1]!, 'genesis/genesis.shelley.json'), 'utf8'));
    expect(g.systemStart).toMatch(/^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\dZ$/);
    expect(g).toMatchObject({ slotLength: 1, epochLength: 100, activeSlotsCoeff: 0.08, securityParam: 10 });
    expect(g.protocolParams.maxBlockBodySize).toBe(65536);
    const g0 = JSON.parse(await readFile(join(dirs[0]!, 'genesis/genesis.shelley.json'), 'utf8'));
    expect(Date.parse(g.systemStart) - Date.parse(g0.systemStart)).toBe(3600_000);
    expect((await readdir(dirs[0]!)).sort()).toEqual(['.bench-report-simulated', 'genesis', 'meta.json', 'node-0', 'node-1', 'node-2']);
  });
});

describe('simulate: log formats', () => {
  let neu: RunLogs;
  let leg: RunLogs;
  let legSameEffects: RunLogs;
  beforeAll(async () => {
    neu = await readRun(await run({ tracing: 'new' }, 'fmt-new'));
    leg = await readRun(await run({ tracing: 'legacy' }, 'fmt-legacy'));
    // New-tracing events written in the legacy format: resource values identical too.
    legSameEffects = await readRun(await run({ tracing: 'new', format: 'legacy' }, 'fmt-new-as-legacy'));
    expect(legSameEffects.format).toBe('legacy');
  });

  it('writes the envelope and timestamp style of each format', () => {
    for (const l of all(neu)) {
      expect(Object.keys(l.raw)).toEqual(['at', 'ns', 'data', 'sev', 'thread', 'host']);
      expect(l.raw.at).toMatch(/^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{6}000Z$/);
      expect(typeof l.raw.ns).toBe('string');
      expect(typeof (l.raw.data as Json).kind).toBe('string');
    }
    for (const l of all(leg)) {
      expect(Object.keys(l.raw).sort()).toEqual(['app', 'at', 'data', 'env', 'host', 'loc', 'msg', 'ns', 'pid', 'sev', 'thread']);
      expect(l.raw.at).toMatch(/^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d(\.\d{0,5}[1-9])?Z$/);
      expect(l.raw.ns).toEqual([expect.stringMatching(/^cardano\.node\./)]);
    }
    // Trimmed fractions of every length occur.
    const lens = new Set(all(leg).map((l) => ((l.raw.at as string).split('.')[1] ?? 'Z').length - 1));
    expect(lens.size).toBeGreaterThanOrEqual(4);
    expect(neu.nonJson).toBeGreaterThanOrEqual(base.nodes);
    expect(leg.nonJson).toBe(neu.nonJson);
    const hosts = new Set(all(neu).map((l) => l.raw.host));
    expect([...hosts].sort()).toEqual(
      Array.from({ length: base.nodes }, (_, i) => `ip-10-0-0-${i + 10}.eu-central-1.compute.internal`).sort(),
    );
  });

  it('emits every canonical event of the DESIGN table in both formats', () => {
    for (const r of [neu, leg]) {
      const seen = new Set(all(r).map((l) => l.ev));
      for (const c of CANONICAL) expect(seen.has(c), `${r.format}: ${c}`).toBe(true);
      expect(seen.has('announce_falling'), `${r.format}: falling edge`).toBe(true);
      // Both mempool messages, both snapshot edges, and some unrelated noise (10–20 %).
      const kinds = new Set(all(r).map((l) => (l.raw.data as Json).kind));
      expect(kinds.has('TraceMempoolAddedTx') && kinds.has('TraceMempoolRemoveTxs')).toBe(true);
      const other = of(r, 'other').length / all(r).length;
      expect(other).toBeGreaterThan(0.1);
      expect(other).toBeLessThan(0.2);
    }
  });

  it('writes identical events in both formats when the effects are the same', () => {
    for (const [node, lines] of neu.nodes) {
      const other = legSameEffects.nodes.get(node)!;
      expect(other.length).toBe(lines.length);
      expect(other.map(({ t, ev, fields }) => ({ t, ev, fields }))).toEqual(
        lines.map(({ t, ev, fields }) => ({ t, ev, fields })),
      );
    }
  });

  it('changes only resource values between tracing backends of one seed', () => {
    for (const [node, lines] of neu.nodes) {
      const other = leg.nodes.get(node)!;
      expect(other.map((l) => [l.t, l.ev])).toEqual(lines.map((l) => [l.t, l.ev]));
      const strip = (ls: Line[]): Line['fields'][] => ls.filter((l) => l.ev !== 'resources').map((l) => l.fields);
      expect(strip(other)).toEqual(strip(lines));
    }
    expect(gaugeMean(neu, 'RSS')).not.toBe(gaugeMean(leg, 'RSS'));
  });
});

describe('simulate: event model', () => {
  let runs: RunLogs[];
  beforeAll(async () => {
    const dirs = await simulate({ out: join(root, 'model'), tracing: 'new', rts: '', nodes: 8, slots: 400, runs: 4, seed: 100 });
    runs = await Promise.all(dirs.map(readRun));
  });

  it('elects leaders on 5–12 % of slots and forges one block per leadership', () => {
    let leaderSlots = 0;
    for (const r of runs) {
      const slots = new Set(of(r, 'leader').map((l) => l.fields.slot));
      leaderSlots += slots.size;
      expect(of(r, 'forged').length).toBe(of(r, 'leader').length);
      expect(of(r, 'adopted_forger').length).toBe(of(r, 'forged').length);
    }
    const share = leaderSlots / (runs.length * 400);
    expect(share).toBeGreaterThanOrEqual(0.05);
    expect(share).toBeLessThanOrEqual(0.12);
  });

  it('builds a chain along blockPrev; lost blocks are adopted only by their forger', () => {
    let lost = 0;
    let battles = 0;
    for (const r of runs) {
      const forged = new Map<string, { no: number; prev: string; slot: number; node: string }>();
      const adoptedBy = new Map<string, Set<string>>();
      for (const [node, lines] of r.nodes)
        for (const l of lines) {
          if (l.ev === 'forged')
            forged.set(l.fields.block as string, { no: l.fields.blockNo as number, prev: l.fields.blockPrev as string, slot: l.fields.slot as number, node });
          if (l.ev === 'adopted') {
            const h = (l.fields.newtip as string).slice(0, 64);
            if (!adoptedBy.has(h)) adoptedBy.set(h, new Set());
            adoptedBy.get(h)!.add(node);
          }
        }
      for (const h of forged.keys()) expect(h).toMatch(/^[0-9a-f]{64}$/);
      let top: [string, { no: number; prev: string; slot: number; node: string }] | undefined;
      for (const e of forged) if (!top || e[1].no > top[1].no) top = e;
      const chain = new Set<string>();
      for (let h = top![0]; forged.has(h); h = forged.get(h)!.prev) chain.add(h);
      const bySlot = new Map<number, number>();
      for (const b of forged.values()) bySlot.set(b.slot, (bySlot.get(b.slot) ?? 0) + 1);
      battles += [...bySlot.values()].filter((c) => c > 1).length;
      for (const [h, b] of forged) {
        const hosts = adoptedBy.get(h) ?? new Set();
        if (chain.has(h)) {
          expect(hosts.has(b.node)).toBe(true);
          expect(hosts.size).toBeGreaterThanOrEqual(r.nodes.size - 2);
        } else {
          lost++;
          expect([...hosts]).toEqual([b.node]);
        }
      }
      expect(chain.size / forged.size).toBeGreaterThan(0.8);
    }
    expect(lost).toBeGreaterThan(0);
    expect(battles).toBeGreaterThan(0);
  });

  it('propagates blocks: header, request, fetch, adoption in order, with duplicates and missed slots', () => {
    let dupHeaders = 0;
    let missed = 0;
    for (const r of runs) {
      for (const lines of r.nodes.values()) {
        const first = new Map<string, number>();
        for (const l of lines) {
          if (l.ev === 'header_seen') {
            const h = l.fields.block as string;
            if (first.has(h)) dupHeaders++;
            else first.set(h, l.t);
          }
          if (l.ev === 'fetched') {
            const h = l.fields.block as string;
            const req = lines.find((x) => x.ev === 'fetch_request' && x.fields.head === h)!;
            expect(req.t).toBeGreaterThan(first.get(h)!);
            expect(l.t).toBeGreaterThan(req.t);
            expect(l.fields.delay).toBeCloseTo((l.t - req.t) / 1e6, 6);
            expect(l.fields.size).toBeGreaterThan(0);
          }
        }
        missed += 400 - lines.filter((l) => l.ev === 'loop_start').length;
      }
      // Every fetch has a matching send on the upstream node.
      expect(of(r, 'sent').length).toBe(of(r, 'fetched').length);
    }
    expect(dupHeaders).toBeGreaterThan(0);
    expect(missed).toBeGreaterThan(0);
    expect(missed / (runs.length * 8 * 400)).toBeLessThan(0.01);
  });

  it('writes monotone resource counters at about 1 Hz with jitter and CPU bursts ≥ 85 %', () => {
    const r = runs[0]!;
    let bursts = 0;
    let samples = 0;
    for (const lines of r.nodes.values()) {
      const res = lines.filter((l) => l.ev === 'resources');
      expect(res.length).toBe(400);
      for (let i = 1; i < res.length; i++) {
        const a = res[i - 1]!.fields as Record<string, number>;
        const b = res[i]!.fields as Record<string, number>;
        const dt = (res[i]!.t - res[i - 1]!.t) / 1e6;
        expect(dt).toBeGreaterThan(0.9);
        expect(dt).toBeLessThan(1.1);
        for (const k of ['CentiCpu', 'CentiGC', 'CentiMut', 'CentiBlkIO', 'Alloc', 'GcsMajor', 'GcsMinor', 'NetRd', 'NetWr', 'FsRd', 'FsWr'])
          expect(b[k]!).toBeGreaterThanOrEqual(a[k]!);
        expect(Math.abs(b.CentiGC! + b.CentiMut! - b.CentiCpu!)).toBeLessThanOrEqual(1);
        const cpu = (b.CentiCpu! - a.CentiCpu!) / dt;
        samples++;
        if (cpu >= 85) bursts++;
      }
    }
    expect(bursts).toBeGreaterThan(0);
    expect(bursts / samples).toBeLessThan(0.06);
    const cpu = counterRate(r, 'CentiCpu');
    expect(cpu).toBeGreaterThan(35);
    expect(cpu).toBeLessThan(50);
  });
});

describe('simulate: planted effects', () => {
  const slots = 120;
  let legacy: RunLogs;
  beforeAll(async () => {
    legacy = await readRun(await run({ tracing: 'legacy', slots }, 'fx-legacy'));
  });

  it('applies the new-tracing factors (cpu ×1.08, rss ×0.85, alloc ×0.75) before run-level noise', async () => {
    const neu = await readRun(await run({ tracing: 'new', slots }, 'fx-new'));
    const fn = runLevelFactors(base.seed, 'new');
    const fl = runLevelFactors(base.seed, 'legacy');
    const want = expectedRatios('new', '');
    expect(want.cpu_pct).toBeCloseTo(1.08, 10);
    const cpu = counterRate(neu, 'CentiCpu') / counterRate(legacy, 'CentiCpu') / (fn.cpu / fl.cpu);
    expect(cpu).toBeCloseTo(1.08, 2);
    const rss = gaugeMean(neu, 'RSS') / gaugeMean(legacy, 'RSS') / (fn.rss / fl.rss);
    expect(rss).toBeCloseTo(0.85, 3);
    const alloc = counterRate(neu, 'Alloc') / counterRate(legacy, 'Alloc') / (fn.alloc / fl.alloc);
    expect(alloc).toBeCloseTo(0.75, 2);
    // Not touched by tracing: minor GCs and network, up to run-level noise.
    const minor = counterRate(neu, 'GcsMinor') / counterRate(legacy, 'GcsMinor') / (fn.minor / fl.minor);
    expect(minor).toBeCloseTo(1, 1);
  });

  it('applies RTS flag factors, multiplied (-A64m, -N4, -xn)', async () => {
    // Same tracing → same run-level factors, so ratios are direct.
    const a64 = await readRun(await run({ tracing: 'legacy', rts: '-A64m', slots }, 'fx-a64'));
    expect(counterRate(a64, 'GcsMinor') / counterRate(legacy, 'GcsMinor')).toBeCloseTo(0.3, 2);
    expect(counterRate(a64, 'CentiGC') / counterRate(legacy, 'CentiGC')).toBeCloseTo(0.7, 2);
    expect(counterRate(a64, 'CentiCpu') / counterRate(legacy, 'CentiCpu')).toBeCloseTo(expectedRatios('legacy', '-A64m').cpu_pct!, 2);
    expect(gaugeMean(a64, 'RSS') / gaugeMean(legacy, 'RSS')).toBeCloseTo(1.05, 3);

    const nx = await readRun(await run({ tracing: 'legacy', rts: '-N4 -xn', slots }, 'fx-n4xn'));
    expect(counterRate(nx, 'CentiCpu') / counterRate(legacy, 'CentiCpu')).toBeCloseTo(1.05, 2);
    expect(gaugeMean(nx, 'Threads') - gaugeMean(legacy, 'Threads')).toBeCloseTo(2, 5);
    expect(gaugeMean(nx, 'RSS') / gaugeMean(legacy, 'RSS')).toBeCloseTo(1.1, 3);
    const major = counterRate(nx, 'GcsMajor') / counterRate(legacy, 'GcsMajor');
    expect(major).toBeGreaterThan(0.3);
    expect(major).toBeLessThan(0.7);
    // Effects multiply.
    const both = expectedRatios('new', '-A64m -N4 -xn');
    expect(both.rss_mb).toBeCloseTo(0.85 * 1.05 * 1.1, 10);
    expect(both.gc_cpu_pct).toBeCloseTo(1.08 * 0.7 * 1.05, 10);
  });

  it('draws run-level factors with a 5× smaller CPU spread for new tracing', () => {
    const sd = (xs: number[]): number => {
      const m = xs.reduce((a, b) => a + b, 0) / xs.length;
      return Math.sqrt(xs.reduce((a, b) => a + (b - m) ** 2, 0) / (xs.length - 1));
    };
    const seeds = Array.from({ length: 2000 }, (_, i) => i);
    const leg = sd(seeds.map((s) => runLevelFactors(s, 'legacy').cpu));
    const neu = sd(seeds.map((s) => runLevelFactors(s, 'new').cpu));
    const rss = sd(seeds.map((s) => runLevelFactors(s, 'legacy').rss));
    expect(leg).toBeCloseTo(EFFECTS.runSd.legacy.cpu, 2);
    expect(neu / leg).toBeLessThanOrEqual(0.25);
    expect(rss).toBeGreaterThan(0.015);
    expect(rss).toBeLessThan(0.035);
  });
});

describe('simulate / samples: never replace folders the tool did not write (issue 8 item 3)', () => {
  it('simulate refuses an existing run directory without the marker, naming it, and leaves it alone', async () => {
    const out = join(root, 'guard-sim');
    const theirs = join(out, 'sim-new-s5');
    await mkdir(theirs, { recursive: true });
    await writeFile(join(theirs, 'keep.txt'), 'a real run\n');
    const err = await simulate({ out, tracing: 'new', rts: '', nodes: 2, slots: 5, runs: 2, seed: 4 }).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(CliError);
    expect((err as CliError).exitCode).toBe(2);
    expect((err as CliError).message).toContain(theirs);
    expect(await readFile(join(theirs, 'keep.txt'), 'utf8')).toBe('a real run\n');
    // Checked before anything is written: the run before it (seed 4) is not there either.
    expect(await readdir(out)).toEqual(['sim-new-s5']);
  });

  it('simulate replaces a run it wrote itself (the marker says so)', async () => {
    const out = join(root, 'guard-sim-again');
    const [first] = await simulate({ out, tracing: 'new', rts: '', nodes: 2, slots: 5, runs: 1, seed: 4 });
    expect(await readdir(first!)).toContain(SIMULATED_MARKER);
    await writeFile(join(first!, 'stale.txt'), 'x');
    const [again] = await simulate({ out, tracing: 'new', rts: '', nodes: 2, slots: 5, runs: 1, seed: 4 });
    expect(again).toBe(first);
    expect(await readdir(again!)).not.toContain('stale.txt');
  });

  it('samples --out refuses a set folder it did not create (exit 2) and deletes nothing', async () => {
    const out = join(root, 'guard-samples');
    await mkdir(join(out, 'legacy', 'my-run'), { recursive: true });
    await writeFile(join(out, 'legacy', 'my-run', 'meta.json'), '{}');
    const r = await main(['node', 'bench-report', 'samples', '--out', out]).catch((e: unknown) => e);
    expect(r).toBe(2);
    expect(await readFile(join(out, 'legacy', 'my-run', 'meta.json'), 'utf8')).toBe('{}');
    expect((await readdir(out)).sort()).toEqual(['legacy']);
  });

  it('makeSamples rewrites set folders that carry its marker', async () => {
    const out = join(root, 'guard-samples-ok');
    await mkdir(join(out, 'new', 'stale-run'), { recursive: true });
    await writeFile(join(out, 'new', SIMULATED_MARKER), '');
    const err = await makeSamples(out, undefined, { nodes: 2, slots: 5, runs: 1 }).then(
      () => null,
      (e: unknown) => e,
    );
    expect(err).toBeNull();
    expect(await readdir(join(out, 'new'))).not.toContain('stale-run');
    for (const s of SAMPLE_SETS) expect(await readdir(join(out, s.dir))).toContain(SIMULATED_MARKER);
  });
});

describe('simulate: what real nodes write (issue 7)', () => {
  let neu: RunLogs;
  let leg: RunLogs;
  beforeAll(async () => {
    neu = await readRun(await run({ tracing: 'new', slots: 150 }, 'real-new'));
    leg = await readRun(await run({ tracing: 'legacy', slots: 150 }, 'real-legacy'));
  });
  const data = (l: Line): Json => {
    const d = l.raw.data as Json;
    return d.val !== undefined && d.kind === undefined ? (d.val as Json) : d;
  };

  it('logs StartLeadershipCheckPlus and the KES state every slot the loop runs, on every node', () => {
    for (const r of [neu, leg])
      for (const [node, lines] of r.nodes) {
        const starts = lines.filter((l) => l.ev === 'loop_start');
        const kes = lines.filter((l) => data(l).kind === 'KESInfo');
        expect(starts.length, node).toBeGreaterThan(145);
        expect(kes.length).toBe(starts.length);
        for (const l of starts) {
          expect(Object.keys(data(l)).sort()).toEqual(
            r.format === 'new'
              ? ['chainDensity', 'delegMapSize', 'kind', 'slot', 'utxoSize']
              : ['chainDensity', 'credentials', 'delegMapSize', 'kind', 'slot', 'utxoSize'],
          );
          expect(data(l).delegMapSize).toBe(base.nodes);
        }
        if (r.format === 'new') expect(kes.every((l) => l.raw.ns === 'Forge.StateInfo.StateInfo')).toBe(true);
      }
  });

  it('the forger logs its own AddedToCurrentChain beside AdoptedBlock; chainLengthDelta only in legacy', () => {
    for (const r of [neu, leg])
      for (const lines of r.nodes.values()) {
        const adopted = new Set(lines.filter((l) => l.ev === 'adopted').map((l) => (data(l).newtip as string).split('@')[0]));
        for (const f of lines.filter((l) => l.ev === 'adopted_forger')) expect(adopted.has(data(f).blockHash as string)).toBe(true);
      }
    const nAdopt = of(neu, 'adopted');
    expect(nAdopt.length).toBeGreaterThan(0);
    for (const l of nAdopt) {
      expect(data(l)).not.toHaveProperty('chainLengthDelta');
      expect(l.raw.sev).toBe('Notice');
      expect((data(l).newTipSelectView as Json).chainLength).toBe(Number((data(l).newTipSelectView as Json).chainLength));
    }
    for (const l of of(leg, 'adopted')) {
      expect(data(l).chainLengthDelta).toBe(1);
      expect(l.raw.sev).toBe('Notice');
    }
    // Forge loop and resources at Info, the verbose loop steps at Debug, as 10.1.4 grades them.
    for (const r of [neu, leg]) {
      for (const ev of ['loop_start', 'leader', 'not_leader', 'forged', 'adopted_forger', 'resources', 'fetched', 'header_seen'])
        for (const l of of(r, ev)) expect(l.raw.sev, `${r.format} ${ev}`).toBe('Info');
      for (const ev of ['block_context', 'ledger_state', 'ledger_view', 'ticked', 'mempool_snapshot'])
        for (const l of of(r, ev)) expect(l.raw.sev, `${r.format} ${ev}`).toBe('Debug');
    }
  });

  it('announces with ChainSync server updates: a rising and a falling edge each, some reads not blocking', () => {
    for (const r of [neu, leg]) {
      const rising = of(r, 'announced');
      const falling = of(r, 'announce_falling');
      expect(falling.length).toBe(rising.length);
      const nonBlocking = rising.filter((l) => l.fields.blocking === false).length / rising.length;
      expect(nonBlocking).toBeGreaterThan(0.03);
      expect(nonBlocking).toBeLessThan(0.2);
      for (const l of rising) {
        const d = data(l);
        expect(d.kind).toBe(r.format === 'new' ? 'ChainSyncServer.Update' : 'ChainSyncServerEvent.TraceChainSyncServerUpdate');
        expect(d.addBlock).toMatch(/^[0-9a-f]{64}@\d+$/);
        expect(d.risingEdge).toBe(true);
        expect(Object.keys(d.tip as Json).sort()).toEqual(['block', 'blockNo', 'slot']);
      }
      for (const l of falling) {
        expect(data(l)).not.toHaveProperty('risingEdge');
        expect(l.raw.sev).toBe(r.format === 'new' ? 'Debug' : 'Info');
      }
    }
  });
});

describe('simulate: older log shapes as options', () => {
  const slots = 60;
  it('read-blocked: legacy announcements as before 1.35, no falling edges', async () => {
    const r = await readRun(await run({ tracing: 'legacy', slots, shape: { readBlocked: true } }, 'shape-rb'));
    const kinds = new Set(all(r).map((l) => (l.raw.data as Json).kind));
    expect(kinds.has('ChainSyncServerEvent.TraceChainSyncServerReadBlocked.AddBlock')).toBe(true);
    expect(kinds.has('ChainSyncServerEvent.TraceChainSyncServerRead.AddBlock')).toBe(true);
    expect(kinds.has('ChainSyncServerEvent.TraceChainSyncServerUpdate')).toBe(false);
    // The same announcements as the default shape, minus the falling edges.
    const dflt = await readRun(await run({ tracing: 'legacy', slots }, 'shape-rb-default'));
    expect(of(r, 'announced').map((l) => [l.t, l.fields])).toEqual(of(dflt, 'announced').map((l) => [l.t, l.fields]));
    expect(of(r, 'announce_falling')).toHaveLength(0);
    const meta = JSON.parse(await readFile(join(r.dir, 'meta.json'), 'utf8')).meta;
    expect(meta.simulator.shape).toEqual(['read-blocked']);
  });

  it('array-ns: new tracing ns as an array of parts; unblockno: legacy header blockNo as an object', async () => {
    const a = await readRun(await run({ tracing: 'new', slots, shape: { arrayNs: true } }, 'shape-arr'));
    for (const l of all(a)) expect(Array.isArray(l.raw.ns)).toBe(true);
    expect(all(a).some((l) => JSON.stringify(l.raw.ns) === '["Forge","Loop","NodeNotLeader"]')).toBe(true);
    const u = await readRun(await run({ tracing: 'legacy', slots, shape: { unBlockNo: true } }, 'shape-unb'));
    const headers = of(u, 'header_seen');
    expect(headers.length).toBeGreaterThan(0);
    for (const h of headers) expect(h.fields.blockNo).toEqual({ unBlockNo: expect.any(Number) });
  });

  it('quiet-forge: no BlockContext/LedgerState/LedgerView/Ticked/MempoolSnapshot, the rest unchanged', async () => {
    const q = await readRun(await run({ tracing: 'new', slots, shape: { quietForge: true } }, 'shape-quiet'));
    const d = await readRun(await run({ tracing: 'new', slots }, 'shape-quiet-default'));
    const verbose = ['block_context', 'ledger_state', 'ledger_view', 'ticked', 'mempool_snapshot'];
    for (const ev of verbose) {
      expect(of(q, ev), ev).toHaveLength(0);
      expect(of(d, ev).length, ev).toBeGreaterThan(0);
    }
    const rest = (r: RunLogs): unknown[] => all(r).filter((l) => !verbose.includes(l.ev) && l.ev !== 'resources').map((l) => [l.t, l.ev]);
    expect(rest(q)).toEqual(rest(d));
  });

  it('keepLogs: only the kept nodes have a log folder; meta.json says which', async () => {
    const dir = await run({ tracing: 'new', slots, nodes: 5, keepLogs: [3, 0] }, 'keep');
    expect((await readdir(dir)).filter((f) => f.startsWith('node-')).sort()).toEqual(['node-0', 'node-3']);
    const meta = JSON.parse(await readFile(join(dir, 'meta.json'), 'utf8')).meta;
    expect(meta.simulator.logs_kept).toEqual([0, 3]);
    expect(meta.profile_content.composition.n_hosts).toBe(5);
    await expect(simulate({ out: join(root, 'keep-bad'), tracing: 'new', rts: '', nodes: 3, slots: 5, runs: 1, seed: 1, keepLogs: [3] })).rejects.toThrow(
      /--keep-logs names node 3, but the nodes are 0…2/,
    );
    expect(() => parseShape('array-ns,bogus')).toThrow(/--shape bogus is unknown/);
    expect(parseShape('array-ns, quiet-forge')).toEqual({ arrayNs: true, quietForge: true });
  });
});

describe('simulate CLI options', () => {
  it('exits 2 naming the option for an unknown --shape or a bad --keep-logs, and writes nothing', async () => {
    const out = join(root, 'cli-bad');
    const err = vi.spyOn(process.stderr, 'write').mockImplementation(() => true);
    try {
      expect(await main(['node', 'bench-report', 'simulate', '--out', out, '--shape', 'array-ns,newest'])).toBe(2);
      expect(await main(['node', 'bench-report', 'simulate', '--out', out, '--keep-logs', '0,x'])).toBe(2);
      expect(await main(['node', 'bench-report', 'simulate', '--out', out, '--nodes', '3', '--keep-logs', '5'])).toBe(2);
      const said = err.mock.calls.map((c) => String(c[0])).join('');
      expect(said).toContain('--shape newest is unknown');
      expect(said).toContain('--keep-logs takes node numbers such as 0 or 0,3, got "0,x"');
      expect(said).toContain('--keep-logs names node 5, but the nodes are 0…2');
    } finally {
      err.mockRestore();
    }
    await expect(readdir(out)).rejects.toThrow();
  });

  it('passes --shape and --keep-logs through to the run', async () => {
    const out = join(root, 'cli-ok');
    const so = vi.spyOn(process.stdout, 'write').mockImplementation(() => true);
    const se = vi.spyOn(process.stderr, 'write').mockImplementation(() => true);
    try {
      expect(await main(['node', 'bench-report', 'simulate', '--out', out, '--nodes', '3', '--slots', '20', '--shape', 'quiet-forge,array-ns', '--keep-logs', '1'])).toBe(0);
    } finally {
      so.mockRestore();
      se.mockRestore();
    }
    const meta = JSON.parse(await readFile(join(out, 'sim-new-s1', 'meta.json'), 'utf8')).meta;
    expect(meta.simulator).toMatchObject({ shape: ['array-ns', 'quiet-forge'], logs_kept: [1] });
    expect((await readdir(join(out, 'sim-new-s1'))).filter((f) => f.startsWith('node-'))).toEqual(['node-1']);
  });
});
